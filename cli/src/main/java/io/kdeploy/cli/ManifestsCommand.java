package io.kdeploy.cli;

import io.kdeploy.cli.manifests.ManifestOptions;
import io.kdeploy.cli.manifests.Manifests;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.KdeployException;
import io.kdeploy.core.PerShim;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kdeploy manifests}: prints the ServiceAccount, RBAC, DaemonSet and RuntimeClasses to apply, as YAML. */
@Command(
        name = "manifests",
        mixinStandardHelpOptions = true,
        description = "Prints the Kubernetes objects that run kdeploy on every node (ServiceAccount, ClusterRole and"
                + " binding, DaemonSet, one RuntimeClass per handler) as YAML for 'kubectl apply -f -'.")
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

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        try {
            out.print(Manifests.yaml(spec(), ManifestOptions.defaults().withImage(image).withNamespace(namespace)));
            out.flush();
            return 0;
        } catch (KdeployException e) {
            PrintWriter err = command.commandLine().getErr();
            err.println("kdeploy manifests: " + e.getMessage());
            err.flush();
            return e.exitCode();
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
