package io.kdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.Kdeploy;
import io.kdeploy.core.deploy.InstallReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * CRI-O's validation command ({@code crio --config-dir /etc/crio/crio.conf.d config}) runs the host's binary through the
 * CLI's host setup: resolved under the host root when there is no host-exec prefix, behind the prefix (with node paths)
 * when there is one; never the {@code crio} of the machine kdeploy runs on.
 */
class CrioValidationCommandTest {
    @TempDir
    Path host;

    @TempDir
    Path work;

    private Path calls;
    private String originalConf;

    @BeforeEach
    void setUp() throws IOException {
        calls = work.resolve("calls");
        originalConf = "[crio.runtime]\ndefault_runtime = \"crun\"\n";
        Files.createDirectories(host.resolve("etc/crio/crio.conf.d"));
        Files.writeString(host.resolve("etc/crio/crio.conf"), originalConf);
    }

    private void fakeCrio(int exitCode) throws IOException {
        Path crio = host.resolve("usr/bin/crio");
        Files.createDirectories(crio.getParent());
        script(crio, "echo \"host crio $*\" >> '" + calls + "'", "echo 'crio says: bad config' >&2", "exit " + exitCode);
    }

    private static void script(Path p, String... lines) throws IOException {
        Files.writeString(p, "#!/bin/sh\n" + String.join("\n", lines) + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Run(int code, String out, String err) {}

    private static Run kdeploy(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    private String[] install() {
        return new String[] {"install", "--offline", "--no-restart", "--host-root", host.toString(), "--runtime-version",
            "cri-o://1.31.1", "--shims", "qemu"};
    }

    @Test
    void withoutAPrefixTheValidationRunsTheBinaryUnderTheHostRoot() throws IOException {
        fakeCrio(0);

        Run r = kdeploy(install());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readAllLines(calls)).containsExactly(
                "host crio --config-dir " + host.resolve("etc/crio/crio.conf.d") + " config");
        try (var dropIns = Files.list(host.resolve("etc/crio/crio.conf.d"))) {
            assertThat(dropIns.toList()).isNotEmpty();
        }
    }

    @Test
    void aRejectingHostBinaryRollsTheInstallBackWithExitFour() throws IOException {
        fakeCrio(1);

        Run r = kdeploy(install());

        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(4);
        assertThat(r.err()).contains("crio says: bad config");
        assertThat(Files.readAllLines(calls)).hasSize(1);
        try (var dropIns = Files.list(host.resolve("etc/crio/crio.conf.d"))) {
            assertThat(dropIns.toList()).as("rolled back").isEmpty();
        }
        assertThat(Files.readString(host.resolve("etc/crio/crio.conf"))).isEqualTo(originalConf);
    }

    @Test
    void withAPrefixTheValidationRunsBehindItWithNodePaths() throws IOException {
        fakeCrio(0);
        Path enter = work.resolve("enter-host");
        script(enter, "echo \"prefix $*\" >> '" + calls + "'");
        SpecOptions options = new SpecOptions();
        new CommandLine(options).parseArgs(java.util.Arrays.copyOfRange(install(), 1, install().length));
        NodeRun run = NodeRun.of(options, Map.of("HOST_EXEC_PREFIX", enter.toString()), Kdeploy.discover());

        InstallReport r = run.deployment(io.kdeploy.core.artifacts.ProgressListener.NONE)
                .install(run.installRequest(false, false));

        assertThat(r.changedFiles()).isNotEmpty();
        List<String> lines = Files.readAllLines(calls);
        assertThat(lines).contains("prefix /usr/bin/crio --config-dir /etc/crio/crio.conf.d config");
        assertThat(lines).noneMatch(l -> l.startsWith("host crio"));
    }
}
