package io.kdeploy.core.toml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The jackson verification parse confirms only what tomlj would confirm, and in tomlj's value types. */
class FastTomlTest {

    @Test
    void confirmsTheSameMeaningAsTomlj() {
        String text = "version = 2\nratio = 0.5\nwhen = 1979-05-27T07:32:00Z\nday = 1979-05-27\n"
                + "[plugins.\"io.containerd.grpc.v1.cri\"]\n  list = [\"a\", 'b']\n  inline = { x = 1, y.z = true }\n";
        TomlDocument doc = TomlDocument.parse("/t.toml", text);
        assertThat(FastToml.model(text)).isEqualTo(doc.model());
        assertThat(FastToml.means(text, TomlScanner.scan(text), doc.model())).isTrue();
    }

    @Test
    void refusesAnotherMeaning() {
        String text = "a = 1\n";
        assertThat(FastToml.means(text, TomlScanner.scan(text), Map.of("a", 2L))).isFalse();
        assertThat(FastToml.means(text, TomlScanner.scan(text), Map.of("a", "1"))).isFalse();
    }

    @Test
    void neverConfirmsADottedKeyExtendingAHeaderTable() {
        String text = "[a]\nb.c = 1\n[a.b]\nd = 2\n";
        assertThat(FastToml.means(text, TomlScanner.scan(text),
                Map.of("a", Map.of("b", Map.of("c", 1L, "d", 2L))))).isFalse();
    }

    @Test
    void neverConfirmsTextJacksonRefuses() {
        assertThat(FastToml.model("a = [1,\n")).isNull();
    }
}
