package io.kdeploy.cli;

import io.kdeploy.cli.manifests.ManifestOptions;
import io.kdeploy.cli.manifests.Manifests;
import io.kdeploy.core.KdeployException;
import io.kdeploy.core.spec.Arch;
import io.kdeploy.core.spec.LoadedSpec;
import io.kdeploy.core.spec.SpecLoader;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kdeploy manifests}: prints the ServiceAccount, RBAC, DaemonSet and RuntimeClasses to apply, as YAML. The spec comes
 * from the same flags and {@code --config} file as {@code install} ({@link SpecFlags}, {@link SpecLoader}); the shell's
 * environment is not read, since the pod's environment is what these manifests define.
 */
@Command(
        name = "manifests",
        mixinStandardHelpOptions = true,
        description = "Prints the Kubernetes objects that run kdeploy on every node (ServiceAccount, ClusterRole and"
                + " binding, DaemonSet, one RuntimeClass per handler) as YAML for 'kubectl apply -f -'.")
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

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        try {
            LoadedSpec loaded = spec.load(Map.of(), SpecLoader.forArch(Arch.fromOsArch(arch)));
            loaded.warnings().forEach(w -> err.println("warning: " + w));
            ManifestOptions options = new ManifestOptions(namespace, image, loaded.spec().extras().healthPort(),
                    ManifestOptions.DEFAULT_GRACE);
            out.print(Manifests.yaml(loaded.spec(), options));
            out.flush();
            err.flush();
            return 0;
        } catch (KdeployException e) {
            err.println("kdeploy manifests: " + e.getMessage());
            err.flush();
            return e.exitCode();
        }
    }
}
