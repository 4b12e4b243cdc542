package io.kdeploy.cli.agent;

import io.kdeploy.core.CleanupDecision;
import io.kdeploy.core.deploy.CleanupReport;
import io.kdeploy.core.deploy.InstallReport;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the node agent does to the host: install this instance, and carry out a cleanup decision. The agent owns
 * everything that talks to the cluster; this side owns the files, the node lock and the runtime restart.
 */
public interface NodeHost {

    /** This instance's runtime handlers, {@code kata-<shim>[-<suffix>]}. */
    List<String> handlers();

    /**
     * Installs the artifacts and the CRI configuration (validated, rolled back when the runtime rejects it) and restarts the
     * runtime only when its configuration changed. {@code checkpoint} is called between steps, where stopping is safe; it
     * throws to stop.
     *
     * @return what the install did
     */
    InstallReport install(Runnable checkpoint);

    /**
     * Carries out {@code decision}: nothing for SKIP; this instance's CRI entries, artifacts and snapshotter units for
     * INSTANCE_ONLY; that plus the runtime restart for FULL. The handlers in {@code handlersInUse} are unregistered, but the
     * binaries and configurations they need stay and the pending removal is recorded.
     *
     * @return what the cleanup did
     */
    CleanupReport cleanup(CleanupDecision decision, Set<String> handlersInUse);

    /** The decision of an earlier cleanup that kept files for running pods, when that removal is still to be finished. */
    Optional<CleanupDecision> pendingCleanup();
}
