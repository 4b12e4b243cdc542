package io.kdeploy.core.toml;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.toml.TomlScanner.Stmt;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@link TomlReader#reread} (the verification read of an edit, which takes the statements of the unchanged start and end
 * as read before) gives exactly what a full {@link TomlReader#read} of the edited text gives: the same refusal (reason and
 * offset) or the same meaning, statements and values; on generated documents, their mutations, random splices and the
 * corpus, with the unchanged parts as long as they are and shorter.
 */
class TomlRereadPropertiesTest {
    private static final String NOISE = "\"'[]{}=.,#\n\\ \t019aeZ_-+:Tx\r";

    @Provide
    Arbitrary<String> documents() {
        return new TomlReaderOracleTest().documents();
    }

    @Provide
    Arbitrary<String> layouts() {
        return new TomlDocumentPropertiesTest().documentsWithoutBom();
    }

    @Property(tries = 1000)
    void agreesOnMutatedGeneratedDocuments(@ForAll("documents") String text, @ForAll long seed) {
        Assume.that(TomlOracle.reader(text) != null);
        Random rnd = new Random(seed);
        agreeAll(text, TomlReaderOracleTest.mutate(text, rnd), rnd);
    }

    @Property(tries = 1000)
    void agreesOnSplicedLayouts(@ForAll("layouts") String text, @ForAll("layouts") String other, @ForAll long seed) {
        Assume.that(TomlOracle.reader(text) != null);
        Random rnd = new Random(seed);
        agreeAll(text, splice(text, other, rnd), rnd);
    }

    @Property(tries = 500)
    void agreesOnMutatedLayouts(@ForAll("layouts") String text, @ForAll long seed) {
        Assume.that(TomlOracle.reader(text) != null);
        Random rnd = new Random(seed);
        agreeAll(text, TomlReaderOracleTest.mutate(text, rnd), rnd);
    }

    @Test
    void agreesOnSplicesAndMutationsOfTheCorpus() throws Exception {
        List<String> texts = TomlReaderOracleTest.corpusFiles().map(TomlReaderOracleTest::read)
                .filter(t -> TomlOracle.reader(t) != null).toList();
        Random rnd = new Random(20261207L);
        int accepted = 0;
        int taken = 0;
        for (int i = 0; i < 1500; i++) {
            String before = texts.get(rnd.nextInt(texts.size()));
            String after = rnd.nextBoolean() ? TomlReaderOracleTest.mutate(before, rnd)
                    : splice(before, texts.get(rnd.nextInt(texts.size())), rnd);
            Map<String, Object> model = TomlOracle.reader(after);
            if (model != null) {
                accepted++;
                taken += reusedStatements(before, after);
            }
            agreeAll(before, after, rnd);
        }
        assertThat(accepted).as("both outcomes occur").isBetween(100, 1400);
        assertThat(taken).as("statements are taken as read").isGreaterThan(2_000);
    }

    @Test
    void anEditBeforeTheUnchangedEndMovesItsStatementsUnderTheNewHeader() {
        String before = "[a]\nx = 1\n\n[b]\ny = [1, 2]\n";
        String after = "[a]\nx = 1\n[c]\n\n[b]\ny = [1, 2]\n";
        agree(before, after, 10, before.length() - 10);
        agree("[a]\nx = 1\ny = 2\n", "[a]\nx = 1\n[c]\ny = 2\n", 10, 6);
        agree("[a]\nx = 1\ny = 2\n", "[a]\nx = 1\ny = 2\n[a]\n", 16, 0);
        agree("a = 1\nb = 2", "a = 1\nb = 23", 11, 0);
        agree("a = 1\nb = 2\n", "a = 1\nb = 2\nb = 3\n", 12, 6);
    }

    /** Compares both readings with the longest unchanged start and end and with a shorter pair. */
    private static void agreeAll(String before, String after, Random rnd) {
        int same = commonStart(before, after);
        int sameEnd = commonEnd(before, after);
        agree(before, after, same, sameEnd);
        agree(before, after, rnd.nextInt(same + 1), rnd.nextInt(sameEnd + 1));
    }

