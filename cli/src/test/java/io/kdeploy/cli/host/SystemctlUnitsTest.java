package io.kdeploy.cli.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.KdeployException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unit operations against a fake {@code systemctl} put first on the PATH through the host-exec prefix. */
class SystemctlUnitsTest {
    private static final String FAKE = String.join("\n",
            "#!/bin/sh",
            "echo \"$*\" >> \"$FAKE_DIR/calls\"",
            "for a; do last=$a; done",
            "case \"$1\" in",
            "  disable)",
            "    if [ -f \"$FAKE_DIR/unknown\" ]; then echo \"Failed to disable unit: Unit file $last.service does not exist.\";"
                    + " exit 1; fi",
            "    if [ -f \"$FAKE_DIR/fail\" ]; then echo \"Job failed\"; exit 1; fi ;;",
            "  restart)",
            "    if [ -f \"$FAKE_DIR/fail\" ]; then echo \"Job for $last.service failed\"; exit 1; fi ;;",
            "  status) echo \"* $last.service - nydus\"; echo \"   Active: failed\"; exit 3 ;;",
            "esac",
            "exit 0",
            "");

    @TempDir
    Path dir;

    private SystemctlUnits units;

    @BeforeEach
    void fakeSystemctl() throws IOException {
        Path script = dir.resolve("systemctl");
        Files.writeString(script, FAKE, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        units = new SystemctlUnits(new HostExec(List.of("env", "PATH=" + dir + ":" + System.getenv("PATH"),
                "FAKE_DIR=" + dir)));
    }

    private List<String> calls() throws IOException {
        return Files.readAllLines(dir.resolve("calls"));
    }

    @Test
    void startsAndStopsThroughSystemctl() throws IOException {
        units.daemonReload();
        units.enableAndRestart("nydus-for-kata-tee-b");
        units.disableNow("nydus-for-kata-tee-b");
        assertThat(calls()).containsExactly("daemon-reload", "enable nydus-for-kata-tee-b", "restart nydus-for-kata-tee-b",
                "disable --now nydus-for-kata-tee-b");
    }

    @Test
    void aFailedStartNamesTheUnitAndShowsItsStatus() throws IOException {
        Files.writeString(dir.resolve("fail"), "");
        assertThatThrownBy(() -> units.enableAndRestart("nydus-for-kata-tee"))
                .isInstanceOf(KdeployException.class)
                .hasMessageContaining("'systemctl restart nydus-for-kata-tee' failed with exit status 1")
                .hasMessageContaining("Active: failed");
        assertThatThrownBy(() -> units.disableNow("nydus-for-kata-tee"))
                .isInstanceOf(KdeployException.class).hasMessageContaining("disable --now nydus-for-kata-tee");
    }

    @Test
    void stoppingAUnitThatIsGoneIsFine() throws IOException {
        Files.writeString(dir.resolve("unknown"), "");
        units.disableNow("nydus-for-kata-tee");
        assertThat(calls()).containsExactly("disable --now nydus-for-kata-tee");
    }
}
