package io.kdeploy.core;

import org.jspecify.annotations.Nullable;

/**
 * Root of every error kdeploy reports on purpose. The message is one actionable paragraph (what, which value, what to do);
 * {@link #exitCode()} is the command-line exit code of DESIGN.md §6.
 */
public class KdeployException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KdeployException(String message) {
        super(message);
    }

    public KdeployException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /** The process exit code this error maps to: 1 unless a subtype says otherwise. */
    public int exitCode() {
        return 1;
    }
}
