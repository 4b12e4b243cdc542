package io.kdeploy.core.cleanup;

import static java.util.Objects.requireNonNull;

/**
 * The install asking for a decision: the pod's namespace, its DaemonSet's exact name ({@code DAEMONSET_NAME}) and its
 * multi-install suffix ({@code ""} for the default instance).
 */
public record Self(String namespace, String daemonSetName, String suffix) {
    public Self {
        requireNonNull(namespace, "namespace");
        requireNonNull(daemonSetName, "daemonSetName");
        requireNonNull(suffix, "suffix");
    }

    /** This install's node mark: {@code kata-deploy.katacontainers.io/<suffix|default>}. */
    public String nodeMarkLabel() {
        return "kata-deploy.katacontainers.io/" + (suffix.isEmpty() ? "default" : suffix);
    }
}
