package io.kdeploy.core.cleanup;

import static java.util.Objects.requireNonNull;

/** What the cleanup decision needs of a DaemonSet: its namespace and name, whether it is being deleted, and its pod placement. */
public record DaemonSetInfo(String namespace, String name, boolean terminating, PodPlacement placement) {
    public DaemonSetInfo {
        requireNonNull(namespace, "namespace");
        requireNonNull(name, "name");
        requireNonNull(placement, "placement");
    }
}
