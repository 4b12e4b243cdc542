package io.kdeploy.core.deploy;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.CleanupDecision;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.RuntimeInfo;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What {@link NodeDeployment#cleanup} should do. The decision comes from a {@link io.kdeploy.core.spi.CleanupPolicy} (or the
 * operator: {@code cleanup --offline} is {@code FULL}); cleanup does exactly that.
 *
 * @param spec the install to take off (its suffix and prefix name the record, the files and the artifacts)
 * @param runtime the node's runtime; {@code null} to detect it from the host's files
 * @param decision what to remove
 * @param handlersInUse handlers that running pods on this node still use: they are unregistered, but the shim binaries and
 *     Kata configurations stay until a later cleanup finds them unused (in-use guard)
 * @param dryRun describe, touch nothing
 * @param noRestart never restart the runtime
 * @param configurer the id of the configurer that installed it ({@code --runtime docker} with a plugin); {@code null} to
 *     pick the one that supports the runtime
 */
public record CleanupRequest(
        DeploySpec spec,
        @Nullable RuntimeInfo runtime,
        CleanupDecision decision,
        Set<String> handlersInUse,
        boolean dryRun,
        boolean noRestart,
        @Nullable String configurer) {
    public CleanupRequest {
        requireNonNull(spec, "spec");
        requireNonNull(decision, "decision");
        handlersInUse = Set.copyOf(requireNonNull(handlersInUse, "handlersInUse"));
    }

    /** A request that lets the runtime pick the configurer. */
    public CleanupRequest(DeploySpec spec, @Nullable RuntimeInfo runtime, CleanupDecision decision,
            Set<String> handlersInUse, boolean dryRun, boolean noRestart) {
        this(spec, runtime, decision, handlersInUse, dryRun, noRestart, null);
    }

    /** A cleanup of {@code spec} with this decision, the runtime detected, no handler in use. */
    public static CleanupRequest of(DeploySpec spec, CleanupDecision decision) {
        return new CleanupRequest(spec, null, decision, Set.of(), false, false);
    }

    /** This request with these handlers still in use by running pods. */
    public CleanupRequest withHandlersInUse(Set<String> handlers) {
        return new CleanupRequest(spec, runtime, decision, handlers, dryRun, noRestart, configurer);
    }

    /** This request for the given runtime. */
    public CleanupRequest withRuntime(@Nullable RuntimeInfo info) {
        return new CleanupRequest(spec, info, decision, handlersInUse, dryRun, noRestart, configurer);
    }

    /** This request with the configurer of this id ({@code null}: the one that supports the runtime). */
    public CleanupRequest withConfigurer(@Nullable String id) {
        return new CleanupRequest(spec, runtime, decision, handlersInUse, dryRun, noRestart, id);
    }

    /** This request as a dry run (or not). */
    public CleanupRequest withDryRun(boolean on) {
        return new CleanupRequest(spec, runtime, decision, handlersInUse, on, noRestart, configurer);
    }

    /** This request with restarts suppressed (or not). */
    public CleanupRequest withNoRestart(boolean on) {
        return new CleanupRequest(spec, runtime, decision, handlersInUse, dryRun, on, configurer);
    }
}
