package io.kdeploy.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.KdeployException;
import io.kdeploy.core.spi.Baselines;
import io.kdeploy.core.spi.NodeFiles;
import io.kdeploy.core.toml.KeyPath;
import io.kdeploy.core.toml.TomlEdit;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstallRecordsTest {
    static final Bytes ORIGINAL = Bytes.of(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'a', ' ', '=', ' ', '1', '\r', '\n'});
    static final Bytes AFTER = Bytes.utf8("\uFEFFa = 1\r\nb = \"x\"\r\n");

    static InstallRecord record() {
        return new InstallRecord("sfx-1", InstallRecord.State.COMPLETE, List.of(
                new InstallRecord.FileEntry("/etc/c.toml", ORIGINAL, List.of(new TomlEdit.RemoveKey(KeyPath.of("b")),
                        new TomlEdit.SetValue(KeyPath.of("we ird", "k"), "\"q\\\"\""),
                        new TomlEdit.RemoveFromArray(KeyPath.of("imports"), "\"/x\"")), AFTER.sha256(), null),
                new InstallRecord.FileEntry("/etc/d.toml", null, List.of(), Bytes.utf8("v").sha256(), "abc")));
    }

    @Test
    void roundTripsThroughJson() {
        Bytes json = InstallRecords.toJson(record());
        assertThat(json.asUtf8()).contains("\"state\" : \"COMPLETE\"").contains("\"created\" : true");
        InstallRecord back = InstallRecords.fromJson("/var/lib/kdeploy/sfx-1.json", json);
        assertThat(back).isEqualTo(record());
    }

    @Test
    void readsAndWritesByteForByteTheRecordsOfTheDataBindingVersion() throws IOException {
        Bytes golden;
        try (InputStream in = InstallRecordsTest.class.getResourceAsStream("record-written-by-data-binding.json")) {
            golden = Bytes.of(in.readAllBytes());
        }

        InstallRecord r = InstallRecords.fromJson("/var/lib/kdeploy/default.json", golden);

        assertThat(r.instance()).isEqualTo("default");
        assertThat(r.files()).hasSize(1);
        assertThat(r.files().get(0).undo()).hasSize(6).first()
                .isEqualTo(new TomlEdit.RemoveTable(KeyPath.of("plugins", "io.containerd.grpc.v1.cri", "containerd",
                        "runtimes", "kata-qemu", "options")));
        assertThat(r.files().get(0).original().sha256())
                .isEqualTo("6eb7fcd1fba52cc3eba46cb84a294be735f949da64a305e4da13a95d7469b45c");
        assertThat(InstallRecords.toJson(r)).isEqualTo(golden);
    }

    @Test
    void unknownFieldsAreSkippedAndMissingOnesNamed() {
        InstallRecord r = InstallRecords.fromJson("/r.json", Bytes.utf8("{\"later\": {\"x\": [1, {}]}, \"instance\": \"a\","
                + " \"state\": \"IN_PROGRESS\", \"files\": [{\"path\": \"/p\", \"extra\": [], \"original\": null,"
                + " \"undo\": [{\"op\": \"RemoveFromArray\", \"path\": [\"imports\"], \"value\": \"\\\"/x\\\"\","
                + " \"dropWhenEmpty\": true}]}]}"));
        assertThat(r).isEqualTo(new InstallRecord("a", InstallRecord.State.IN_PROGRESS, List.of(new InstallRecord.FileEntry(
                "/p", null, List.of(new TomlEdit.RemoveFromArray(KeyPath.of("imports"), "\"/x\"", true)), null, null))));

        assertThatThrownBy(() -> InstallRecords.fromJson("/r.json", Bytes.utf8("{\"state\": \"COMPLETE\"}")))
                .hasMessageContaining("/r.json").hasMessageContaining("'instance' and 'state' are required");
        assertThatThrownBy(() -> InstallRecords.fromJson("/r.json", Bytes.utf8("{\"instance\": 1, \"state\": \"COMPLETE\"}")))
                .hasMessageContaining("instance must be a string");
        assertThatThrownBy(() -> InstallRecords.fromJson("/r.json", Bytes.utf8("[]")))
                .hasMessageContaining("the record must be an object");
    }

    @Test
    void aBrokenRecordIsReportedWithItsPath() {
        assertThatThrownBy(() -> InstallRecords.fromJson("/var/lib/kdeploy/x.json", Bytes.utf8("{\"state\": \"NOPE\"}")))
                .isInstanceOf(KdeployException.class)
                .hasMessageContaining("/var/lib/kdeploy/x.json");
    }

    @Test
    void baselinesAreOriginalBytesWhileTheFileIsOursAndAStructuralUndoOtherwise() {
        Baselines b = InstallRecords.baselines(new InstallRecord("default", InstallRecord.State.COMPLETE, List.of(
                new InstallRecord.FileEntry("/etc/c.toml", ORIGINAL, List.of(new TomlEdit.RemoveKey(KeyPath.of("b"))),
                        AFTER.sha256(), null),
                record().files().get(1))));
        assertThat(b.recordedPaths()).containsExactly("/etc/c.toml", "/etc/d.toml");
        assertThat(b.baseline("/etc/c.toml", NodeFiles.of(Map.of("/etc/c.toml", AFTER)))).isEqualTo(ORIGINAL);
        assertThat(b.baseline("/etc/d.toml", NodeFiles.of(Map.of("/etc/d.toml", Bytes.utf8("v"))))).isNull();
        assertThat(b.baseline("/etc/other.toml", NodeFiles.of(Map.of("/etc/other.toml", Bytes.utf8("o")))))
                .isEqualTo(Bytes.utf8("o"));

        Bytes theirs = Bytes.utf8("\uFEFFa = 2\r\nb = \"x\"\r\n");
        assertThat(b.baseline("/etc/c.toml", NodeFiles.of(Map.of("/etc/c.toml", theirs))))
                .isEqualTo(Bytes.utf8("\uFEFFa = 2\r\n"));
        assertThat(b.baseline("/etc/d.toml", NodeFiles.of(Map.of("/etc/d.toml", Bytes.utf8("# mine\n")))))
                .as("a file we created keeps someone else's content").isEqualTo(Bytes.utf8("# mine\n"));
    }
}
