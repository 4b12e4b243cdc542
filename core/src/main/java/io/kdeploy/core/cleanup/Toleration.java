package io.kdeploy.core.cleanup;

import static java.util.Objects.requireNonNull;

/**
 * A pod toleration. {@code operator} is {@code Equal} or {@code Exists}; {@code key} {@code ""} with {@code Exists} tolerates
 * every taint; {@code effect} {@code ""} matches every effect.
 */
public record Toleration(String key, String operator, String value, String effect) {
    public Toleration {
        requireNonNull(key, "key");
        requireNonNull(operator, "operator");
        requireNonNull(value, "value");
        requireNonNull(effect, "effect");
    }
}
