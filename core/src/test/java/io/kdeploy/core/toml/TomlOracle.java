package io.kdeploy.core.toml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Test helper: kdeploy's reader against tomlj 1.1.1, the oracle. */
final class TomlOracle {
    private TomlOracle() {}

    /** The reader's model, or null when it refuses the text. */
    static @Nullable Map<String, Object> reader(String text) {
        try {
            return TomlReader.read(text).model();
        } catch (TomlReader.Rejected e) {
            return null;
        }
    }

    /** The reader's statements of a text it accepts. */
    static java.util.List<TomlScanner.Stmt> statements(String text) {
        try {
            return TomlReader.read(text).stmts();
        } catch (TomlReader.Rejected e) {
            throw new AssertionError(e);
        }
    }

    /** True when the reader refuses the text only because a header extends an inline table (tomlj's documented gap). */
    static boolean refusedAsHeaderInInlineTable(String text) {
        try {
            TomlReader.read(text);
            return false;
        } catch (TomlReader.Rejected e) {
            return e.getMessage().startsWith(TomlReader.HEADER_IN_INLINE_TABLE);
        }
    }

    /** True when the reader refuses the text for the given reason. */
    static boolean refusedFor(String text, String reason) {
        try {
            TomlReader.read(text);
            return false;
        } catch (TomlReader.Rejected e) {
            return e.reason().equals(reason);
        }
    }

    /**
     * True when the reader refuses the text for the escape {@code \'} in a basic string, which TOML 1.0 reserves and
     * tomlj 1.1.1 accepts (the engine then uses tomlj's reading, so such a file still works).
     */
    static boolean refusedForQuoteEscape(String text) {
        try {
            TomlReader.read(text);
            return false;
        } catch (TomlReader.Rejected e) {
            return e.reason().equals("invalid escape") && text.startsWith("\\'", e.at());
        }
    }

    /**
     * Asserts that the reader accepts exactly what tomlj accepts, with the same meaning, but for tomlj's known leniencies,
     * where the reader follows TOML 1.0: a header that extends an inline table, a one-digit field in a date-time or offset
     * ({@code +01:3}; TOML asks for two digits), and the escape {@code \'}.
     */
    static void agree(String text) {
        Map<String, Object> oracle = tomlj(text);
        Map<String, Object> mine = reader(text);
        if (oracle != null && mine == null && (refusedAsHeaderInInlineTable(text)
                || refusedFor(text, "expected 2 digits") || refusedForQuoteEscape(text))) {
            return;
        }
        assertThat(mine != null).as("reader accepts (tomlj: %s) %s", oracle != null, show(text)).isEqualTo(oracle != null);
        if (mine != null) {
            assertThat(mine).as("same meaning as tomlj for %s", show(text)).isEqualTo(oracle);
            assertThat(statements(text)).as("same statements as the scanner for %s", show(text))
                    .isEqualTo(TomlScanner.scan(text));
        }
    }

    /**
     * tomlj's meaning, or null when it refuses the text. tomlj 1.1.1 checks a short {@code \\u} escape with a Java
     * {@code assert}, which fires under the tests' {@code -ea}; without {@code -ea} it reports the error, so that counts as
     * a refusal. tomlj also fails inside on some invalid texts (a {@code NullPointerException} for a time offset
     * with a brace in it), which counts as a refusal too.
     */
    static @Nullable Map<String, Object> tomlj(String text) {
        try {
            return TomljOracle.parse(text);
        } catch (AssertionError | RuntimeException e) {
            return null; // tomlj 1.1.1 also fails with an exception on some broken date-times: a refusal too
        }
    }

    static String show(String text) {
        return "<<" + text.replace("\r", "\\r").replace("\n", "\\n") + ">>";
    }
}
