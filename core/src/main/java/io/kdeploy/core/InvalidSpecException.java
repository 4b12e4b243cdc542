package io.kdeploy.core;

import org.jspecify.annotations.Nullable;

/** The deployment spec, a flag or another input the operator gave is invalid; nothing on the host was touched (exit 2). */
public class InvalidSpecException extends KdeployException {
    private static final long serialVersionUID = 1L;

    public InvalidSpecException(String message) {
        super(message);
    }

    public InvalidSpecException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return 2;
    }
}
