package io.kdeploy.core.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kdeploy.core.MalformedConfigException;
import io.kdeploy.core.artifacts.ManifestEntry.Type;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming manifest codec keeps the format data binding wrote, and reports a broken manifest by line and column. */
class ManifestJsonTest {
    private static final String FILE = "/opt/kata/.kdeploy-manifest.json";
    private static final ObjectMapper BINDING = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static final Manifest MANIFEST = new Manifest(Manifest.FORMAT, "/opt/kata", List.of(
            new ManifestEntry("bin/containerd-shim-kata-v2", Type.FILE, 30_000_000, "ab".repeat(32), 0755, null,
                    "2026-11-25T04:57:12.254601666Z", false),
            new ManifestEntry("share/defaults/kata-containers/runtimes/qemu/configuration-qemu.toml", Type.FILE, 512,
                    "cd".repeat(32), 0644, null, null, true),
            new ManifestEntry("share/kata-containers/vmlinux.container", Type.SYMLINK, 0, null, 0, "vmlinux-6.12.28-153",
                    null, false),
            new ManifestEntry("share/\"odd\" name\u00e9", Type.FILE, 0, "ef".repeat(32), 0600, null,
                    "1970-01-01T00:00:00Z", false)));

    @Test
    void writesByteForByteWhatDataBindingWrote() throws IOException {
        assertThat(new String(ManifestJson.write(MANIFEST), StandardCharsets.UTF_8))
                .isEqualTo(BINDING.writeValueAsString(MANIFEST));
    }

    @Test
    void readsWhatDataBindingWroteAndWhatItWritesItself() throws IOException {
        assertThat(read(BINDING.writeValueAsString(MANIFEST))).isEqualTo(MANIFEST);
        assertThat(ManifestJson.read(new ByteArrayInputStream(ManifestJson.write(MANIFEST)), FILE)).isEqualTo(MANIFEST);
    }

    @Test
    void ignoresUnknownFieldsAndNulls() throws IOException {
        Manifest m = read("{\"version\":1,\"future\":{\"a\":[1,2]},\"dest\":\"/opt/kata\",\"entries\":[{\"path\":\"a\","
                + "\"type\":\"SYMLINK\",\"link\":\"b\",\"sha256\":null,\"extra\":[{}]}]}");

        assertThat(m.entries()).containsExactly(new ManifestEntry("a", Type.SYMLINK, 0, null, 0, "b", null, false));
    }

    @Test
    void notJsonIsMalformedWithLineAndColumn() {
        assertThatThrownBy(() -> read("{\n  \"version\" : 1,\n  \"dest\" : /opt\n}"))
                .isInstanceOfSatisfying(MalformedConfigException.class, e -> {
                    assertThat(e.file()).isEqualTo(FILE);
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.column()).isEqualTo(12);
                })
                .hasMessageContaining("Unexpected character ('/'");
    }

    @Test
    void aMissingOrMistypedFieldIsMalformedAndNamed() {
        assertThatThrownBy(() -> read("{\"version\":1,\"entries\":[]}"))
                .isInstanceOf(MalformedConfigException.class).hasMessageContaining("field 'dest' is missing");
        assertThatThrownBy(() -> read("{\"version\":1,\"dest\":\"/opt/kata\",\"entries\":{}}"))
                .isInstanceOf(MalformedConfigException.class).hasMessageContaining("entries must be an array, not an object");
        assertThatThrownBy(() -> read("{\"version\":1,\"dest\":\"/opt/kata\",\"entries\":[{\"path\":\"a\",\"type\":\"FILE\"}]}"))
                .isInstanceOf(MalformedConfigException.class).hasMessageContaining("a file needs its sha256");
        assertThatThrownBy(() -> read("{\"version\":1,\"dest\":\"/opt/kata\",\"entries\":[{\"path\":\"a\",\"type\":\"DEVICE\"}]}"))
                .isInstanceOf(MalformedConfigException.class).hasMessageContaining("'DEVICE' is neither FILE nor SYMLINK");
        assertThatThrownBy(() -> read("{\"version\":\"1\",\"dest\":\"/opt/kata\",\"entries\":[]}"))
                .isInstanceOf(MalformedConfigException.class).hasMessageContaining("version must be an integer, not a string");
        assertThatThrownBy(() -> read("{\"version\":1,\"dest\":\"/opt/kata\",\"entries\":[]} []"))
                .isInstanceOf(MalformedConfigException.class).hasMessageContaining("text after the manifest");
    }

    @Test
    void anEntryPathOutsideTheDestinationIsMalformed() {
        for (String path : List.of("../../etc/shadow", "/etc/shadow", "bin/../../x", "./bin", "bin//x", "",
                Manifest.FILE_NAME)) {
            assertThatThrownBy(() -> read("{\"version\":1,\"dest\":\"/opt/kata\",\"entries\":[{\"path\":\"" + path
                    + "\",\"type\":\"SYMLINK\",\"link\":\"x\"}]}"))
                    .as(path)
                    .isInstanceOf(MalformedConfigException.class)
                    .hasMessageContaining("entry path '" + path + "' is not a relative path inside the destination");
        }
    }

    private static Manifest read(String json) throws IOException {
        return ManifestJson.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), FILE);
    }
}
