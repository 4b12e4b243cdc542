package io.kdeploy.core;

import org.jspecify.annotations.Nullable;

/** A provider is unknown, broken, or two providers claim one id (exit 2: the operator named or installed the wrong thing). */
public class ProviderException extends InvalidSpecException {
    private static final long serialVersionUID = 1L;

    public ProviderException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
