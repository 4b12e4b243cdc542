package io.kdeploy.core.deploy;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.artifacts.ArtifactSource;
import org.jspecify.annotations.Nullable;

/**
 * What {@link NodeDeployment#install} should do.
 *
 * @param spec what to install
 * @param runtime the node's runtime ({@code --runtime-version}); {@code null} to detect it from the host's files
 * @param declaredFlavour the flavour the operator named ({@code --runtime k3s}); {@code null} or {@code auto} to detect it. A
 *     flavour the host contradicts is an {@link io.kdeploy.core.InvalidSpecException}
 * @param artifacts the Kata artifacts to install; {@code null} to register the handlers only (the artifacts are already there)
 * @param dryRun plan and describe, touch nothing (not even the node lock)
 * @param noRestart never restart the runtime, even when its configuration changed
 * @param force let the configurer replace entries it would otherwise refuse to touch
 * @param verify hash every artifact file instead of trusting size and modification time
 * @param configurer the id of the configurer to use ({@code --runtime docker} with a plugin); {@code null} to pick the one
 *     that supports the runtime. A named configurer needs no built-in flavour: the runtime is {@code runtime}, else what it
 *     (or any configurer) detects from the host's files
 */
public record InstallRequest(
        DeploySpec spec,
        @Nullable RuntimeInfo runtime,
        @Nullable String declaredFlavour,
        @Nullable ArtifactSource artifacts,
        boolean dryRun,
        boolean noRestart,
        boolean force,
        boolean verify,
        @Nullable String configurer) {
    public InstallRequest {
        requireNonNull(spec, "spec");
    }

    /** A request that lets the runtime pick the configurer. */
    public InstallRequest(DeploySpec spec, @Nullable RuntimeInfo runtime, @Nullable String declaredFlavour,
            @Nullable ArtifactSource artifacts, boolean dryRun, boolean noRestart, boolean force, boolean verify) {
        this(spec, runtime, declaredFlavour, artifacts, dryRun, noRestart, force, verify, null);
    }

    /** An install of {@code spec} with the runtime detected, no artifacts, restarting when needed. */
    public static InstallRequest of(DeploySpec spec) {
        return new InstallRequest(spec, null, null, null, false, false, false, false);
    }

    /** This request with the artifacts taken from {@code source}. */
    public InstallRequest withArtifacts(@Nullable ArtifactSource source) {
        return new InstallRequest(spec, runtime, declaredFlavour, source, dryRun, noRestart, force, verify, configurer);
    }

    /** This request for the given runtime. */
    public InstallRequest withRuntime(@Nullable RuntimeInfo info) {
        return new InstallRequest(spec, info, declaredFlavour, artifacts, dryRun, noRestart, force, verify, configurer);
    }

    /** This request with the configurer of this id ({@code null}: the one that supports the runtime). */
    public InstallRequest withConfigurer(@Nullable String id) {
        return new InstallRequest(spec, runtime, declaredFlavour, artifacts, dryRun, noRestart, force, verify, id);
    }

    /** This request as a dry run (or not). */
    public InstallRequest withDryRun(boolean on) {
        return new InstallRequest(spec, runtime, declaredFlavour, artifacts, on, noRestart, force, verify, configurer);
    }

    /** This request with restarts suppressed (or not). */
    public InstallRequest withNoRestart(boolean on) {
        return new InstallRequest(spec, runtime, declaredFlavour, artifacts, dryRun, on, force, verify, configurer);
    }
}
