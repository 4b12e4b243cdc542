package io.kdeploy.cli.host;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.Kdeploy;
import io.kdeploy.core.artifacts.ProgressListener;
import io.kdeploy.core.deploy.NodeDeployment;
import io.kdeploy.core.plan.CommandRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How the CLI reaches a node's host: the {@link HostExec} prefix for host commands and the {@link NodeDeployment} wired to
 * it (restarts through {@link Systemd}, the runtime's validation command through the prefix). Shared by {@code install},
 * {@code cleanup} and the node agent.
 *
 * @param hostRoot where the node's {@code /} is
 * @param exec how host commands run
 */
public record HostSetup(Path hostRoot, HostExec exec) {
    /** The environment variable that sets the host-exec prefix (words; empty runs commands directly). */
    public static final String PREFIX_VARIABLE = "HOST_EXEC_PREFIX";

    /** How long the runtime's validation command may take. */
    public static final Duration VALIDATION_TIMEOUT = Duration.ofMinutes(2);

    public HostSetup {
        requireNonNull(hostRoot, "hostRoot");
        requireNonNull(exec, "exec");
    }

    /**
     * The setup for {@code hostRoot} in this environment. {@code HOST_EXEC_PREFIX} wins when set (an empty value runs host
     * commands directly). Otherwise host commands enter the host's mount namespace ({@code nsenter --target 1 --mount --})
     * when the host root is {@code /} or kdeploy runs in a Kubernetes pod ({@code KUBERNETES_SERVICE_HOST} is set: the
     * DaemonSet mounts the node at {@code /host}), and run directly for any other host root (a node directory in a test or
     * the demo).
     */
    public static HostSetup of(Path hostRoot, Map<String, String> environment) {
        String prefix = environment.get(PREFIX_VARIABLE);
        HostExec exec;
        if (prefix != null) {
            exec = HostExec.parse(prefix);
        } else if (isRoot(hostRoot) || environment.containsKey("KUBERNETES_SERVICE_HOST")) {
            exec = HostExec.NSENTER;
        } else {
            exec = HostExec.DIRECT;
        }
        return new HostSetup(hostRoot, exec);
    }

    private static boolean isRoot(Path p) {
        return p.toAbsolutePath().normalize().getNameCount() == 0;
    }

    /**
     * A deployment on this host: providers from {@code registry}, restarts and other units (nydus) with {@code systemctl}
     * behind the prefix, and the
     * runtime's validation command behind the prefix (or, without a prefix, with its node paths mapped under the host root).
     */
    public NodeDeployment deployment(Kdeploy registry, ProgressListener progress) {
        Systemd systemd = Systemd.onHost(exec);
        NodeDeployment.Builder b = NodeDeployment.builder(hostRoot)
                .registry(registry)
                .restarter(systemd::restart)
                .units(new SystemctlUnits(exec))
                .progress(progress);
        if (!exec.prefix().isEmpty()) {
            b.commandRunner(validationRunner());
        }
        return b.build();
    }

    /** Runs a validation command (node paths) behind the prefix. */
    public CommandRunner validationRunner() {
        return argv -> {
            HostExec.Result r = exec.run(argv, VALIDATION_TIMEOUT);
            return new CommandRunner.Result(r.exitCode(), r.output());
        };
    }
}
