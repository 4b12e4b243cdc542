package io.kdeploy.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.testkit.NodeFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link EmbeddingExample#main} on a temporary node directory. */
class EmbeddingExampleTest {
    private static final String CONFIG = """
            version = 2

            [plugins."io.containerd.grpc.v1.cri"]
              sandbox_image = "registry.k8s.io/pause:3.10"
            """;

    @Test
    void mainPrintsTheDiffAndWritesNothing(@TempDir Path tmp) throws IOException {
        Path node = tmp.resolve("node");
        NodeFixture.containerd("1.7.22").withConfig(CONFIG).writeTo(node);
        Map<Path, String> before = tree(node);

        String out = captureStdout(() -> EmbeddingExample.main(
                new String[] {node.toString(), "containerd://1.7.22", "qemu", "clh"}));

        assertThat(out).contains("--- a/etc/containerd/config.toml", "+++ b/etc/containerd/config.toml",
                "+[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.kata-qemu]",
                "+runtime_type = \"io.containerd.kata-qemu.v2\"",
                "would change [/etc/containerd/config.toml], restart containerd, register [kata-qemu, kata-clh]");
        assertThat(tree(node)).as("planning writes nothing").isEqualTo(before);
    }

    private static String captureStdout(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    private static Map<Path, String> tree(Path dir) throws IOException {
        Map<Path, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p), Files.readString(p));
            }
        }
        return out;
    }
}
