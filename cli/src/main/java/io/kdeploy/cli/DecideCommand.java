package io.kdeploy.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.kdeploy.cli.kube.ClusterViews;
import io.kdeploy.cli.kube.KubeJson;
import io.kdeploy.core.CleanupDecision;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.Kdeploy;
import io.kdeploy.core.cleanup.ClusterView;
import io.kdeploy.core.cleanup.Self;
import io.kdeploy.core.spi.CleanupPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kdeploy decide}: what a cleanup would do on a node, from saved {@code kubectl} output, printed as one JSON line
 * {@code {"decision":"SKIP|INSTANCE_ONLY|FULL","reason":"…"}}. Reads nothing else and changes nothing.
 */
@Command(
        name = "decide",
        mixinStandardHelpOptions = true,
        description = "Prints what a cleanup would do on a node, from saved kubectl output, as one JSON line:%n"
                + "  {\"decision\":\"SKIP|INSTANCE_ONLY|FULL\",\"reason\":\"...\"}",
        footer = {
            "%nExample:",
            "  kubectl get daemonsets -A -o json > ds.json",
            "  kubectl get node worker-1 -o json > node.json",
            "  kdeploy decide --daemonsets ds.json --node node.json \\",
            "      --namespace kube-system --daemonset-name kata-deploy"
        })
final class DecideCommand implements Callable<Integer> {
    /** The name part of a Kubernetes label key. */
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

    @Spec
    CommandSpec spec;

    @Option(names = "--daemonsets", required = true, paramLabel = "FILE",
            description = "Output of 'kubectl get daemonsets -A -o json' (a single DaemonSet object is accepted too).")
    Path daemonSets;

    @Option(names = "--node", required = true, paramLabel = "FILE", description = "Output of 'kubectl get node NAME -o json'.")
    Path node;

    @Option(names = "--namespace", required = true, paramLabel = "NS", description = "Namespace of this install's DaemonSet.")
    String namespace;

    @Option(names = "--daemonset-name", required = true, paramLabel = "NAME",
            description = "Exact name of this install's DaemonSet (DAEMONSET_NAME).")
    String daemonSetName;

    @Option(names = "--suffix", paramLabel = "S", defaultValue = "",
            description = "This install's multi-install suffix (MULTI_INSTALL_SUFFIX); its node mark is"
                    + " kata-deploy.katacontainers.io/<S>, or .../default without one.")
    String suffix = "";

    @Option(names = "--policy", paramLabel = "ID", defaultValue = "node-aware",
            description = "Cleanup policy: node-aware (default) or three-stage, or the id of a policy on the class path.")
    String policy = "node-aware";

    @Override
    public Integer call() {
        CleanupPolicy chosen = policy(policy);
        Self self = self();
        List<DaemonSet> list = KubeJson.readDaemonSets("--daemonsets", daemonSets);
        Node nodeObject = KubeJson.readNode("--node", node);
        ClusterView view;
        try {
            view = ClusterViews.known(list, nodeObject);
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException("--daemonsets " + daemonSets + " / --node " + node + ": " + e.getMessage(), e);
        }
        CleanupDecision decision = chosen.decide(view, self);
        ObjectNode json = JsonMapper.builder().build().createObjectNode();
        json.put("decision", decision.name());
        json.put("reason", decision.reason());
        spec.commandLine().getOut().println(json.toString());
        spec.commandLine().getOut().flush();
        return 0;
    }

    private Self self() {
        if (namespace.isBlank()) {
            throw new InvalidSpecException("--namespace: must not be empty; give the namespace of this install's DaemonSet.");
        }
        if (daemonSetName.isBlank()) {
            throw new InvalidSpecException("--daemonset-name: must not be empty; give the exact name of this install's"
                    + " DaemonSet (DAEMONSET_NAME).");
        }
        if (!suffix.isEmpty() && !LABEL_NAME.matcher(suffix).matches()) {
            throw new InvalidSpecException("--suffix '" + suffix + "': not usable in the node mark"
                    + " kata-deploy.katacontainers.io/<suffix>. Use at most 63 letters, digits, '-', '_' or '.', starting and"
                    + " ending with a letter or digit.");
        }
        return new Self(namespace, daemonSetName, suffix);
    }

    private CleanupPolicy policy(String id) {
        Kdeploy registry = CliContext.of(spec).registry();
        Optional<CleanupPolicy> found = registry.policies().stream().filter(p -> p.id().equals(id)).findFirst();
        return found.orElseThrow(() -> new InvalidSpecException("--policy '" + id + "': no such cleanup policy. Known: "
                + registry.policies().stream().map(CleanupPolicy::id).sorted().toList() + "."));
    }
}
