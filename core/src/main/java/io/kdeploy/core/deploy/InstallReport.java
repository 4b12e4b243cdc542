package io.kdeploy.core.deploy;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.RuntimeInfo;
import java.util.List;

/**
 * What {@link NodeDeployment#install} did (or, for a dry run, would do). The CLI prints it as DESIGN.md §6's JSON line.
 *
 * @param changedFiles node paths of the runtime and Kata configuration files whose bytes this run changed, created or deleted
 * @param artifactFilesWritten artifact files written or removed (0 when the artifacts were already in place)
 * @param restartRequired true when the runtime must restart for the change to take effect (false when nothing changed, and
 *     on k0s, which reloads its drop-ins by itself)
 * @param restarted true when this run restarted it
 * @param handlers the runtime handlers the install registers, e.g. {@code kata-qemu}
 * @param diff the change as a unified diff (configuration files), followed by {@code diff -r}-style lines for the artifact
 *     files; empty when nothing changes
 * @param warnings things that worked but deserve the operator's attention
 * @param runtime the runtime the install was planned for (given or detected)
 */
public record InstallReport(
        List<String> changedFiles,
        int artifactFilesWritten,
        boolean restartRequired,
        boolean restarted,
        List<String> handlers,
        String diff,
        List<String> warnings,
        RuntimeInfo runtime) {
    public InstallReport {
        changedFiles = List.copyOf(requireNonNull(changedFiles, "changedFiles"));
        handlers = List.copyOf(requireNonNull(handlers, "handlers"));
        requireNonNull(diff, "diff");
        warnings = List.copyOf(requireNonNull(warnings, "warnings"));
        requireNonNull(runtime, "runtime");
    }

    /** True when the run changed (or would change) nothing at all. */
    public boolean unchanged() {
        return changedFiles.isEmpty() && artifactFilesWritten == 0;
    }
}
