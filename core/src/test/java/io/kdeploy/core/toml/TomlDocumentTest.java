package io.kdeploy.core.toml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.MalformedConfigException;
import io.kdeploy.core.plan.Bytes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TomlDocumentTest {
    static final String CRI = "plugins.\"io.containerd.grpc.v1.cri\"";

    @Test
    void malformedInputNamesFileLineAndColumn() {
        assertThatThrownBy(() -> TomlDocument.parse("/etc/containerd/config.toml", "version = 2\n[plugins\nx = 1\n"))
                .isInstanceOfSatisfying(MalformedConfigException.class, e -> {
                    assertThat(e.file()).isEqualTo("/etc/containerd/config.toml");
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isPositive();
                    assertThat(e.exitCode()).isEqualTo(3);
                    assertThat(e.getMessage()).startsWith("/etc/containerd/config.toml:2:");
                });
    }

    @Test
    void malformedInputThatTomljFailsOnIsStillAMalformedConfig() {
        assertThatThrownBy(() -> TomlDocument.parse("/c.toml", "a = 1\nb = 1979-05-27 07:32:00.999+01{:30\n"))
                .isInstanceOfSatisfying(MalformedConfigException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.exitCode()).isEqualTo(3);
                    assertThat(e.getMessage()).startsWith("/c.toml:2:");
                });
    }

    @Test
    void anEscapeOnlyTomljAcceptsIsReadAsTomljReadsIt() {
        String text = "a = \"it\\'s\"\n";
        assertThat(TomlOracle.reader(text)).isNull();
        assertThat(TomlOracle.refusedForQuoteEscape(text)).isTrue();
        assertThat(TomlDocument.parse("/c.toml", text).get(KeyPath.parse("a"))).contains("it's");
    }

    @Test
    void readsValuesHoweverTheFileSpellsTheKeys() {
        TomlDocument doc = TomlDocument.parse("/c.toml", """
                version = 3
                [plugins]
                  'io.containerd.cri.v1.runtime'.containerd.default_runtime_name = "runc"
                [plugins."io.containerd.cri.v1.images"]
                  pinned = { sandbox = "pause:3.10" }
                  list = [1, 2]
                """);
        assertThat(doc.get(KeyPath.parse("plugins.\"io.containerd.cri.v1.runtime\".containerd.default_runtime_name")))
                .contains("runc");
        assertThat(doc.get(KeyPath.parse("plugins.'io.containerd.cri.v1.images'.pinned")))
                .contains(Map.of("sandbox", "pause:3.10"));
        assertThat(doc.get(KeyPath.parse("plugins.'io.containerd.cri.v1.images'.list"))).contains(List.of(1L, 2L));
        assertThat(doc.get(KeyPath.of("version"))).contains(3L);
        assertThat(doc.has(KeyPath.of("nope"))).isFalse();
        assertThat(doc.keys(KeyPath.of("plugins"))).containsExactly("io.containerd.cri.v1.runtime",
                "io.containerd.cri.v1.images");
        assertThat(doc.keys(KeyPath.of("absent"))).isEmpty();
        assertThat(doc.isBlank()).isFalse();
        assertThat(TomlDocument.parse("/e.toml", "# only a comment\n\n").isBlank()).isTrue();
    }

    @Test
    void keepsByteOrderMarkAndCrlf() {
        Bytes in = Bytes.utf8("\uFEFFa = 1\r\n");
        TomlDocument doc = TomlDocument.parse("/b.toml", in);
        assertThat(doc.bytes()).isEqualTo(in);
        assertThat(doc.text()).isEqualTo("a = 1\r\n");
        assertThat(doc.apply(new TomlEdit.SetValue(KeyPath.parse("t.k"), "true")).bytes())
                .isEqualTo(Bytes.utf8("\uFEFFa = 1\r\n\r\n[t]\r\nk = true\r\n"));
        assertThat(TomlDocument.parse("/n.toml", (Bytes) null).bytes().size()).isZero();
    }

    @Test
    void anEditThatChangesNothingReturnsTheSameDocument() {
        TomlDocument doc = TomlDocument.parse("/c.toml", "[a]\nk = 'v'  # same value, other quotes\nl = [\"x\"]\n");
        assertThat(doc.apply(new TomlEdit.SetValue(KeyPath.parse("a.k"), "\"v\""))).isSameAs(doc);
        assertThat(doc.apply(new TomlEdit.AppendToArray(KeyPath.parse("a.l"), "'x'"))).isSameAs(doc);
        assertThat(doc.apply(new TomlEdit.EnsureTable(KeyPath.parse("a")))).isSameAs(doc);
        assertThat(doc.apply(new TomlEdit.RemoveKey(KeyPath.parse("a.zz")))).isSameAs(doc);
    }

    @Test
    void refusesToEditInsideAnInlineTable() {
        TomlDocument doc = TomlDocument.parse("/etc/containerd/config.toml",
                "[" + CRI + ".containerd.runtimes]\nrunc = { runtime_type = \"io.containerd.runc.v2\" }\n");
        assertThatThrownBy(() -> doc.apply(new TomlEdit.SetValue(
                KeyPath.parse(CRI + ".containerd.runtimes.runc.runtime_type"), "\"x\"")))
                .isInstanceOfSatisfying(UnsupportedTomlEditException.class, e -> {
                    assertThat(e.file()).isEqualTo("/etc/containerd/config.toml");
                    assertThat(e.exitCode()).isEqualTo(3);
                    assertThat(e.getMessage()).contains("inline table");
                });
        assertThatThrownBy(() -> doc.apply(new TomlEdit.SetValue(
                KeyPath.parse(CRI + ".containerd.runtimes.runc.options.X"), "1")))
                .isInstanceOf(UnsupportedTomlEditException.class)
                .hasMessageContaining("line 2");
    }

    @Test
    void refusesToPutAValueWhereATableIsAndBadLiterals() {
        TomlDocument doc = TomlDocument.parse("/c.toml", "[a.b]\nk = 1\n");
        assertThatThrownBy(() -> doc.apply(new TomlEdit.SetValue(KeyPath.parse("a.b"), "1")))
                .isInstanceOf(UnsupportedTomlEditException.class);
        assertThatThrownBy(() -> doc.apply(new TomlEdit.SetValue(KeyPath.parse("a.b.k.x"), "1")))
                .isInstanceOf(UnsupportedTomlEditException.class);
        assertThatThrownBy(() -> doc.apply(new TomlEdit.AppendToArray(KeyPath.parse("a.b.k"), "1")))
                .isInstanceOf(UnsupportedTomlEditException.class);
        assertThatThrownBy(() -> doc.apply(new TomlEdit.SetValue(KeyPath.parse("a.b.z"), "1\n[evil]")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void valueHelpersQuoteAndEscape() {
        assertThat(TomlValues.string("a\"b\\c\n")).isEqualTo("\"a\\\"b\\\\c\\n\"");
        assertThat(TomlValues.stringArray(List.of("io.katacontainers.*", "x"))).isEqualTo("[\"io.katacontainers.*\", \"x\"]");
        assertThat(TomlDocument.literal(TomlValues.string("a\"b\\c\n\u0001"))).isEqualTo("a\"b\\c\n\u0001");
    }
}
