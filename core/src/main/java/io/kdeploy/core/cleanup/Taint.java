package io.kdeploy.core.cleanup;

import static java.util.Objects.requireNonNull;

/** A node taint: {@code key}, {@code value} ({@code ""} when none) and {@code effect} ({@code NoSchedule}, {@code PreferNoSchedule}, {@code NoExecute}). */
public record Taint(String key, String value, String effect) {
    public Taint {
        requireNonNull(key, "key");
        requireNonNull(value, "value");
        requireNonNull(effect, "effect");
    }
}
