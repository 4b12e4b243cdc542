package io.kdeploy.core.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.UnsafePathException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostPathsTest {
    @TempDir
    Path host;

    @Test
    void aPlainPathIsResolvedUnderTheRoot() throws IOException {
        assertThat(new HostPaths(host).resolve("/opt/kata")).isEqualTo(host.toRealPath().resolve("opt/kata"));
    }

    @Test
    void anAbsoluteLinkIsTakenRelativeToTheHostRoot() throws IOException {
        Files.createDirectories(host.resolve("var/opt"));
        Files.createSymbolicLink(host.resolve("opt"), Path.of("/var/opt"));

        assertThat(new HostPaths(host).resolve("/opt/kata/bin")).isEqualTo(host.toRealPath().resolve("var/opt/kata/bin"));
    }

    @Test
    void aRelativeLinkInsideTheRootIsFollowed() throws IOException {
        Files.createDirectories(host.resolve("data/kata"));
        Files.createDirectories(host.resolve("opt"));
        Files.createSymbolicLink(host.resolve("opt/kata"), Path.of("../data/kata"));

        assertThat(new HostPaths(host).resolve("/opt/kata")).isEqualTo(host.toRealPath().resolve("data/kata"));
    }

    @Test
    void aLinkClimbingAboveTheRootIsRefused() throws IOException {
        Files.createDirectories(host.resolve("opt"));
        Files.createSymbolicLink(host.resolve("opt/kata"), Path.of("../../../../../../tmp"));

        assertThatThrownBy(() -> new HostPaths(host).resolve("/opt/kata/bin"))
                .isInstanceOf(UnsafePathException.class)
                .hasMessageContaining("/opt/kata/bin leads out of the host root");
    }

    @Test
    void aLinkLoopIsRefused() throws IOException {
        Files.createSymbolicLink(host.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(host.resolve("b"), Path.of("a"));

        assertThatThrownBy(() -> new HostPaths(host).resolve("/a/x"))
                .isInstanceOf(UnsafePathException.class)
                .hasMessageContaining("more than 40 symlinks");
    }
}
