package io.kdeploy.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.toml.KeyPath;
import io.kdeploy.core.toml.TomlDocument;
import io.kdeploy.core.toml.TomlEdit;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileEditTest {
    private static final String MAIN = "/etc/containerd/config.toml";
    private static final KeyPath IMPORTS = KeyPath.of("imports");

    @Test
    void aFileThatOnlyOrdersAnArrayDifferentlyIsKept() {
        Bytes current = Bytes.utf8("version = 3\nimports = [\"/b.toml\", \"/a.toml\"]\n");
        TomlDocument wanted = TomlDocument.parse(MAIN, "version = 3\nimports = [\"/b.toml\"]\n")
                .apply(new TomlEdit.AppendToArray(IMPORTS, "\"/a.toml\""));
        assertThat(FileEdit.of(MAIN, current, null, wanted, 0644).isNoop()).isTrue();

        Bytes reordered = Bytes.utf8("version = 3\nimports = [\"/a.toml\", \"/b.toml\"]\n");
        assertThat(FileEdit.of(MAIN, reordered, null, wanted, 0644).isNoop()).isTrue();
    }

    @Test
    void aFileThatMeansSomethingElseIsRewritten() {
        Bytes current = Bytes.utf8("version = 3\nimports = [\"/b.toml\"]\n");
        TomlDocument wanted = TomlDocument.parse(MAIN, current).apply(new TomlEdit.AppendToArray(IMPORTS, "\"/a.toml\""));
        FileEdit edit = FileEdit.of(MAIN, current, current, wanted, 0644);
        assertThat(edit.isNoop()).isFalse();
        assertThat(edit.after()).isEqualTo(wanted.bytes());
    }

    @Test
    void undoingAnArrayWeCreatedKeepsWhatOthersAppendedSince() {
        TomlDocument base = TomlDocument.parse(MAIN, "version = 3\n");
        TomlDocument ours = base.apply(new TomlEdit.AppendToArray(IMPORTS, "\"/a.toml\""));
        assertThat(ours.undo()).containsExactly(new TomlEdit.RemoveFromArray(IMPORTS, "\"/a.toml\"", true));
        assertThat(ours.applyAll(ours.undo()).bytes()).isEqualTo(base.bytes());

        TomlDocument theirsToo = TomlDocument.parse(MAIN, ours.bytes()).apply(new TomlEdit.AppendToArray(IMPORTS, "\"/b.toml\""));
        TomlDocument withoutOurs = theirsToo.applyAll(ours.undo());
        assertThat(withoutOurs.get(IMPORTS)).contains(List.of("/b.toml"));
    }
}
