package io.kdeploy.core;

import static java.util.Objects.requireNonNull;

/**
 * What a cleanup must do, with the reason a human reads in the log and the Node Event. Decided by a
 * {@link io.kdeploy.core.spi.CleanupPolicy}; {@link #name()} is the form printed by {@code kdeploy decide}.
 */
public sealed interface CleanupDecision permits CleanupDecision.Skip, CleanupDecision.InstanceOnly, CleanupDecision.Full {

    /** Why this decision was taken. */
    String reason();

    /** {@code SKIP}, {@code INSTANCE_ONLY} or {@code FULL}. */
    String name();

    /** Touch nothing: the pod is only restarting, or the cluster could not be read. */
    record Skip(String reason) implements CleanupDecision {
        public Skip {
            requireNonNull(reason, "reason");
        }

        @Override
        public String name() {
            return "SKIP";
        }
    }

    /** Remove only this install's files, config entries and node mark; leave shared things to the other installs. */
    record InstanceOnly(String reason) implements CleanupDecision {
        public InstanceOnly {
            requireNonNull(reason, "reason");
        }

        @Override
        public String name() {
            return "INSTANCE_ONLY";
        }
    }

    /** Remove everything, including the shared node label, and restart the runtime. */
    record Full(String reason) implements CleanupDecision {
        public Full {
            requireNonNull(reason, "reason");
        }

        @Override
        public String name() {
            return "FULL";
        }
    }
}
