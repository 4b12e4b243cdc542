package io.kdeploy.core;

/**
 * A path would leave the place it must stay in: an archive entry with {@code ..} or an absolute name, a link pointing out of
 * the destination, or a host path whose symlink leads out of the host root. Nothing was written (exit 2).
 */
public class UnsafePathException extends InvalidSpecException {
    private static final long serialVersionUID = 1L;

    public UnsafePathException(String message) {
        super(message);
    }
}
