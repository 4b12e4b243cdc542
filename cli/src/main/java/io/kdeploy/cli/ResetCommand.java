package io.kdeploy.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kdeploy.cli.agent.AgentSettings;
import io.kdeploy.cli.agent.NodeReset;
import io.kdeploy.cli.host.Systemd;
import io.kdeploy.cli.kube.FabricCluster;
import io.kdeploy.cli.kube.KubeClients;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.Flavour;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.artifacts.ProgressListener;
import io.kdeploy.core.cleanup.Self;
import io.kdeploy.core.deploy.NodeDeployment;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code kdeploy reset} (kata-deploy's {@code reset}): releases this install's node mark (and the shared label when no
 * other install holds the node) and, only then, restarts the runtime (and the kubelet for containerd and CRI-O) and waits
 * for the node to be {@code Ready}. Host files are not touched: {@code cleanup} removes the install.
 */
@Command(
        name = "reset",
        mixinStandardHelpOptions = true,
        description = "Releases this install's node labels; when no other install holds the node, restarts the container"
                + " runtime (and kubelet for containerd/CRI-O) and waits for the node to be Ready.",
        footer = {
            "%nExit codes: 0 done, 2 invalid spec or usage (no node name), 5 node lock not acquired, 1 anything else"
                    + " (API unreadable, a unit not back, node not Ready within 300 s).",
            "%nExample:",
            "  kdeploy reset --node-name worker-1 --host-root /host"
        })
final class ResetCommand implements Callable<Integer> {
    /** kata-deploy's wait for {@code Ready} after the restart. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(300);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Spec
    CommandSpec command;

    @Mixin
    SpecOptions options;

    private final Map<String, String> environment;

    /** A reset reading the process environment. */
    ResetCommand() {
        this(System.getenv());
    }

    /** A reset reading {@code environment} ({@code HOST_EXEC_PREFIX}, {@code POD_NAMESPACE}, …). */
    ResetCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        NodeRun run = NodeRun.of(options, environment, CliContext.of(command).registry());
        run.printSpecWarnings(err);
        DeploySpec spec = run.spec();
        if (spec.nodeName().isBlank() || options.offline()) {
            throw new InvalidSpecException("kdeploy reset works on the node's labels, so it needs the Kubernetes API and"
                    + " the node's name: give --node-name (or NODE_NAME) and drop --offline.");
        }
        NodeDeployment deployment = run.deployment(ProgressListener.NONE);
        RuntimeInfo runtime = deployment.runtime(StageCommand.runtime(options, environment).orElse(null),
                options.runtime().map(Flavour::id).orElse(null));
        List<String> units = new ArrayList<>();
        deployment.runtimeUnit(runtime).ifPresent(units::add);
        if (runtime.flavour() == Flavour.CONTAINERD || runtime.flavour() == Flavour.CRIO) {
            units.add("kubelet");
        }
        AgentSettings settings = AgentSettings.fromEnvironment(spec, environment);
        Self self = new Self(settings.namespace(), spec.daemonSetName(), spec.suffix());
        Systemd systemd = Systemd.onHost(run.host().exec());
        NodeReset.Outcome outcome;
        try (KubernetesClient client = KubeClients.create(KubeClients.REQUEST_TIMEOUT)) {
            outcome = new NodeReset(new FabricCluster(client, spec.nodeName()), self, systemd::restart,
                    options.hostRoot(), Duration.ofSeconds(60), READY_TIMEOUT).reset(units, options.dryRun());
        }
        if (options.output() == SpecOptions.Output.JSON) {
            ObjectNode o = JSON.createObjectNode();
            o.put("action", "reset");
            o.put("decision", outcome.decision().name());
            o.put("reason", outcome.decision().reason());
            outcome.removedLabels().stream().sorted().forEach(o.putArray("removedLabels")::add);
            outcome.restartedUnits().forEach(o.putArray("restarted")::add);
            o.put("dryRun", outcome.dryRun());
            out.println(o);
        } else {
            String would = outcome.dryRun() ? "Dry run, nothing was changed. Would remove" : "Removed";
            out.println(would + " labels " + outcome.removedLabels().stream().sorted().toList() + " from node "
                    + spec.nodeName() + ".");
            out.println(outcome.decision().reason());
            if (outcome.held()) {
                out.println("Another install still holds the node, so the runtime was not restarted.");
            } else if (outcome.dryRun()) {
                out.println("Would restart " + String.join(", ", units) + " and wait for the node to be Ready.");
            } else {
                out.println("Restarted " + (units.isEmpty() ? "nothing (k0s reloads its configuration)"
                        : String.join(", ", outcome.restartedUnits())) + "; node " + spec.nodeName() + " is Ready.");
            }
        }
        out.flush();
        return 0;
    }
}
