package io.kdeploy.core.plan;

/**
 * Called by {@link PlanApplier} before each file write or deletion (not for the install record). Production code passes
 * {@link #NONE}; crash tests throw from it to stop an apply half way, as a {@code kill -9} would.
 */
@FunctionalInterface
public interface WriteObserver {
    /** Observes nothing. */
    WriteObserver NONE = nodePath -> {};

    /** About to write or delete the file at {@code nodePath}. */
    void beforeWrite(String nodePath);
}
