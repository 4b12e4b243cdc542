package io.kdeploy.core.spec;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.InvalidSpecException;
import org.jspecify.annotations.Nullable;

/**
 * A spec value is invalid. The message starts with the {@link Origin} ({@code SNAPSHOTTER_HANDLER_MAPPING_X86_64: …} or
 * {@code config.yaml:4:3: shims: …}), then names the value, what is allowed and how to fix it. Exit code 2.
 */
public class SpecValueException extends InvalidSpecException {
    private static final long serialVersionUID = 1L;

    private final Origin origin;

    /** An error about the value at {@code origin}; {@code message} follows the origin in {@link #getMessage()}. */
    public SpecValueException(Origin origin, String message) {
        this(origin, message, null);
    }

    /** As {@link #SpecValueException(Origin, String)}, with a cause. */
    public SpecValueException(Origin origin, String message, @Nullable Throwable cause) {
        super(requireNonNull(origin, "origin") + ": " + message, cause);
        this.origin = origin;
    }

    /** Where the bad value came from (variable, or file, line and column). */
    public Origin origin() {
        return origin;
    }
}
