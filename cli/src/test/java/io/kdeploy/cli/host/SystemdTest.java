package io.kdeploy.cli.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.KdeployException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restarts against a fake {@code systemctl} put first on the PATH through the host-exec prefix. */
class SystemdTest {
    private static final String FAKE = String.join("\n",
            "#!/bin/sh",
            "echo \"$*\" >> \"$FAKE_DIR/calls\"",
            "for a; do last=$a; done",
            "state() { cat \"$FAKE_DIR/state\" 2>/dev/null || echo active; }",
            "case \"$1\" in",
            "  daemon-reload) exit 0 ;;",
            "  restart)",
            "    if [ -f \"$FAKE_DIR/fail-restart\" ]; then",
            "      echo \"Job for $last failed because the control process exited with error code.\" >&2",
            "      echo failed > \"$FAKE_DIR/state\"; exit 1",
            "    fi",
            "    echo activating > \"$FAKE_DIR/state\"; exit 0 ;;",
            "  is-active)",
            "    n=$(cat \"$FAKE_DIR/checks\" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > \"$FAKE_DIR/checks\"",
            "    s=$(state)",
            "    if [ \"$s\" = activating ] && [ $n -ge 2 ]; then",
            "      if [ -f \"$FAKE_DIR/crash\" ]; then s=failed; elif [ ! -f \"$FAKE_DIR/hang\" ]; then s=active; fi",
            "      echo $s > \"$FAKE_DIR/state\"",
            "    fi",
            "    echo $s; [ \"$s\" = active ] ;;",
            "  status)",
            "    echo \"* $last - containerd container runtime\"",
            "    echo \"     Active: $(state) (Result: exit-code)\"",
            "    echo \"level=fatal msg=\\\"failed to load TOML: /etc/containerd/config.toml\\\"\"",
            "    exit 3 ;;",
            "esac",
            "");

    @TempDir
    Path dir;

    private Systemd systemd;

    @BeforeEach
    void fakeSystemctl() throws IOException {
        Path script = dir.resolve("systemctl");
        Files.writeString(script, FAKE, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        HostExec exec = new HostExec(List.of("env", "PATH=" + dir + ":" + System.getenv("PATH"), "FAKE_DIR=" + dir));
        systemd = new Systemd(exec, Duration.ofSeconds(2), Duration.ofMillis(50));
    }

    private List<String> calls() throws IOException {
        return Files.readAllLines(dir.resolve("calls"));
    }

    @Test
    void aRestartReloadsRestartsAndWaitsUntilTheUnitIsActive() throws IOException {
        systemd.restart("containerd.service");

        assertThat(calls()).containsExactly("daemon-reload", "restart containerd.service", "is-active containerd.service",
                "is-active containerd.service");
        assertThat(systemd.activeState("containerd.service")).isEqualTo("active");
    }

    @Test
    void aFailedRestartReportsTheUnitStatus() throws IOException {
        Files.createFile(dir.resolve("fail-restart"));

        assertThatThrownBy(() -> systemd.restart("containerd.service"))
                .isInstanceOf(KdeployException.class)
                .hasMessageStartingWith("'systemctl restart containerd.service' failed with exit status 1 (Job for"
                        + " containerd.service failed")
                .hasMessageContaining("'systemctl status containerd.service' says:\n* containerd.service - containerd"
                        + " container runtime\n     Active: failed (Result: exit-code)\nlevel=fatal");
    }

    @Test
    void aUnitThatFailsAfterStartingIsAnErrorWithItsStatus() {
        assertThatThrownBy(() -> {
            Files.createFile(dir.resolve("crash"));
            systemd.restart("k3s.service");
        }).isInstanceOf(KdeployException.class)
                .hasMessageStartingWith("k3s.service is failed after the restart.")
                .hasMessageContaining("Active: failed");
    }

    @Test
    void aUnitThatNeverBecomesActiveTimesOut() throws IOException {
        Files.createFile(dir.resolve("hang"));

        assertThatThrownBy(() -> systemd.restart("crio.service"))
                .isInstanceOf(KdeployException.class)
                .hasMessageStartingWith("crio.service is still 'activating' 2 s after the restart.")
                .hasMessageContaining("Active: activating");
    }

    @Test
    void aMissingHostExecCommandIsAClearError() {
        Systemd broken = new Systemd(new HostExec(List.of(dir.resolve("no-such-nsenter").toString())), Duration.ofSeconds(1),
                Duration.ofMillis(10));

        assertThatThrownBy(() -> broken.restart("containerd.service"))
                .isInstanceOf(KdeployException.class)
                .hasMessageContaining("no-such-nsenter systemctl daemon-reload")
                .hasMessageContaining("hostPID: true");
    }

    @Test
    void thePrefixIsParsedFromWords() {
        assertThat(HostExec.parse(" nsenter --target 1  --mount -- ")).isEqualTo(HostExec.NSENTER);
        assertThat(HostExec.parse("")).isEqualTo(HostExec.DIRECT);
        assertThat(HostExec.NSENTER.command(List.of("systemctl", "is-active", "x")))
                .containsExactly("nsenter", "--target", "1", "--mount", "--", "systemctl", "is-active", "x");
    }
}
