package io.kdeploy.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.UnsafePathException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostRootTest {
    @TempDir
    Path dir;

    @Test
    void resolvesNodePathsUnderTheRootAndReadsFiles() throws IOException {
        Files.createDirectories(dir.resolve("etc/crio/crio.conf.d"));
        Files.writeString(dir.resolve("etc/crio/crio.conf.d/10-a.conf"), "x");
        Files.writeString(dir.resolve("etc/crio/crio.conf.d/01-b.conf"), "y");
        HostRoot root = HostRoot.of(dir);

        assertThat(root.resolve("/etc/crio/crio.conf")).isEqualTo(dir.toRealPath().resolve("etc/crio/crio.conf"));
        assertThat(root.read("/etc/crio/crio.conf.d/10-a.conf")).contains(Bytes.utf8("x"));
        assertThat(root.read("/etc/crio/missing.conf")).isEmpty();
        assertThat(root.list("/etc/crio/crio.conf.d")).containsExactly("01-b.conf", "10-a.conf");
        assertThat(root.isDirectory("/etc/crio")).isTrue();
        assertThat(root.exists("/etc/nothing")).isFalse();
    }

    @Test
    void followsLinksThatStayInsideTheRoot() throws IOException {
        Files.createDirectories(dir.resolve("var/lib/rancher/conf"));
        Files.writeString(dir.resolve("var/lib/rancher/conf/config.toml"), "version = 2\n");
        Files.createDirectories(dir.resolve("etc"));
        Files.createSymbolicLink(dir.resolve("etc/containerd"), Path.of("../var/lib/rancher/conf"));
        Files.createSymbolicLink(dir.resolve("etc/k3s"), Path.of("/var/lib/rancher/conf"));
        HostRoot root = HostRoot.of(dir);

        assertThat(root.read("/etc/containerd/config.toml")).contains(Bytes.utf8("version = 2\n"));
        assertThat(root.resolve("/etc/k3s/config.toml"))
                .as("an absolute link target is a node path, read under the root")
                .isEqualTo(dir.toRealPath().resolve("var/lib/rancher/conf/config.toml"));
    }

    @Test
    void refusesALinkThatLeavesTheRoot() throws IOException {
        Files.createDirectories(dir.resolve("etc"));
        Files.createSymbolicLink(dir.resolve("etc/containerd"), Path.of("../../../../../../tmp"));
        HostRoot root = HostRoot.of(dir);

        assertThatThrownBy(() -> root.resolve("/etc/containerd/config.toml"))
                .isInstanceOf(UnsafePathException.class)
                .hasMessageContaining("/etc/containerd/config.toml")
                .hasMessageContaining("out of the host root");
        assertThatThrownBy(() -> root.read("/etc/containerd/config.toml")).isInstanceOf(UnsafePathException.class);
    }

    @Test
    void refusesRelativeAndDotDotPathsAndLoops() throws IOException {
        HostRoot root = HostRoot.of(dir);
        assertThatThrownBy(() -> root.resolve("etc/x")).isInstanceOf(UnsafePathException.class);
        assertThatThrownBy(() -> root.resolve("/etc/../../x")).isInstanceOf(UnsafePathException.class);
        Files.createSymbolicLink(dir.resolve("loop"), Path.of("loop"));
        assertThatThrownBy(() -> root.resolve("/loop/x")).isInstanceOf(UnsafePathException.class).hasMessageContaining("loop");
    }

    @Test
    void existsLooksAtMetadataOnlyAndFollowsLinksInsideTheRoot() throws IOException {
        Files.createDirectories(dir.resolve("etc/containerd"));
        Files.writeString(dir.resolve("etc/containerd/config.toml"), "version = 2\n");
        Files.createSymbolicLink(dir.resolve("etc/link.toml"), Path.of("/etc/containerd/config.toml"));
        Files.createSymbolicLink(dir.resolve("etc/dangling"), Path.of("containerd/missing"));
        Files.createSymbolicLink(dir.resolve("etc/out"), Path.of("../../.."));
        try (java.io.RandomAccessFile huge = new java.io.RandomAccessFile(dir.resolve("huge.img").toFile(), "rw")) {
            huge.setLength(3L << 30);
        }
        HostRoot root = HostRoot.of(dir);

        assertThat(root.exists("/etc/containerd/config.toml")).isTrue();
        assertThat(root.exists("/etc/containerd")).isTrue();
        assertThat(root.exists("/etc/link.toml")).isTrue();
        assertThat(root.exists("/etc/dangling")).isFalse();
        assertThat(root.exists("/etc/missing")).isFalse();
        assertThat(root.exists("/etc/containerd/config.toml/below")).isFalse();
        assertThat(root.exists("/huge.img")).as("a 3 GiB file is not read to tell it exists").isTrue();
        assertThatThrownBy(() -> root.exists("/etc/out/x")).isInstanceOf(UnsafePathException.class);
    }

}
