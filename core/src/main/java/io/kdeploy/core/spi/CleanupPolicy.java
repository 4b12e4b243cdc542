package io.kdeploy.core.spi;

import io.kdeploy.core.CleanupDecision;
import io.kdeploy.core.cleanup.ClusterView;
import io.kdeploy.core.cleanup.Self;

/**
 * Decides what a cleanup may remove. Pure: the decision depends only on the arguments. Found with
 * {@link java.util.ServiceLoader}; built in are {@code node-aware} (the default) and {@code three-stage}.
 */
public interface CleanupPolicy {

    /** A stable lowercase id, e.g. {@code node-aware}. */
    String id();

    /** The decision for {@code self} given what the cluster looks like; an unknown view must give {@code SKIP}. */
    CleanupDecision decide(ClusterView view, Self self);
}
