package io.kdeploy.core.toml;

import java.util.ArrayList;
import java.util.List;

/**
 * A TOML key path as a list of segments, e.g. {@code plugins."io.containerd.grpc.v1.cri".containerd.runtimes.kata-qemu}.
 * Equality is by segments, so a path matches however a file spells it (header, dotted key, quotes).
 */
public record KeyPath(List<String> segments) {

    public KeyPath {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a key path needs at least one segment");
        }
    }

    /** A path of these segments. */
    public static KeyPath of(String... segments) {
        return new KeyPath(List.of(segments));
    }

    /**
     * Parses a dotted path with TOML quoting: bare segments, {@code "double"} (with backslash escapes) and {@code 'literal'}.
     *
     * @throws IllegalArgumentException on an empty segment or an unterminated quote
     */
    public static KeyPath parse(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                i++;
            }
            StringBuilder seg = new StringBuilder();
            if (i < n && (text.charAt(i) == '"' || text.charAt(i) == '\'')) {
                char q = text.charAt(i++);
                while (i < n && text.charAt(i) != q) {
                    char c = text.charAt(i++);
                    if (q == '"' && c == '\\' && i < n) {
                        c = text.charAt(i++);
                    }
                    seg.append(c);
                }
                if (i >= n) {
                    throw new IllegalArgumentException("unterminated quote in key path: " + text);
                }
                i++;
            } else {
                while (i < n && text.charAt(i) != '.' && text.charAt(i) != ' ' && text.charAt(i) != '\t') {
                    seg.append(text.charAt(i++));
                }
                if (seg.length() == 0) {
                    throw new IllegalArgumentException("empty segment in key path: " + text);
                }
            }
            out.add(seg.toString());
            while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                i++;
            }
            if (i < n) {
                if (text.charAt(i) != '.') {
                    throw new IllegalArgumentException("expected '.' at " + i + " in key path: " + text);
                }
                i++;
            }
        }
        return new KeyPath(out);
    }

    /** This path with one more segment. */
    public KeyPath child(String segment) {
        List<String> s = new ArrayList<>(segments);
        s.add(segment);
        return new KeyPath(s);
    }

    /** The path without its last segment; throws on a one-segment path. */
    public KeyPath parent() {
        if (segments.size() == 1) {
            throw new IllegalStateException("root key has no parent: " + this);
        }
        return new KeyPath(segments.subList(0, segments.size() - 1));
    }

    /** The last segment. */
    public String leaf() {
        return segments.get(segments.size() - 1);
    }

    /** True when {@code other} equals this path or lies under it. */
    public boolean contains(KeyPath other) {
        return other.segments.size() >= segments.size() && other.segments.subList(0, segments.size()).equals(segments);
    }

    /** The path as TOML writes it: bare segments where allowed, double-quoted otherwise. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (String s : segments) {
            if (b.length() > 0) {
                b.append('.');
            }
            if (isBare(s)) {
                b.append(s);
            } else {
                b.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return b.toString();
    }

    /** True when a segment may be written without quotes: one or more of {@code A-Za-z0-9_-}. */
    private static boolean isBare(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
