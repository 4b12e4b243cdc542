package io.kdeploy.core.cluster;

import io.kdeploy.core.KdeployException;
import io.kdeploy.core.cleanup.ClusterView;
import io.kdeploy.core.cleanup.Taint;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the node agent asks of the Kubernetes API about its own node. Implementations are thread-safe. Writes are
 * guarded by the Node's {@code resourceVersion} and retried on a conflict or a briefly unavailable API server; a write that
 * still fails is a {@link ClusterException}. Waits watch the Node (no polling) and abort with a {@link ClusterException}
 * when the calling thread is interrupted.
 */
public interface ClusterPort {

    /** The node this port acts on ({@code NODE_NAME}). */
    String nodeName();

    /**
     * Reads what the cleanup decision needs: the DaemonSets of all namespaces and this Node. Never throws: any API
     * failure, timeout or refusal (e.g. 403) yields {@link ClusterView#unknown(String)} naming the request and the cause.
     */
    ClusterView view();

    /**
     * Sets {@code set} and removes {@code remove} in the Node's labels in one guarded write, retried on a conflict. Does
     * not write when the labels already are as asked.
     *
     * @return the Node's labels after the change
     */
    Map<String, String> updateLabels(Map<String, String> set, Set<String> remove);

    /**
     * Applies a label change as {@link #updateLabels} does, then watches the Node until the labels have held for
     * {@code settle}, applying the change again whenever something else rewrote them (on k3s and rke2 the CRI restart
     * restarts the kubelet, which re-registers the node and can drop labels seconds later).
     *
     * @return the Node's labels once they held
     * @throws ClusterException when they did not hold for {@code settle} within {@code timeout}
     */
    Map<String, String> settleLabels(Map<String, String> set, Set<String> remove, Duration settle, Duration timeout);

    /**
     * Removes the Node taints matching {@code specs}, each {@code key} (every effect) or {@code key:effect}, in one guarded
     * write retried on a conflict.
     *
     * @return the taints removed, empty when none matched
     */
    List<Taint> removeTaints(Collection<String> specs);

    /**
     * Posts an Event about this Node. Best effort: an API failure is logged and reported as {@code false}, never thrown,
     * because events are also posted when the API is failing.
     */
    boolean postEvent(EventType type, String reason, String message);

    /**
     * The pods on this node whose RuntimeClass maps to one of {@code handlers}, and that have not finished. A pod whose
     * RuntimeClass no longer exists counts when the RuntimeClass name is one of the handlers (our RuntimeClasses are
     * named after their handler), so a running Kata pod is never missed because its RuntimeClass was deleted first.
     *
     * @throws ClusterException when the pods or RuntimeClasses cannot be read (the caller must then keep the files)
     */
    List<PodRef> podsUsingHandlers(Collection<String> handlers);

    /**
     * Waits until the Node's {@code Ready} condition is {@code True}.
     *
     * @throws ClusterException after {@code timeout}, naming the last Ready condition seen
     */
    void awaitReady(Duration timeout);

    /**
     * Waits until every handler appears in {@code Node.status.runtimeHandlers}.
     *
     * @return {@link HandlerStatus#NOT_REPORTED} at once when the kubelet does not publish the field (older than 1.30)
     * @throws ClusterException after {@code timeout}, naming the missing handlers and those the node reports
     */
    HandlerStatus awaitHandlers(Collection<String> handlers, Duration timeout);

    /** The kind of a Node Event. */
    enum EventType {
        /** Something expected happened (installed, cleaned up, skipped by decision). */
        NORMAL("Normal"),
        /** The operator should look (unknown cluster view, files kept for running pods, a failed step). */
        WARNING("Warning");

        private final String apiValue;

        EventType(String apiValue) {
            this.apiValue = apiValue;
        }

        /** The value of the Event's {@code type} field. */
        public String apiValue() {
            return apiValue;
        }
    }

    /** Whether the node confirmed that the CRI serves our handlers. */
    enum HandlerStatus {
        /** Every handler is listed in {@code Node.status.runtimeHandlers}. */
        SERVED,
        /** The kubelet does not publish {@code runtimeHandlers}, so nothing can be confirmed. */
        NOT_REPORTED
    }

    /** Raised when a write or a wait against the API fails; exit code 1. */
    final class ClusterException extends KdeployException {
        private static final long serialVersionUID = 1L;

        /** An API failure with its cause chained. */
        public ClusterException(String message, Throwable cause) {
            super(message, cause);
        }

        /** A failed wait or check without an underlying exception. */
        public ClusterException(String message) {
            super(message);
        }
    }
}
