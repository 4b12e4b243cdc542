package io.kdeploy.core.toml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential tests: kdeploy's reader accepts exactly what tomlj 1.1.1 accepts, with the same meaning (except a header
 * extending an inline table, which TOML 1.0 forbids, tomlj accepts and the reader refuses), on every corpus file, on
 * generated documents and on seeded mutations of the corpus.
 */
class TomlReaderOracleTest {
    static final int MUTATIONS = 1500;

    static Path corpusRoot() {
        return Path.of(System.getProperty("kdeploy.corpus", "../src/corpus"));
    }

    static Stream<Path> corpusFiles() throws IOException {
        try (Stream<Path> files = Files.walk(corpusRoot())) {
            return files.filter(f -> f.toString().endsWith(".toml")).sorted().toList().stream();
        }
    }

    static String read(Path f) {
        try {
            String s = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
            return s.startsWith("\uFEFF") ? s.substring(1) : s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusFiles")
    void agreesWithTomljOnEveryCorpusFile(Path file) {
        TomlOracle.agree(read(file));
    }

    @Test
    void theCorpusHasFilesToCompare() throws IOException {
        assertThat(corpusFiles().count()).isGreaterThan(20);
        assertThat(corpusFiles().map(TomlReaderOracleTest::read).filter(t -> TomlOracle.reader(t) != null).count())
                .isGreaterThan(20);
    }

    private static final String NOISE = "\"'[]{}=.,#\n\\ \t019aeZ_-+:Tx\r";

    /** One seeded mutation: deleted or inserted characters, duplicated or dropped lines, flipped quotes and brackets. */
    static String mutate(String text, Random rnd) {
        StringBuilder b = new StringBuilder(text);
        int edits = 1 + rnd.nextInt(3);
        for (int e = 0; e < edits && b.length() > 0; e++) {
            int at = rnd.nextInt(b.length());
            switch (rnd.nextInt(6)) {
                case 0 -> b.deleteCharAt(at);
                case 1 -> b.insert(at, NOISE.charAt(rnd.nextInt(NOISE.length())));
                case 2, 3 -> {
                    int ls = b.lastIndexOf("\n", at) + 1;
                    int le = b.indexOf("\n", at);
                    String line = b.substring(ls, le < 0 ? b.length() : le + 1);
                    if (rnd.nextBoolean()) {
                        int target = rnd.nextBoolean() ? ls : b.lastIndexOf("\n", Math.max(0, rnd.nextInt(b.length()))) + 1;
                        b.insert(target, line.endsWith("\n") ? line : line + "\n");
                    } else {
                        b.delete(ls, ls + line.length());
                    }
                }
                case 4 -> {
                    int q = indexOfAny(b, "\"'", at);
                    if (q >= 0) {
                        b.setCharAt(q, b.charAt(q) == '"' ? '\'' : '"');
                    }
                }
                default -> {
                    int q = indexOfAny(b, "[]{}", at);
                    if (q >= 0) {
                        b.setCharAt(q, "][}{".charAt("[]{}".indexOf(b.charAt(q))));
                    }
                }
            }
        }
        return b.toString();
    }

    private static int indexOfAny(CharSequence s, String chars, int from) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void agreesWithTomljOnSeededMutationsOfTheCorpus() throws IOException {
        List<String> texts = corpusFiles().map(TomlReaderOracleTest::read).filter(t -> !t.isEmpty()).toList();
        Random rnd = new Random(20261125L);
        int accepted = 0;
        for (int i = 0; i < MUTATIONS; i++) {
            String m = mutate(texts.get(rnd.nextInt(texts.size())), rnd);
            TomlOracle.agree(m);
            if (TomlOracle.reader(m) != null) {
                accepted++;
            }
        }
        assertThat(accepted).as("both outcomes occur").isBetween(MUTATIONS / 20, MUTATIONS - MUTATIONS / 20);
    }

    private static final List<String> KEYS = List.of("a", "b", "a.b", "b.c", "\"a\"", "'b'", "a . c", "\"q.x\"", "c-1",
            "\"\"", "1", "a.b.c");
    private static final List<String> VALUES = List.of("1", "+1", "-0", "01", "1_000", "1__0", "0x1F", "0xff_ff", "0o17",
            "0b101", "0x", "-0x1", "1.5", "1e3", "1E-3", "6.02e+23", "1.", ".5", "-0.0", "inf", "-inf", "nan", "+nan", "1e",
            "true", "false", "TRUE", "\"s\"", "\"\\u00e9\\n\\t\\\"\"", "\"\\x\"", "'lit\\'", "\"\"\"\nml\n\"\"\"",
            "\"\"\"a\\\n   b\"\"\"", "'''\nraw '' x\n'''", "\"\"\"q\"\"\"\"\"", "[]", "[1, 2, ]", "[1,\n# c\n 2]", "[,]",
            "[1 2]", "[\"a\", 1]", "{}", "{ x = 1, y.z = 2 }", "{ x = 1, }", "{ x = 1, x = 2 }", "[{ a = 1 }, { b = 2 }]",
            "1979-05-27", "1979-05-27T07:32:00Z", "1979-05-27 07:32:00.999+01:30", "1979-05-27T07:32:00", "07:32:00",
            "07:32", "1979-02-30", "1979-05-27t07:32:00z", "9999-12-31T23:59:59.123456789-23:59", "24:00:00",
            "\"unterminated", "[1, [2, [3]]]", "{ a = [1, 2], b = { c = 'd' } }");
    private static final List<String> HEADERS = List.of("[a]", "[b]", "[a.b]", "[a.b.c]", "[[a]]", "[[a.b]]", "[[c]]",
            "[ a . \"b\" ]", "[a.c]", "[x.y]", "[c.d]", "[]", "[a]]", "[[a]", "[ [a] ]", "['b'.z]");

    @Provide
    Arbitrary<String> documents() {
        Arbitrary<String> keyval = net.jqwik.api.Combinators.combine(Arbitraries.of(KEYS), Arbitraries.of(VALUES),
                Arbitraries.of("", "", " # c", "\t#\tc")).as((k, v, c) -> k + " = " + v + c);
        Arbitrary<String> line = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, keyval),
                net.jqwik.api.Tuple.of(3, Arbitraries.of(HEADERS)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("", "# comment", "   ", "\t# x")));
        return Combinators2.join(line.list().ofMaxSize(8), Arbitraries.of("\n", "\r\n"));
    }

