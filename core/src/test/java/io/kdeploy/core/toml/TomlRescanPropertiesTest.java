package io.kdeploy.core.toml;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.toml.TomlScanner.Stmt;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * An edit session's working statements, updated by {@link TomlScanner#rescan} after each splice (the statements after
 * the last splice sharing one pending shift), are the statements of the spliced text, its header index is theirs, and the
 * document's own statements never change.
 */
class TomlRescanPropertiesTest {
    private static final List<String> LINES = List.of("k9 = 1\n", "  x = \"v\"\n", "[n]\n", "  [a.b.c]\n", "\n",
            "# c\n", "[[arr]]\n", "d.e = [1,\n  2]\n", "m = '''\nx\n'''\n");

    @Provide
    Arbitrary<String> documents() {
        return new TomlDocumentPropertiesTest().documentsWithoutBom();
    }

    @Property(tries = 1000)
    void workingStatementsAreThoseOfTheSplicedText(@ForAll("documents") String text, @ForAll long seed) {
        Assume.that(TomlOracle.reader(text) != null);
        List<Stmt> original = TomlOracle.statements(text);
        List<String> before = new ArrayList<>();
        original.forEach(s -> before.add(s + " " + s.valueStart() + " " + s.keyStart()));
        ArrayList<Stmt> work = new ArrayList<>(original);
        TomlScanner.Shift tail = new TomlScanner.Shift(work.size());
        TomlScanner.Headers headers = new TomlScanner.Headers(work);
        StringBuilder buf = new StringBuilder(text);
        Random rnd = new Random(seed);
        for (int n = 1 + rnd.nextInt(8); n > 0; n--) {
            int from;
            int to;
            String with;
            int at = work.isEmpty() ? -1 : rnd.nextInt(work.size());
            int kind = at < 0 ? 0 : rnd.nextInt(3);
            if (kind == 0) { // insert whole lines before a statement or at the end
                from = at < 0 || rnd.nextInt(5) == 0 ? buf.length() : work.get(at).start();
                to = from;
                with = (from > 0 && buf.charAt(from - 1) != '\n' ? "\n" : "") + LINES.get(rnd.nextInt(LINES.size()))
                        + (rnd.nextBoolean() ? LINES.get(rnd.nextInt(LINES.size())) : "");
            } else if (kind == 1) { // delete a whole statement
                from = work.get(at).start();
                to = work.get(at).end();
                with = "";
            } else { // replace a value, or a header's or trivia line's text with another line
                Stmt s = work.get(at);
                if (s.valueStart() >= 0) {
                    from = s.valueStart();
                    to = s.valueEnd();
                    with = List.of("2", "\"longer value\"", "[\n  1,\n]", "{ a = 1 }", "''").get(rnd.nextInt(5));
                } else {
                    from = s.start();
                    to = s.end();
                    with = LINES.get(rnd.nextInt(LINES.size()));
                }
            }
            buf.replace(from, to, with);
            TomlScanner.rescan(work, buf, from, to, with.length() - (to - from), tail, headers);
            List<Stmt> scanned = TomlScanner.scan(buf.toString());
            assertThat(work).as("statements of %s", buf).isEqualTo(scanned);
            assertThat(indices(headers)).as("headers of %s", buf).isEqualTo(indices(new TomlScanner.Headers(scanned)));
        }
        List<String> after = new ArrayList<>();
        original.forEach(s -> after.add(s + " " + s.valueStart() + " " + s.keyStart()));
        assertThat(after).as("the document's statements are unchanged").isEqualTo(before);
    }

    private static List<Integer> indices(TomlScanner.Headers headers) {
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < headers.size(); k++) {
            out.add(headers.get(k));
        }
        return out;
    }
}
