package io.kdeploy.cli;

import static java.util.Objects.requireNonNull;

import io.kdeploy.cli.host.HostSetup;
import io.kdeploy.core.CleanupDecision;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.Flavour;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.Kdeploy;
import io.kdeploy.core.artifacts.ArtifactSource;
import io.kdeploy.core.artifacts.ProgressListener;
import io.kdeploy.core.deploy.CleanupRequest;
import io.kdeploy.core.deploy.InstallRequest;
import io.kdeploy.core.deploy.NodeDeployment;
import io.kdeploy.core.spec.LoadedSpec;
import io.kdeploy.core.spi.CleanupPolicy;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * One {@code install} or {@code cleanup} run on this node, from the shared options: the loaded spec, the host setup, the
 * {@link NodeDeployment} and the requests. The commands stay thin; the node agent builds on the same object.
 */
public final class NodeRun {
    private final SpecOptions options;
    private final Map<String, String> environment;
    private final LoadedSpec loaded;
    private final Kdeploy registry;

    private NodeRun(SpecOptions options, Map<String, String> environment, Kdeploy registry) {
        this.options = options;
        this.environment = Map.copyOf(environment);
        this.loaded = options.loadSpec();
        this.registry = registry;
    }

    /**
     * A run with the process environment and the providers of {@code registry} (a command's
     * {@code CliContext.of(spec).registry()}: the class path and the {@code --plugin-path} directories).
     *
     * @throws InvalidSpecException when the spec (flags, environment, {@code --config}) is invalid
     */
    public static NodeRun of(SpecOptions options, Kdeploy registry) {
        return of(options, System.getenv(), registry);
    }

    /**
     * The run of a command ({@code install}, {@code cleanup}): the process environment, the command's registry
     * ({@link CliContext#registry()}: the class path and the {@code --plugin-path} directories), the spec loader's warnings
     * printed on the command's error stream.
     *
     * @throws InvalidSpecException when the spec (flags, environment, {@code --config}) is invalid
     */
    static NodeRun forCommand(CommandSpec command, SpecOptions options) {
        NodeRun run = of(options, CliContext.of(command).registry());
        run.printSpecWarnings(command.commandLine().getErr());
        return run;
    }

    /** A run with this environment (for {@code HOST_EXEC_PREFIX}) and registry. */
    public static NodeRun of(SpecOptions options, Map<String, String> environment, Kdeploy registry) {
        return new NodeRun(requireNonNull(options, "options"), requireNonNull(environment, "environment"),
                requireNonNull(registry, "registry"));
    }

    /** The shared options. */
    public SpecOptions options() {
        return options;
    }

    /** The environment this run reads ({@code HOST_EXEC_PREFIX}, and the agent's {@code POD_NAMESPACE}, …). */
    public Map<String, String> environment() {
        return environment;
    }

    /** The validated spec. */
    public DeploySpec spec() {
        return loaded.spec();
    }

    /** The spec with where each setting came from and the loader's warnings. */
    public LoadedSpec loadedSpec() {
        return loaded;
    }

    /** The providers. */
    public Kdeploy registry() {
        return registry;
    }

    /** True without a cluster: {@code --offline}, or no {@code NODE_NAME}. */
    public boolean offline() {
        return options.offline() || spec().nodeName().isEmpty();
    }

    /** How this run reaches the host. */
    public HostSetup host() {
        return HostSetup.of(options.hostRoot(), environment);
    }

    /** The deployment on this host, with restarts through {@code systemctl}. */
    public NodeDeployment deployment(ProgressListener progress) {
        return host().deployment(registry, progress);
    }

    /**
     * The install request these options describe. A {@code --runtime} that is no built-in flavour names a configurer of
     * the registry (a plugin's {@code docker}).
     */
    public InstallRequest installRequest(boolean force, boolean verify) {
        return new InstallRequest(spec(), options.runtimeVersion().orElse(null), flavourName(),
                options.artifacts().map(ArtifactSource::of).orElse(null),
                options.dryRun(), options.noRestart(), force, verify, configurerName());
    }

    /** The cleanup request these options describe, for a decision and the handlers running pods still use. */
    public CleanupRequest cleanupRequest(CleanupDecision decision, Set<String> handlersInUse) {
        return new CleanupRequest(spec(), options.runtimeVersion().orElse(null), decision, handlersInUse,
                options.dryRun(), options.noRestart(), configurerName());
    }

    /** The {@code --runtime} value when it is a built-in flavour. */
    private @Nullable String flavourName() {
        return options.runtimeName().filter(n -> Flavour.find(n).isPresent()).orElse(null);
    }

    /** The {@code --runtime} value when it is no built-in flavour: a configurer id (checked by the deployment). */
    private @Nullable String configurerName() {
        return options.runtimeName().filter(n -> Flavour.find(n).isEmpty()).orElse(null);
    }

    /**
     * The cleanup policy with this id.
     *
     * @throws InvalidSpecException when no policy has it (exit 2)
     */
    public CleanupPolicy policy(String id) {
        return registry.policies().stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new InvalidSpecException("--policy '" + id + "': no such cleanup policy. Known: "
                        + registry.policies().stream().map(CleanupPolicy::id).sorted().toList() + "."));
    }

    /** Prints the spec loader's warnings on {@code err}. */
    public void printSpecWarnings(PrintWriter err) {
        loaded.warnings().forEach(w -> err.println("warning: " + w));
        err.flush();
    }
}
