package io.kdeploy.core.toml;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.MalformedConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * tomlj 1.1.1, the parser of record: it is only loaded when kdeploy's own reader refuses a text, to name the line, column
 * and reason of the error (or, should it accept the text, to give its meaning). Kept apart so that reading a valid file
 * never loads tomlj and ANTLR.
 */
final class TomljOracle {
    private TomljOracle() {}

    /**
     * tomlj's meaning of a text kdeploy's reader refused.
     *
     * @throws MalformedConfigException with tomlj's line, column and reason when tomlj refuses the text, and with the
     *     reader's when tomlj fails on it (tomlj 1.1.1 throws, for example, a {@code NullPointerException} on some broken
     *     date-times such as {@code 1979-05-27T07:32:00.9-9+01:30})
     */
    static Map<String, Object> parseOrThrow(String nodePath, String text, TomlReader.Rejected rejected) {
        TomlParseResult r;
        try {
            r = Toml.parse(text);
        } catch (RuntimeException | AssertionError failure) {
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < Math.min(rejected.at(), text.length()); i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new MalformedConfigException(nodePath, line, rejected.at() - lineStart + 1, rejected.reason(), failure);
        }
        if (r.hasErrors()) {
            TomlParseError e = r.errors().get(0);
            String msg = e.getMessage();
            int cut = msg.lastIndexOf(" (line ");
            throw new MalformedConfigException(
                    nodePath,
                    e.position().line(),
                    e.position().column(),
                    cut > 0 ? msg.substring(0, cut) : msg,
                    e);
        }
        return toMap(r);
    }

    /** tomlj's meaning of {@code text}, or null when tomlj refuses it. */
    static @Nullable Map<String, Object> parse(String text) {
        TomlParseResult r = Toml.parse(text);
        return r.hasErrors() ? null : toMap(r);
    }

    private static Map<String, Object> toMap(TomlTable t) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : t.keySet()) {
            m.put(k, plain(t.get(List.of(k))));
        }
        return m;
    }

    private static Object plain(@Nullable Object v) {
        requireNonNull(v, "value");
        if (v instanceof TomlTable t) {
            return toMap(t);
        }
        if (v instanceof TomlArray a) {
            List<Object> l = new ArrayList<>(a.size());
            for (int i = 0; i < a.size(); i++) {
                l.add(plain(a.get(i)));
            }
            return l;
        }
        return v;
    }
}
