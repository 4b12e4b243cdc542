package io.kdeploy.core.toml;

import java.util.List;
import java.util.stream.Collectors;

/** Builds TOML value literals for {@link TomlEdit}s. */
public final class TomlValues {
    private TomlValues() {}

    /** The basic-string literal of {@code value}, e.g. {@code "io.containerd.kata-qemu.v2"}, escaped as TOML requires. */
    public static String string(String value) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\u%04X", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** An inline array of string literals, e.g. {@code ["a", "b"]}. */
    public static String stringArray(List<String> values) {
        return values.stream().map(TomlValues::string).collect(Collectors.joining(", ", "[", "]"));
    }

    /** The literal of a boolean: {@code true} or {@code false}. */
    public static String bool(boolean value) {
        return Boolean.toString(value);
    }

    /** The literal of an integer. */
    public static String integer(long value) {
        return Long.toString(value);
    }
}
