package io.kdeploy.cli.agent;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.CleanupDecision;
import io.kdeploy.core.KdeployException;
import io.kdeploy.core.cleanup.ClusterView;
import io.kdeploy.core.cleanup.DaemonSetInfo;
import io.kdeploy.core.cleanup.NodeAwarePolicy;
import io.kdeploy.core.cleanup.Self;
import io.kdeploy.core.cluster.ClusterPort;
import io.kdeploy.core.plan.HostRoot;
import io.kdeploy.core.plan.NodeLock;
import io.kdeploy.core.spi.UnitRestarter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code kdeploy reset} (kata-deploy's {@code reset}): releases this install's node mark, and the shared label
 * {@value NodeAgent#SHARED_LABEL} only when no other install holds the node; then, only when none does, restarts the
 * runtime's units under the node lock and waits for the node to be {@code Ready}. Whether another install holds the node
 * is the {@link NodeAwarePolicy}'s rule (another install's mark, or another kata-deploy DaemonSet selecting the node), with
 * this install's own DaemonSet left out: a reset is asked for, so it does not wait for the DaemonSet to go.
 */
public final class NodeReset {
    private static final System.Logger LOG = System.getLogger(NodeReset.class.getName());

    private final ClusterPort cluster;
    private final Self self;
    private final UnitRestarter restarter;
    private final Path hostRoot;
    private final Duration lockTimeout;
    private final Duration readyTimeout;

    /**
     * @param cluster the node's API
     * @param self this install (its node mark, its DaemonSet)
     * @param restarter how a unit is restarted ({@code systemctl} on the host)
     * @param hostRoot the node's root, for the node lock
     * @param lockTimeout how long to wait for the node lock
     * @param readyTimeout how long the node may take to be {@code Ready} again (kata-deploy: 300 s)
     */
    public NodeReset(ClusterPort cluster, Self self, UnitRestarter restarter, Path hostRoot, Duration lockTimeout,
            Duration readyTimeout) {
        this.cluster = requireNonNull(cluster, "cluster");
        this.self = requireNonNull(self, "self");
        this.restarter = requireNonNull(restarter, "restarter");
        this.hostRoot = requireNonNull(hostRoot, "hostRoot");
        this.lockTimeout = requireNonNull(lockTimeout, "lockTimeout");
        this.readyTimeout = requireNonNull(readyTimeout, "readyTimeout");
    }

    /**
     * What a reset did.
     *
     * @param decision {@code FULL} when no other install holds the node, {@code INSTANCE_ONLY} when one does; its reason says
     *     which
     * @param removedLabels the labels removed (or, on a dry run, to remove)
     * @param restartedUnits the units restarted, in order (empty when another install holds the node, or on a dry run)
     * @param dryRun nothing was changed
     */
    public record Outcome(CleanupDecision decision, Set<String> removedLabels, List<String> restartedUnits,
            boolean dryRun) {
        public Outcome {
            requireNonNull(decision, "decision");
            removedLabels = Set.copyOf(requireNonNull(removedLabels, "removedLabels"));
            restartedUnits = List.copyOf(requireNonNull(restartedUnits, "restartedUnits"));
        }

        /** True when another install holds the node, so nothing was restarted. */
        public boolean held() {
            return !(decision instanceof CleanupDecision.Full);
        }
    }

    /**
     * Decides whether another install holds the node; this install's own DaemonSet does not count.
     *
     * @throws KdeployException when the cluster cannot be read (nothing changed)
     */
    public CleanupDecision decide() {
        ClusterView view = cluster.view();
        if (view.unknown().isPresent()) {
            throw new KdeployException("kdeploy reset cannot read the cluster (" + view.unknown().get() + "), so it cannot"
                    + " tell whether another install still holds node " + cluster.nodeName() + ". Nothing was changed."
                    + " Check the API access of this pod (or your kubeconfig) and run it again.");
        }
        List<DaemonSetInfo> others = new ArrayList<>();
        for (DaemonSetInfo ds : view.daemonSets()) {
            if (!(ds.name().equals(self.daemonSetName()) && ds.namespace().equals(self.namespace()))) {
                others.add(ds);
            }
        }
        CleanupDecision d = new NodeAwarePolicy().decide(new ClusterView(others, view.node(), null), self);
        String reason = d.reason();
        int cut = Math.max(reason.indexOf(", and no other install"), reason.indexOf(", but another install"));
        String why = "Reset of " + self.nodeMarkLabel() + (cut < 0 ? ": " + reason : reason.substring(cut + 1));
        return d instanceof CleanupDecision.Full ? new CleanupDecision.Full(why) : new CleanupDecision.InstanceOnly(why);
    }

    /**
     * Resets the node: releases the labels, then (when no other install holds it) restarts {@code units} in order under the
     * node lock and waits for {@code Ready}. A dry run only decides.
     *
     * @throws KdeployException when the cluster cannot be read, a unit does not come back, or the node is not Ready in time
     * @throws io.kdeploy.core.LockTimeoutException when another run holds the node lock too long
     */
    public Outcome reset(List<String> units, boolean dryRun) {
        requireNonNull(units, "units");
        CleanupDecision decision = decide();
        Set<String> remove = new LinkedHashSet<>();
        remove.add(self.nodeMarkLabel());
        boolean alone = decision instanceof CleanupDecision.Full;
        if (alone) {
            remove.add(NodeAgent.SHARED_LABEL);
        }
        if (dryRun) {
            return new Outcome(decision, remove, List.of(), true);
        }
        cluster.updateLabels(Map.of(), remove);
        LOG.log(System.Logger.Level.INFO, () -> "reset on " + cluster.nodeName() + ": removed " + remove + "; "
                + decision.reason());
        if (!alone) {
            return new Outcome(decision, remove, List.of(), false);
        }
        List<String> restarted = new ArrayList<>();
        NodeLock lock = NodeLock.acquire(HostRoot.of(hostRoot), lockTimeout);
        try {
            for (String unit : units) {
                restarter.restart(unit);
                restarted.add(unit);
            }
            cluster.awaitReady(readyTimeout);
        } finally {
            lock.close();
        }
        return new Outcome(decision, remove, restarted, false);
    }
}