    private static void agree(String before, String after, int same, int sameEnd) {
        List<Stmt> earlier = TomlOracle.statements(before);
        Object full = outcome(after, null, 0, 0, 0);
        Object again = outcome(after, earlier, before.length(), same, sameEnd);
        assertThat(again).as("reread of %s as an edit of %s (%d, %d)", after, before, same, sameEnd).isEqualTo(full);
    }

    /** The refusal (reason and offset), or the meaning, the statements and their values. */
    private static Object outcome(String text, List<Stmt> earlier, int earlierLength, int same, int sameEnd) {
        TomlReader.Result r;
        try {
            r = earlier == null ? TomlReader.read(text) : TomlReader.reread(text, earlier, earlierLength, same, sameEnd);
        } catch (TomlReader.Rejected e) {
            return List.of("refused", e.reason(), e.at());
        }
        List<Object> values = new ArrayList<>();
        for (Stmt s : r.stmts()) {
            values.add(s.read() + " " + s.value());
        }
        return List.of(r.model(), ordered(r.model()), r.stmts(), values);
    }

    /** Every table's kind and entries in their order, every array's elements, and the types of the scalars. */
    private static String ordered(Object v) {
        if (v instanceof Map<?, ?> m) {
            List<String> out = new ArrayList<>();
            m.forEach((k, x) -> out.add(k + "=" + ordered(x)));
            return (v instanceof TomlReader.Table t ? "t" + t.kind : "") + "{" + String.join(",", out) + "}";
        }
        if (v instanceof List<?> l) {
            List<String> out = new ArrayList<>();
            l.forEach(x -> out.add(ordered(x)));
            return "[" + String.join(",", out) + "]";
        }
        return v.getClass().getSimpleName() + ":" + v;
    }

    /**
     * How many statements a reread of {@code after} takes from {@code before}'s reading: the statement itself (unchanged
     * start) or, moved, its value (a string of the unchanged end, which a full read would have built again).
     */
    private static int reusedStatements(String before, String after) {
        try {
            List<Stmt> earlier = TomlReader.read(before).stmts();
            Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Stmt e : earlier) {
                seen.add(e);
                if (e.value() instanceof String) {
                    seen.add(e.value());
                }
            }
            int reused = 0;
            for (Stmt s : TomlReader.reread(after, earlier, before.length(), commonStart(before, after),
                    commonEnd(before, after)).stmts()) {
                if (seen.contains(s) || s.value() instanceof String && seen.contains(s.value())) {
                    reused++;
                }
            }
            return reused;
        } catch (TomlReader.Rejected e) {
            return 0;
        }
    }

    /** {@code text} with a random span replaced by a random span of {@code other} or a few noise characters. */
    private static String splice(String text, String other, Random rnd) {
        StringBuilder b = new StringBuilder(text);
        int edits = 1 + rnd.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int from = rnd.nextInt(b.length() + 1);
            int to = Math.min(b.length(), from + rnd.nextInt(rnd.nextBoolean() ? 3 : 40));
            String with;
            if (rnd.nextBoolean() && !other.isEmpty()) {
                int s = rnd.nextInt(other.length());
                with = other.substring(s, Math.min(other.length(), s + rnd.nextInt(60)));
            } else {
                StringBuilder w = new StringBuilder();
                for (int i = rnd.nextInt(4); i > 0; i--) {
                    w.append(NOISE.charAt(rnd.nextInt(NOISE.length())));
                }
                with = w.toString();
            }
            if (rnd.nextBoolean()) { // whole lines, as the engine splices
                from = b.lastIndexOf("\n", Math.max(0, from - 1)) + 1;
                to = Math.max(from, to);
                with = with.endsWith("\n") || with.isEmpty() ? with : with + "\n";
                int le = b.indexOf("\n", to);
                to = le < 0 ? b.length() : le + 1;
            }
            b.replace(from, to, with);
        }
        return b.toString();
    }

    private static int commonStart(String a, String b) {
        int i = 0;
        int m = Math.min(a.length(), b.length());
        while (i < m && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }

    private static int commonEnd(String a, String b) {
        int i = 0;
        int m = Math.min(a.length(), b.length());
        while (i < m && a.charAt(a.length() - 1 - i) == b.charAt(b.length() - 1 - i)) {
            i++;
        }
        return i;
    }
}
