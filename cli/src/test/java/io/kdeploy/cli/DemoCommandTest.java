package io.kdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code kdeploy demo} runs the whole life cycle, passes every check and proves the node byte-identical. */
class DemoCommandTest {

    @Test
    void theDemoPassesAndProvesTheNodeByteIdentical() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "demo", "--no-color");

        assertThat(code).as(out + "\n" + err).isZero();
        String text = out.toString();
        assertThat(text).contains("[1/8]", "[8/8]", "+          [plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.kata-qemu]",
                "node-aware says SKIP", "node-aware says FULL", "is byte-identical to the start", "Demo passed")
                .doesNotContain("✗", "\033[");
        String before = line(text, "sha256 before ");
        String after = line(text, "sha256 after  ");
        assertThat(before).hasSize(64).isEqualTo(after);
    }

    private static String line(String text, String prefix) {
        return text.lines().map(String::strip).filter(l -> l.startsWith(prefix)).findFirst().orElseThrow()
                .substring(prefix.length());
    }
}
