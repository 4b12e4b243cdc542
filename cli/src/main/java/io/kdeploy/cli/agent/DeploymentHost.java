package io.kdeploy.cli.agent;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.CleanupDecision;
import io.kdeploy.core.deploy.CleanupReport;
import io.kdeploy.core.deploy.CleanupRequest;
import io.kdeploy.core.deploy.InstallReport;
import io.kdeploy.core.deploy.InstallRequest;
import io.kdeploy.core.deploy.NodeDeployment;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link NodeHost} over {@link NodeDeployment}: installs and cleans up one instance on the host root the deployment
 * works on.
 *
 * @param deployment the host side (configurers, artifact installer, restarter, node lock)
 * @param install how this instance is installed (spec, runtime, artifacts, {@code --no-restart})
 * @param cleanup how it is cleaned up (spec, runtime, {@code --no-restart}); its decision and handlers in use are replaced
 */
public record DeploymentHost(NodeDeployment deployment, InstallRequest install, CleanupRequest cleanup) implements NodeHost {
    private static final System.Logger LOG = System.getLogger(DeploymentHost.class.getName());

    public DeploymentHost {
        requireNonNull(deployment, "deployment");
        requireNonNull(install, "install");
        requireNonNull(cleanup, "cleanup");
        if (!install.spec().equals(cleanup.spec())) {
            throw new IllegalArgumentException("install and cleanup must be of the same spec");
        }
        if (install.dryRun() || cleanup.dryRun()) {
            throw new IllegalArgumentException("the node agent does not run dry");
        }
    }

    /** Installs and cleans up {@code install}'s spec with the same runtime and restart setting. */
    public static DeploymentHost of(NodeDeployment deployment, InstallRequest install) {
        CleanupRequest cleanup = CleanupRequest.of(install.spec(), new CleanupDecision.Skip("not decided yet"))
                .withRuntime(install.runtime()).withNoRestart(install.noRestart()).withConfigurer(install.configurer());
        return new DeploymentHost(deployment, install, cleanup);
    }

    /** Cleans up {@code cleanup}'s spec (a {@code kdeploy cleanup}); never installs anything. */
    public static DeploymentHost forCleanup(NodeDeployment deployment, CleanupRequest cleanup) {
        InstallRequest install = InstallRequest.of(cleanup.spec()).withRuntime(cleanup.runtime())
                .withNoRestart(cleanup.noRestart()).withConfigurer(cleanup.configurer());
        return new DeploymentHost(deployment, install, cleanup);
    }

    @Override
    public List<String> handlers() {
        return install.spec().handlers();
    }

    @Override
    public InstallReport install(Runnable checkpoint) {
        checkpoint.run();
        InstallReport r = deployment.install(install, checkpoint);
        r.warnings().forEach(w -> LOG.log(Level.WARNING, w));
        return r;
    }

    @Override
    public CleanupReport cleanup(CleanupDecision decision, Set<String> handlersInUse) {
        CleanupReport r = deployment.cleanup(new CleanupRequest(cleanup.spec(), cleanup.runtime(), decision,
                handlersInUse, false, cleanup.noRestart(), cleanup.configurer()));
        r.warnings().forEach(w -> LOG.log(Level.WARNING, w));
        return r;
    }

    @Override
    public Optional<CleanupDecision> pendingCleanup() {
        return deployment.pendingArtifactRemoval(install.spec()).map(handlers -> new CleanupDecision.InstanceOnly(
                "an earlier cleanup kept the artifacts for the handlers " + handlers + " while pods used them"));
    }
}
