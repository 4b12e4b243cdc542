package io.kdeploy.core.artifacts;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What an uninstall removed and what it kept.
 *
 * @param nodeDest the destination's node path
 * @param manifestFound false when the destination had no manifest (then nothing is removed)
 * @param filesRemoved files and symlinks removed (the manifest included)
 * @param directoriesRemoved directories removed because they became empty
 * @param keptModified files the manifest lists whose content someone changed: kept (relative paths)
 * @param keptForeign files the manifest does not list that remain in the destination: kept (relative paths)
 */
public record UninstallReport(
        String nodeDest,
        boolean manifestFound,
        int filesRemoved,
        int directoriesRemoved,
        List<String> keptModified,
        List<String> keptForeign) {

    public UninstallReport {
        requireNonNull(nodeDest, "nodeDest");
        keptModified = List.copyOf(requireNonNull(keptModified, "keptModified"));
        keptForeign = List.copyOf(requireNonNull(keptForeign, "keptForeign"));
    }

    /** True when everything of the install is gone and nothing was kept. */
    public boolean clean() {
        return keptModified.isEmpty() && keptForeign.isEmpty();
    }
}
