package io.kdeploy.core.artifacts;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What an install did.
 *
 * @param nodeDest the destination's node path
 * @param filesWritten files (and symlinks) written
 * @param filesRemoved files of the previous install removed because the new one does not ship them
 * @param metadataUpdated files whose content was right and whose mode or modification time was set
 * @param bytesWritten bytes written
 * @param kept files of the previous install that are no longer shipped but were changed by someone, so they stay (relative
 *     paths)
 * @param manifestWritten true when the manifest changed
 */
public record ArtifactResult(
        String nodeDest,
        int filesWritten,
        int filesRemoved,
        int metadataUpdated,
        long bytesWritten,
        List<String> kept,
        boolean manifestWritten) {

    public ArtifactResult {
        requireNonNull(nodeDest, "nodeDest");
        kept = List.copyOf(requireNonNull(kept, "kept"));
    }

    /** Files written or removed: the CLI's {@code artifactFilesWritten}. 0 when a re-install found nothing to do. */
    public int artifactFilesWritten() {
        return filesWritten + filesRemoved;
    }
}
