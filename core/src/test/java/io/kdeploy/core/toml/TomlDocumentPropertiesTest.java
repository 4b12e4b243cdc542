package io.kdeploy.core.toml;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.MalformedConfigException;
import io.kdeploy.core.plan.Bytes;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of the TOML engine over generated documents in many layouts. */
class TomlDocumentPropertiesTest {

    private static final List<String> TABLES =
            List.of("a", "a.b", "a.b.c", "\"io.x.v1\"", "\"io.x.v1\".rt", "'io.y'.rt.r1", "t-2", "a.'q.z'");
    private static final List<String> KEYS = List.of("k1", "k2", "name", "list", "dot.k1", "dot.k2");
    private static final List<String> VALUES = List.of(
            "\"s\"", "'lit'", "42", "true", "1.5", "[1, 2]", "[\n  \"x\",  # c\n  \"y\",\n]", "[ \"p\" ]", "\"\"\"m\nl\"\"\"");

    /** {@link #documents()} without a byte order mark: text as the reader sees it after decoding. */
    Arbitrary<String> documentsWithoutBom() {
        return documents().map(d -> d.startsWith("\uFEFF") ? d.substring(1) : d);
    }

    @Provide
    Arbitrary<String> documents() {
        Arbitrary<String> value = Arbitraries.of(VALUES);
        Arbitrary<String> spacing = Arbitraries.of(" = ", "=", "  =  ", "\t= ");
        Arbitrary<String> trailer = Arbitraries.of("", "", "  # note", "\t#x");
        Arbitrary<String> keyLine = Combinators.combine(Arbitraries.of("", "  ", "\t"), Arbitraries.of(KEYS), spacing, value,
                trailer).as((ind, k, sp, v, tr) -> ind + k + sp + (k.equals("list") ? "[\"e\"]" : v) + tr + "\n");
        Arbitrary<String> filler = Arbitraries.of("", "\n", "\n\n", "# comment\n", "   \n");
        Arbitrary<String> section = Combinators.combine(Arbitraries.of("", "  "), trailer, keyLine.list().ofMaxSize(4), filler)
                .as((ind, tr, keys, fill) -> ind + "[%s]" + tr + "\n" + dedupe(keys) + fill);
        return Combinators.combine(keyLine.list().ofMaxSize(3), Arbitraries.of(TABLES).set().ofMaxSize(5), section.list()
                .ofSize(5), filler, Arbitraries.of(false, true), Arbitraries.of(false, true))
                .as((root, tables, sections, fill, crlf, bom) -> {
                    StringBuilder b = new StringBuilder(bom ? "\uFEFF" : "").append(fill).append(dedupe(root));
                    int i = 0;
                    for (String t : tables) {
                        b.append('\n').append(String.format(sections.get(i++), t));
                    }
                    String s = b.toString();
                    return crlf ? s.replace("\n", "\r\n") : s;
                });
    }

