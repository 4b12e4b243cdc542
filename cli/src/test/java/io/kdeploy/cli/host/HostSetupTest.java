package io.kdeploy.cli.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which host-exec prefix {@code install} and {@code cleanup} use. */
class HostSetupTest {
    private static final Path TEMP = Path.of("/tmp/node");

    @Test
    void hostExecPrefixWinsAndAnEmptyOneRunsDirectly() {
        assertThat(HostSetup.of(Path.of("/"), Map.of("HOST_EXEC_PREFIX", "chroot /host")).exec().prefix())
                .containsExactly("chroot", "/host");
        assertThat(HostSetup.of(Path.of("/"), Map.of("HOST_EXEC_PREFIX", "")).exec()).isEqualTo(HostExec.DIRECT);
    }

    @Test
    void theNodesOwnRootEntersPid1sMountNamespace() {
        assertThat(HostSetup.of(Path.of("/"), Map.of()).exec().prefix())
                .isEqualTo(List.of("nsenter", "--target", "1", "--mount", "--"));
    }

    @Test
    void anotherHostRootRunsDirectlyExceptInAPod() {
        assertThat(HostSetup.of(TEMP, Map.of()).exec()).isEqualTo(HostExec.DIRECT);
        assertThat(HostSetup.of(Path.of("/host"), Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1")).exec())
                .isEqualTo(HostExec.NSENTER);
    }

    @Test
    void theValidationRunnerRunsBehindThePrefix() {
        HostSetup setup = new HostSetup(TEMP, HostExec.parse("env"));

        var result = setup.validationRunner().run(List.of("sh", "-c", "echo validated; exit 3"));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.output()).contains("validated");
    }
}
