package io.kdeploy.cli;

import io.kdeploy.cli.manifests.JobOptions;
import io.kdeploy.cli.manifests.ManifestOptions;
import io.kdeploy.cli.manifests.Manifests;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.KdeployException;
import io.kdeploy.core.PerShim;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kdeploy manifests}: prints the ServiceAccount, RBAC, DaemonSet and RuntimeClasses to apply, as YAML; with
 * {@code --mode job} the per-node Jobs of the staged actions instead (DESIGN.md §7 of the kata-deploy reference).
 */
@Command(
        name = "manifests",
        mixinStandardHelpOptions = true,
        description = "Prints the Kubernetes objects that run kdeploy on every node (ServiceAccount, ClusterRole and"
                + " binding, DaemonSet, one RuntimeClass per handler), or with --mode job the per-node Jobs of the"
                + " staged actions, as YAML for 'kubectl apply -f -'.")
public final class ManifestsCommand implements Callable<Integer> {

    /** kata-deploy's default {@code SHIMS_X86_64}. */
    static final List<String> DEFAULT_SHIMS = List.of("clh", "clh-runtime-rs", "dragonball", "fc", "qemu",
            "qemu-coco-dev", "qemu-coco-dev-runtime-rs", "qemu-runtime-rs", "qemu-nvidia-cpu",
            "qemu-nvidia-cpu-runtime-rs", "qemu-nvidia-gpu", "qemu-nvidia-gpu-runtime-rs", "qemu-nvidia-gpu-snp",
            "qemu-nvidia-gpu-snp-runtime-rs", "qemu-nvidia-gpu-tdx", "qemu-nvidia-gpu-tdx-runtime-rs", "qemu-snp",
            "qemu-snp-runtime-rs", "qemu-tdx", "qemu-tdx-runtime-rs");

    /** kata-deploy's default {@code DEFAULT_SHIM_<ARCH>}. */
    static final String DEFAULT_SHIM = "qemu-runtime-rs";

    @Spec
    CommandSpec command;

    @Option(names = "--shims", paramLabel = "SHIMS", split = "[\\s,]+",
            description = "Shims to serve (default: kata-deploy's x86_64 list).")
    List<String> shims = DEFAULT_SHIMS;

    @Option(names = "--default-shim", paramLabel = "SHIM",
            description = "The default shim (default: qemu-runtime-rs when enabled, else the first shim).")
    String defaultShim = "";

    @Option(names = "--suffix", paramLabel = "S", description = "Multi-install suffix (MULTI_INSTALL_SUFFIX).")
    String suffix = "";

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
        try {
            out.print(render());
            out.flush();
            return 0;
        } catch (KdeployException e) {
            PrintWriter err = command.commandLine().getErr();
            err.println("kdeploy manifests: " + e.getMessage());
            err.flush();
            return e.exitCode();
        }
    }

    private String render() {
        ManifestOptions options = ManifestOptions.defaults().withImage(image).withNamespace(namespace);
        switch (mode.strip().toLowerCase(Locale.ROOT)) {
            case "daemonset":
                return Manifests.yaml(spec(), options);
            case "job":
                JobOptions jobs = new JobOptions(nodes, runtimeVersion, machineIds);
                switch (jobSet.strip().toLowerCase(Locale.ROOT)) {
                    case "install":
                        return Manifests.yaml(Manifests.installJobObjects(spec(), options, jobs));
                    case "cleanup":
                        return Manifests.yaml(Manifests.cleanupJobObjects(spec(), options, jobs));
                    default:
                        throw new InvalidSpecException("--job-set '" + jobSet + "' is not a job set. Use install or"
                                + " cleanup.");
                }
            default:
                throw new InvalidSpecException("--mode '" + mode + "' is not a deployment mode. Use daemonset or job.");
        }
    }

    private DeploySpec spec() {
        List<String> enabled = shims.stream().filter(s -> !s.isBlank()).distinct().toList();
        String chosen = !defaultShim.isBlank() ? defaultShim
                : enabled.contains(DEFAULT_SHIM) || enabled.isEmpty() ? DEFAULT_SHIM : enabled.get(0);
        return new DeploySpec(enabled, chosen, suffix, "", false, Map.of(), Map.of(), Set.of(), PerShim.NONE,
                PerShim.NONE, PerShim.NONE, "kata-deploy" + (suffix.isEmpty() ? "" : "-" + suffix), "");
    }
}
