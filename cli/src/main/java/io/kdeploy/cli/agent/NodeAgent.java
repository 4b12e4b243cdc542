package io.kdeploy.cli.agent;

import static java.util.Objects.requireNonNull;

import io.kdeploy.cli.host.HealthServer;
import io.kdeploy.cli.host.Termination;
import io.kdeploy.core.CleanupDecision;
import io.kdeploy.core.KdeployException;
import io.kdeploy.core.cleanup.ClusterView;
import io.kdeploy.core.cleanup.Self;
import io.kdeploy.core.cluster.ClusterPort;
import io.kdeploy.core.cluster.ClusterPort.ClusterException;
import io.kdeploy.core.cluster.ClusterPort.EventType;
import io.kdeploy.core.cluster.ClusterPort.HandlerStatus;
import io.kdeploy.core.cluster.PodRef;
import io.kdeploy.core.deploy.CleanupReport;
import io.kdeploy.core.deploy.InstallReport;
import io.kdeploy.core.spi.CleanupPolicy;
import java.lang.System.Logger.Level;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The life cycle of a kdeploy pod on its node, and the cluster-aware cleanup.
 *
 * <p>{@link #run()}: claim the node (this instance's mark {@code false}, and the shared label {@code false} when absent),
 * install through the {@link NodeHost}, wait for the node to be {@code Ready} and to report our runtime handlers, label
 * the node {@code true}, remove the startup taints, answer {@code /readyz} with 200, and block until SIGTERM; then
 * {@link #cleanup()}. SIGTERM during the install stops it at the next safe point and cleans up as well.
 *
 * <p>{@link #cleanup()}: read the cluster, ask the policy, log the decision and post it as a Node Event, then do exactly
 * that. An unreadable cluster means SKIP (the policy's rule), so nothing on the host is touched.
 */
public final class NodeAgent {
    private static final System.Logger LOG = System.getLogger(NodeAgent.class.getName());

    /** The label every install shares; RuntimeClasses select it. */
    public static final String SHARED_LABEL = "katacontainers.io/kata-runtime";

    private final ClusterPort cluster;
    private final NodeHost host;
    private final CleanupPolicy policy;
    private final Self self;
    private final AgentSettings settings;
    private final Termination termination;

    /**
     * @param cluster the node's API access
     * @param host what is done on the host
     * @param policy the cleanup policy
     * @param self this install (pod namespace, {@code DAEMONSET_NAME}, suffix)
     * @param settings probes and waits
     * @param termination how a stop is requested (SIGTERM through the JVM's shutdown hook, or {@link Termination#detached})
     */
    public NodeAgent(ClusterPort cluster, NodeHost host, CleanupPolicy policy, Self self, AgentSettings settings,
            Termination termination) {
        this.cluster = requireNonNull(cluster, "cluster");
        this.host = requireNonNull(host, "host");
        this.policy = requireNonNull(policy, "policy");
        this.self = requireNonNull(self, "self");
        this.settings = requireNonNull(settings, "settings");
        this.termination = requireNonNull(termination, "termination");
    }

    /**
     * Runs the whole life cycle and returns once the cleanup after SIGTERM is done: {@code 0} when it succeeded, {@code 1}
     * when it failed (logged and posted as an Event). The caller reports the status to {@link Termination#finish(int)}.
     *
     * @throws KdeployException when the install fails before any stop was requested: the runtime rejected the config
     *     (exit 4), the node did not become Ready or report our handlers in time (exit 1), … The node labels then stay
     *     {@code false}.
     */
    public int run() {
        try (HealthServer health = HealthServer.start(settings.healthPort())) {
            try {
                install(health);
                LOG.log(Level.INFO, () -> "Kata is installed on node " + cluster.nodeName() + "; waiting for SIGTERM");
                termination.awaitRequest();
            } catch (Termination.Terminated stopped) {
                LOG.log(Level.INFO, () -> "SIGTERM during the install on node " + cluster.nodeName()
                        + "; stopped at a safe point, cleaning up");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KdeployException("The agent on node " + cluster.nodeName() + " was interrupted while waiting"
                        + " for SIGTERM; nothing was cleaned up. Run 'kdeploy cleanup' on the node if needed.", e);
            } catch (KdeployException e) {
                if (!termination.requested()) {
                    cluster.postEvent(EventType.WARNING, "KataInstallFailed", "kdeploy could not install instance "
                            + self.nodeMarkLabel() + " on node " + cluster.nodeName() + ": " + e.getMessage());
                    throw e;
                }
                LOG.log(Level.INFO, () -> "SIGTERM during the install on node " + cluster.nodeName() + " ("
                        + e.getMessage() + "); cleaning up");
            }
            health.markNotReady();
            return cleanupAfterStop();
        }
    }

    private int cleanupAfterStop() {
        try {
            cleanup();
            return 0;
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, () -> "Cleanup on node " + cluster.nodeName() + " failed: " + e.getMessage(), e);
            cluster.postEvent(EventType.WARNING, "KataCleanupFailed", "kdeploy cleanup of instance "
                    + self.nodeMarkLabel() + " failed: " + e.getMessage() + " Run 'kdeploy cleanup' on the node.");
            return 1;
        }
    }

    private void install(HealthServer health) {
        String node = cluster.nodeName();
        String mark = self.nodeMarkLabel();
        finishPendingRemoval();
        termination.checkpoint();
        Map<String, String> labels = cluster.updateLabels(Map.of(mark, "false"), Set.of());
        if (!labels.containsKey(SHARED_LABEL)) {
            cluster.updateLabels(Map.of(SHARED_LABEL, "false"), Set.of());
        }
        LOG.log(Level.INFO, () -> "Claimed node " + node + ": " + mark + "=false");
        termination.checkpoint();
        String installed = summary(host.install(termination::checkpoint));
        LOG.log(Level.INFO, () -> "Installed on node " + node + ": " + installed);
        List<String> handlers = host.handlers();
        termination.interruptibly(() -> {
            cluster.awaitReady(settings.readyTimeout());
            return Boolean.TRUE;
        });
        HandlerStatus status = termination.interruptibly(
                () -> cluster.awaitHandlers(handlers, settings.handlersTimeout()));
        termination.interruptibly(() -> cluster.settleLabels(Map.of(SHARED_LABEL, "true", mark, "true"), Set.of(),
                settings.labelSettle(), settings.labelTimeout()));
        List<?> removed = cluster.removeTaints(settings.startupTaints());
        health.markReady();
        String confirmed = status == HandlerStatus.SERVED
                ? "the node reports the handlers " + handlers
                : "the node does not report runtime handlers, so " + handlers + " could not be confirmed";
        String message = "kdeploy installed instance " + mark + " (" + installed + "); " + confirmed + "; labels "
                + SHARED_LABEL + "=true and " + mark + "=true" + (removed.isEmpty() ? "" : "; removed taints " + removed)
                + ".";
        LOG.log(Level.INFO, message);
        cluster.postEvent(EventType.NORMAL, "KataInstalled", message);
    }

    /** On agent start: a removal an earlier cleanup left for running pods is finished once no pod uses the files. */
    private void finishPendingRemoval() {
        Optional<CleanupDecision> pending = host.pendingCleanup();
        if (pending.isEmpty()) {
            return;
        }
        List<PodRef> pods;
        try {
            pods = cluster.podsUsingHandlers(host.handlers());
        } catch (ClusterException e) {
            LOG.log(Level.WARNING, () -> "An earlier cleanup kept Kata files for running pods; cannot tell whether they"
                    + " still run (" + e.getMessage() + "), so the files stay");
            return;
        }
        if (!pods.isEmpty()) {
            LOG.log(Level.INFO, () -> "An earlier cleanup kept Kata files that " + names(pods) + " still use");
            return;
        }
        String done = summary(host.cleanup(pending.get(), Set.of()));
        String message = "The pods that held Kata files of instance " + self.nodeMarkLabel() + " are gone; finished the"
                + " earlier " + pending.get().name() + " cleanup: " + done;
        LOG.log(Level.INFO, message);
        cluster.postEvent(EventType.NORMAL, "KataCleanupFinished", message);
    }

    /**
     * Reads the cluster, asks the policy, logs and posts the decision, and carries it out. Labels go before the host files,
     * so that nothing new is scheduled onto a half-removed install; when they cannot be removed the host stays untouched.
     *
     * @throws KdeployException when a label cannot be removed or the host cleanup fails (the Event says which)
     */
    public CleanupOutcome cleanup() {
        String node = cluster.nodeName();
        ClusterView view = cluster.view();
        CleanupDecision decision = policy.decide(view, self);
        String decided = decision.name() + " (policy " + policy.id() + ", instance " + self.nodeMarkLabel() + "): "
                + decision.reason();
        LOG.log(Level.INFO, () -> "Cleanup decision on node " + node + ": " + decided);
        cluster.postEvent(view.unknown().isPresent() ? EventType.WARNING : EventType.NORMAL, "KataCleanupDecision",
                decided);
        if (decision instanceof CleanupDecision.Skip) {
            return new CleanupOutcome(policy.id(), decision, List.of(), Set.of(), Set.of(), CleanupReport.nothing(decision));
        }
        List<PodRef> pods = List.of();
        Set<String> kept;
        @Nullable String unlisted = null;
        try {
            pods = cluster.podsUsingHandlers(host.handlers());
            kept = pods.stream().map(PodRef::handler).collect(Collectors.toCollection(TreeSet::new));
        } catch (ClusterException e) {
            unlisted = e.getMessage();
            kept = new TreeSet<>(host.handlers());
        }
        Set<String> remove = new LinkedHashSet<>();
        remove.add(self.nodeMarkLabel());
        if (decision instanceof CleanupDecision.Full) {
            remove.add(SHARED_LABEL);
        }
        cluster.updateLabels(Map.of(), remove);
        CleanupReport report = host.cleanup(decision, kept);
        String done = summary(report);
        if (unlisted != null) {
            cluster.postEvent(EventType.WARNING, "KataFilesKept", "Cannot tell which pods use the handlers " + kept
                    + " (" + unlisted + "), so they were unregistered but their binaries and configurations stay. Run"
                    + " 'kdeploy cleanup' on node " + node + " to finish.");
        } else if (!kept.isEmpty()) {
            cluster.postEvent(EventType.WARNING, "KataFilesKept", "The handlers " + kept + " were unregistered, but"
                    + " their binaries and configurations stay while " + names(pods) + " still run on node " + node
                    + ". A later 'kdeploy cleanup' (or the next agent start) removes them once those pods are gone.");
        }
        String message = "kdeploy " + decision.name() + " cleanup of instance " + self.nodeMarkLabel() + " done: "
                + done + "; removed labels " + remove + ".";
        LOG.log(Level.INFO, message);
        cluster.postEvent(EventType.NORMAL, "KataCleanedUp", message);
        return new CleanupOutcome(policy.id(), decision, pods, kept, remove, report);
    }

    private static String summary(InstallReport r) {
        return files(r.changedFiles()) + ", " + r.artifactFilesWritten() + " artifact file(s) written, "
                + restart(r.restartRequired(), r.restarted()) + " (" + r.runtime().toRuntimeVersion() + ")";
    }

    private static String summary(CleanupReport r) {
        return files(r.changedFiles()) + ", " + r.artifactFilesRemoved() + " artifact file(s) removed, "
                + restart(r.restartRequired(), r.restarted())
                + (r.keptForInUse().isEmpty() ? "" : ", kept for running pods " + r.keptForInUse());
    }

    private static String files(List<String> changed) {
        return changed.isEmpty() ? "no configuration file changed" : "changed " + changed;
    }

    private static String restart(boolean required, boolean restarted) {
        if (restarted) {
            return "runtime restarted";
        }
        return required ? "runtime NOT restarted although its configuration changed" : "no runtime restart needed";
    }

    private static String names(List<PodRef> pods) {
        return pods.stream().map(p -> p.qualifiedName() + " (" + p.runtimeClassName() + ")")
                .collect(Collectors.joining(", "));
    }
}