    /** Joins lines with a line break. */
    static final class Combinators2 {
        static Arbitrary<String> join(Arbitrary<List<String>> lines, Arbitrary<String> nl) {
            return net.jqwik.api.Combinators.combine(lines, nl).as((ls, n) -> String.join(n, ls) + n);
        }
    }

    @Test
    void aTextTomljFailsOnIsMalformedWithTheReadersReasonAndPosition() {
        String text = "a = 1\nb = 1979-05-27T07:32:00.9-9+01:30\n";
        assertThatThrownBy(() -> TomljOracle.parse(text)).as("tomlj 1.1.1 itself fails on this text")
                .isInstanceOf(NullPointerException.class);

        assertThatThrownBy(() -> TomlDocument.parse("/etc/containerd/config.toml", text))
                .isInstanceOfSatisfying(io.kdeploy.core.MalformedConfigException.class, e -> {
                    assertThat(e.file()).isEqualTo("/etc/containerd/config.toml");
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isPositive();
                });
    }

    @Test
    void tomljsLenienciesAreTheOnlyDisagreements() {
        TomlOracle.agree("b = 1979-05-27 07:32:00.999+01:3\n");
        assertThat(TomlOracle.reader("b = 1979-05-27 07:32:00.999+01:3\n")).as("TOML asks for two digits").isNull();
        assertThat(TomlOracle.tomlj("b = 1979-05-27 07:32:00.999+01:3\n")).isNotNull();
        TomlOracle.agree("a = \"it\\'s\"\n");
        assertThat(TomlOracle.reader("a = \"it\\'s\"\n")).as("\\' is no TOML escape").isNull();
        assertThat(TomlOracle.tomlj("a = \"it\\'s\"\n")).isNotNull();
    }

    @Property(tries = 1500)
    void agreesWithTomljOnGeneratedDocuments(@ForAll("documents") String text) {
        TomlOracle.agree(text);
    }

    @Property(tries = 300)
    void agreesWithTomljOnMutatedGeneratedDocuments(@ForAll("documents") String text, @ForAll long seed) {
        TomlOracle.agree(mutate(text, new Random(seed)));
    }
}
