package io.kdeploy.core.cleanup;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the Kubernetes API said when cleanup asked: the DaemonSets of all namespaces and this node, or, when the API could not
 * be read, why not ({@link #unknownCause()}). A policy never deletes on an unknown view.
 */
public record ClusterView(List<DaemonSetInfo> daemonSets, @Nullable NodeInfo node, @Nullable String unknownCause) {
    public ClusterView {
        daemonSets = List.copyOf(requireNonNull(daemonSets, "daemonSets"));
        if (unknownCause == null && node == null) {
            throw new IllegalArgumentException("a known cluster view needs the node");
        }
    }

    /** A view read completely. */
    public static ClusterView known(List<DaemonSetInfo> daemonSets, NodeInfo node) {
        return new ClusterView(daemonSets, requireNonNull(node, "node"), null);
    }

    /** A view that could not be read, with the cause (e.g. {@code GET daemonsets: 403 Forbidden}). */
    public static ClusterView unknown(String cause) {
        return new ClusterView(List.of(), null, requireNonNull(cause, "cause"));
    }

    /** The cause when the view is unknown. */
    public Optional<String> unknown() {
        return Optional.ofNullable(unknownCause);
    }
}
