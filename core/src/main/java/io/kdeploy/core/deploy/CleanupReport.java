package io.kdeploy.core.deploy;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.CleanupDecision;
import java.util.List;

/**
 * What {@link NodeDeployment#cleanup} did (or, for a dry run, would do).
 *
 * @param decision the decision carried out
 * @param changedFiles node paths of the runtime and Kata configuration files whose bytes this run changed or deleted
 * @param artifactFilesRemoved artifact files removed
 * @param restartRequired true when the runtime must restart to forget the handlers
 * @param restarted true when this run restarted it (only a {@code FULL} cleanup does)
 * @param keptForInUse node paths of shim binaries and Kata configurations kept because running pods still use them; a later
 *     cleanup removes them
 * @param warnings things the operator should know (files kept because someone changed them, …)
 * @param diff the configuration change as a unified diff; empty when nothing changes
 */
public record CleanupReport(
        CleanupDecision decision,
        List<String> changedFiles,
        int artifactFilesRemoved,
        boolean restartRequired,
        boolean restarted,
        List<String> keptForInUse,
        List<String> warnings,
        String diff) {
    public CleanupReport {
        requireNonNull(decision, "decision");
        changedFiles = List.copyOf(requireNonNull(changedFiles, "changedFiles"));
        keptForInUse = List.copyOf(requireNonNull(keptForInUse, "keptForInUse"));
        warnings = List.copyOf(requireNonNull(warnings, "warnings"));
        requireNonNull(diff, "diff");
    }

    /** The report of a cleanup that touched nothing (a {@code SKIP}). */
    public static CleanupReport nothing(CleanupDecision decision) {
        return new CleanupReport(decision, List.of(), 0, false, false, List.of(), List.of(), "");
    }
}
