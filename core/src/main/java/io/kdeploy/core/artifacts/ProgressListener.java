package io.kdeploy.core.artifacts;

/**
 * Told how an install advances. Called on the installing thread, often (after every file and every few megabytes), so it must
 * be quick; rendering and throttling are the caller's business. An install that writes files reports first with nothing
 * done, as its writing begins, so that rates can be measured from there.
 */
@FunctionalInterface
public interface ProgressListener {
    /** Ignores every report. */
    ProgressListener NONE = p -> { };

    /** The install has advanced to {@code progress}. */
    void update(Progress progress);

    /**
     * Where an install stands.
     *
     * @param filesDone files written so far
     * @param filesTotal files to write in all
     * @param bytesDone bytes written so far
     * @param bytesTotal bytes to write in all
     * @param path the file being written, relative to the destination
     */
    record Progress(long filesDone, long filesTotal, long bytesDone, long bytesTotal, String path) {
        public Progress {
            java.util.Objects.requireNonNull(path, "path");
        }
    }
}
