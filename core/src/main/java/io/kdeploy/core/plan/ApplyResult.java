package io.kdeploy.core.plan;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@link PlanApplier#apply} did.
 *
 * @param changedPaths node paths whose bytes were written, created or deleted (empty: nothing was touched)
 * @param restartRequired true when files changed and the plan names a unit to restart
 * @param validationOutput what the validation command printed, {@code null} when none ran
 */
public record ApplyResult(List<String> changedPaths, boolean restartRequired, @Nullable String validationOutput) {
    public ApplyResult {
        changedPaths = List.copyOf(requireNonNull(changedPaths, "changedPaths"));
    }

    /** True when nothing was written. */
    public boolean unchanged() {
        return changedPaths.isEmpty();
    }
}