    private static String dedupe(List<String> lines) {
        List<String> seen = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            String key = l.strip().split("[ =\t]", 2)[0];
            if (!seen.contains(key)) {
                seen.add(key);
                b.append(l);
            }
        }
        return b.toString();
    }

    @Provide
    Arbitrary<List<TomlEdit>> edits() {
        Arbitrary<String> table = Arbitraries.of("a", "a.b", "\"io.x.v1\".rt", "'io.y'.rt.r1", "new", "a.new.deep", "t-2",
                "\"io.x.v1\".rt.kata-qemu", "a.dot");
        Arbitrary<String> key = Arbitraries.of("k1", "k9", "name", "runtime_type", "dot.k1");
        Arbitrary<String> value = Arbitraries.of("\"io.containerd.kata-qemu.v2\"", "true", "7", "[\"io.katacontainers.*\"]");
        Arbitrary<TomlEdit> set = Combinators.combine(table, key, value)
                .as((t, k, v) -> new TomlEdit.SetValue(KeyPath.parse(t + "." + k), v));
        Arbitrary<TomlEdit> ensure = table.map(t -> new TomlEdit.EnsureTable(KeyPath.parse(t)));
        Arbitrary<TomlEdit> append = Combinators.combine(table, Arbitraries.of("list", "arr"), Arbitraries.of("\"e\"", "\"n\""))
                .as((t, k, v) -> new TomlEdit.AppendToArray(KeyPath.parse(t + "." + k), v));
        return Arbitraries.oneOf(set, ensure, append).list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<TomlEdit>> removals() {
        Arbitrary<String> table = Arbitraries.of("a", "a.b", "a.b.c", "\"io.x.v1\"", "\"io.x.v1\".rt", "'io.y'.rt.r1", "t-2",
                "a.'q.z'", "a.dot", "absent");
        Arbitrary<TomlEdit> key = Combinators.combine(table, Arbitraries.of(KEYS))
                .as((t, k) -> new TomlEdit.RemoveKey(KeyPath.parse(t + "." + k)));
        Arbitrary<TomlEdit> tab = table.map(t -> new TomlEdit.RemoveTable(KeyPath.parse(t)));
        Arbitrary<TomlEdit> element = Combinators.combine(table, Arbitraries.of("\"e\"", "\"x\"", "1"))
                .as((t, v) -> new TomlEdit.RemoveFromArray(KeyPath.parse(t + ".list"), v));
        Arbitrary<TomlEdit> rootKey = Arbitraries.of(KEYS).map(k -> new TomlEdit.RemoveKey(KeyPath.parse(k)));
        return Arbitraries.oneOf(key, tab, element, rootKey).list().ofMinSize(1).ofMaxSize(3);
    }

    @Property(tries = 300)
    void removalsTakeOutExactlyTheirTarget(@ForAll("documents") String text, @ForAll("removals") List<TomlEdit> edits) {
        TomlDocument doc = parsed(text);
        TomlDocument edited = doc.applyAll(edits);
        TomlDocument reread = TomlDocument.parse("/gen.toml", edited.bytes());
        for (TomlEdit e : edits) {
            if (e instanceof TomlEdit.RemoveFromArray r) {
                reread.get(e.path()).ifPresent(l -> assertThat(((List<?>) l).contains(TomlDocument.literal(r.element())))
                        .isFalse());
            } else {
                assertThat(reread.has(e.path())).as("%s is gone", e).isFalse();
            }
        }
        assertThat(reread.applyAll(edited.undo()).model()).as("undo brings the content back").isEqualTo(doc.model());
    }

    private static TomlDocument parsed(String text) {
        try {
            return TomlDocument.parse("/gen.toml", text);
        } catch (MalformedConfigException e) {
            Assume.that(false);
            throw e;
        }
    }

    @Property(tries = 300)
    void applyThenUndoIsByteIdentical(@ForAll("documents") String text, @ForAll("edits") List<TomlEdit> edits) {
        TomlDocument doc = parsed(text);
        TomlDocument edited = doc.applyAll(edits);
        assertThat(edited.applyAll(edited.undo()).bytes()).isEqualTo(doc.bytes());
        TomlDocument reread = TomlDocument.parse("/gen.toml", edited.bytes());
        assertThat(reread.applyAll(edited.undo()).bytes()).isEqualTo(doc.bytes());
    }

    @Property(tries = 200)
    void applyAllVerifiedOnceEqualsApplyingEditByEdit(@ForAll("documents") String text, @ForAll("edits") List<TomlEdit> edits) {
        TomlDocument doc = parsed(text);
        TomlDocument stepwise = doc;
        for (TomlEdit e : edits) {
            stepwise = stepwise.apply(e);
        }
        TomlDocument batch = doc.applyAll(edits);
        assertThat(batch.bytes()).isEqualTo(stepwise.bytes());
        assertThat(batch.undo()).isEqualTo(stepwise.undo());
    }

    @Property(tries = 300)
    void applyingTwiceEqualsOnce(@ForAll("documents") String text, @ForAll("edits") List<TomlEdit> edits) {
        TomlDocument once = parsed(text).applyAll(edits);
        TomlDocument twice = TomlDocument.parse("/gen.toml", once.bytes()).applyAll(edits);
        assertThat(twice.bytes()).isEqualTo(once.bytes());
    }

    @Property(tries = 300)
    void outputParsesAndHasExactlyTheIntendedChange(@ForAll("documents") String text, @ForAll("edits") List<TomlEdit> edits) {
        TomlDocument doc = parsed(text);
        TomlDocument edited = doc.applyAll(edits);
        TomlDocument reread = TomlDocument.parse("/gen.toml", edited.bytes());
        assertThat(reread.model()).isEqualTo(edited.model());
        for (TomlEdit e : edits) {
            if (e instanceof TomlEdit.EnsureTable) {
                assertThat(reread.has(e.path())).isTrue();
            } else if (e instanceof TomlEdit.AppendToArray a) {
                assertThat(((List<?>) reread.get(e.path()).orElseThrow()).contains(TomlDocument.literal(a.element()))).isTrue();
            }
        }
        TomlEdit last = edits.get(edits.size() - 1);
        if (last instanceof TomlEdit.SetValue sv) {
            assertThat(reread.get(sv.path())).contains(TomlDocument.literal(sv.value()));
        }
        // everything else is unchanged: taking our edits out gives back the original content
        assertThat(reread.applyAll(edited.undo()).model()).isEqualTo(doc.model());
        Bytes bytes = edited.bytes();
        assertThat(bytes.asUtf8().startsWith("\uFEFF")).isEqualTo(text.startsWith("\uFEFF"));
        if (text.contains("\r\n")) {
            assertThat(edited.text().replace("\r\n", "")).as("new lines use the file's CRLF").doesNotContain("\n");
        } else {
            assertThat(edited.text()).doesNotContain("\r");
        }
    }
}
