package io.kdeploy.cli;

import io.kdeploy.cli.manifests.JobOptions;
import io.kdeploy.cli.manifests.ManifestOptions;
import io.kdeploy.cli.manifests.Manifests;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.KdeployException;
import io.kdeploy.core.spec.Arch;
import io.kdeploy.core.spec.LoadedSpec;
import io.kdeploy.core.spec.SpecLoader;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kdeploy manifests}: prints the ServiceAccount, RBAC, DaemonSet and RuntimeClasses to apply, as YAML; with
 * {@code --mode job} the per-node Jobs of the staged actions instead. The spec comes from the same flags and
 * {@code --config} file as {@code install} ({@link SpecFlags}, {@link SpecLoader}); the shell's environment is not read,
 * since the pod's environment is what these manifests define.
 */
@Command(
        name = "manifests",
        mixinStandardHelpOptions = true,
        description = "Prints the Kubernetes objects that run kdeploy on every node (ServiceAccount, ClusterRole and"
                + " binding, DaemonSet, one RuntimeClass per handler), or with --mode job the per-node Jobs of the"
                + " staged actions, as YAML for 'kubectl apply -f -'.")
public final class ManifestsCommand implements Callable<Integer> {
    @Spec
    CommandSpec command;

    @Mixin
    SpecFlags spec;

    @Option(names = "--arch", paramLabel = "ARCH",
            description = "Whose default shim list to render when --shims and --config give none (default: ${DEFAULT-VALUE}).")
    String arch = "x86_64";

    @Option(names = "--image", paramLabel = "IMAGE", description = "Agent image (default: ${DEFAULT-VALUE}).")
    String image = ManifestOptions.DEFAULT_IMAGE;

    @Option(names = "--namespace", paramLabel = "NS", description = "Namespace of the DaemonSet (default: ${DEFAULT-VALUE}).")
    String namespace = "kube-system";

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "daemonset",
            description = "daemonset (default): the agent DaemonSet; job: one node-pinned Job per --node running the"
                    + " staged actions, without API access.")
    String mode = "daemonset";

    @Option(names = "--job-set", paramLabel = "SET", defaultValue = "install",
            description = "With --mode job: install (default; host-check, artifacts, cri, then the RuntimeClasses) or"
                    + " cleanup (revert-cri, then remove-artifacts).")
    String jobSet = "install";

    @Option(names = "--node", paramLabel = "NAME", description = "With --mode job: a node to render a Job for (repeat).")
    List<String> nodes = new ArrayList<>();

    @Option(names = "--runtime-version", paramLabel = "V",
            description = "With --mode job: the nodes' containerRuntimeVersion, passed as CONTAINER_RUNTIME_VERSION"
                    + " (e.g. containerd://1.7.22); without it each stage detects the runtime from the host's files.")
    String runtimeVersion = "";

    @Option(names = "--machine-id", paramLabel = "NODE=ID",
            description = "With --mode job: a node's /etc/machine-id, passed as NODE_MACHINE_ID so that the Job refuses"
                    + " to run on another machine that took the node's name (repeat per node).")
    Map<String, String> machineIds = new LinkedHashMap<>();

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        try {
            LoadedSpec loaded = spec.load(Map.of(), SpecLoader.forArch(Arch.fromOsArch(arch)));
            loaded.warnings().forEach(w -> err.println("warning: " + w));
            out.print(render(loaded.spec()));
            out.flush();
            err.flush();
            return 0;
        } catch (KdeployException e) {
            err.println("kdeploy manifests: " + e.getMessage());
            err.flush();
            return e.exitCode();
        }
    }

    private String render(DeploySpec deploySpec) {
        ManifestOptions options = new ManifestOptions(namespace, image, deploySpec.extras().healthPort(),
                ManifestOptions.DEFAULT_GRACE);
        switch (mode.strip().toLowerCase(Locale.ROOT)) {
            case "daemonset":
                return Manifests.yaml(deploySpec, options);
            case "job":
                JobOptions jobs = new JobOptions(nodes, runtimeVersion, machineIds);
                switch (jobSet.strip().toLowerCase(Locale.ROOT)) {
                    case "install":
                        return Manifests.yaml(Manifests.installJobObjects(deploySpec, options, jobs));
                    case "cleanup":
                        return Manifests.yaml(Manifests.cleanupJobObjects(deploySpec, options, jobs));
                    default:
                        throw new InvalidSpecException("--job-set '" + jobSet + "' is not a job set. Use install or"
                                + " cleanup.");
                }
            default:
                throw new InvalidSpecException("--mode '" + mode + "' is not a deployment mode. Use daemonset or job.");
        }
    }
}
