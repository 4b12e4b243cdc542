package io.kdeploy.core.artifacts;

/**
 * How an install compares source and destination.
 *
 * @param verify hash every file of the source and the destination instead of trusting a size and modification time that
 *     still match the manifest (rsync's {@code --checksum})
 */
public record InstallOptions(boolean verify) {
    /** The rsync-like fast path. */
    public static final InstallOptions DEFAULTS = new InstallOptions(false);

    /** Hash everything. */
    public static final InstallOptions VERIFY = new InstallOptions(true);
}
