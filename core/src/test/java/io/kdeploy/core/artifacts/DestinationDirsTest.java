package io.kdeploy.core.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DestinationDirsTest {
    @TempDir
    Path dest;

    @TempDir
    Path outside;

    @Test
    void realAndAbsentDirectoriesAreReal() throws IOException {
        Files.createDirectories(dest.resolve("a/b"));
        DestinationDirs dirs = new DestinationDirs(dest);

        assertThat(dirs.isReal("a/b")).isTrue();
        assertThat(dirs.isReal("a/b/not-yet/deeper")).isTrue();
        assertThat(dirs.parentsReal("a/b/file")).isTrue();
        assertThat(dirs.parentsReal("top-level-file")).isTrue();
    }

    @Test
    void aSymlinkOrFileInPlaceOfADirectoryMakesEverythingBelowItNotReal() throws IOException {
        Files.createDirectories(dest.resolve("a"));
        Files.createSymbolicLink(dest.resolve("a/link"), outside);
        Files.createDirectories(outside.resolve("x"));
        Files.writeString(dest.resolve("file"), "f");
        DestinationDirs dirs = new DestinationDirs(dest);

        assertThat(dirs.parentsReal("a/link/x/y")).isFalse();
        assertThat(dirs.culprit("a/link/x")).isEqualTo(Map.entry("a/link", "a symlink"));
        assertThat(dirs.isReal("file/sub")).isFalse();
        assertThat(dirs.culprit("file/sub")).isEqualTo(Map.entry("file", "a file"));
        assertThat(dirs.parentsReal("a/link")).as("the link itself may be looked at, not through").isTrue();
    }

    @Test
    void aCulpritIsOnlyNamedForADirectoryFoundNotReal() throws IOException {
        DestinationDirs dirs = new DestinationDirs(dest);
        assertThat(dirs.isReal("a")).isTrue();

        assertThatThrownBy(() -> dirs.culprit("a")).isInstanceOf(IllegalStateException.class);
    }
}
