package io.kdeploy.core.cluster;

import static java.util.Objects.requireNonNull;

/**
 * A pod on this node that uses one of our runtime handlers.
 *
 * @param namespace the pod's namespace
 * @param name the pod's name
 * @param runtimeClassName the pod's {@code spec.runtimeClassName}
 * @param handler the handler that RuntimeClass maps to (the RuntimeClass name when it no longer exists)
 */
public record PodRef(String namespace, String name, String runtimeClassName, String handler) {
    public PodRef {
        requireNonNull(namespace, "namespace");
        requireNonNull(name, "name");
        requireNonNull(runtimeClassName, "runtimeClassName");
        requireNonNull(handler, "handler");
    }

    /** {@code namespace/name}, as {@code kubectl} names it. */
    public String qualifiedName() {
        return namespace + "/" + name;
    }
}
