package io.kdeploy.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.CleanupDecision;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.Flavour;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.Kdeploy;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.artifacts.ArtifactSource;
import io.kdeploy.core.artifacts.SampleBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The staged parts of {@link NodeDeployment} (job mode): artifacts and runtime configuration separately, each restarting
 * only when the configuration changed, the read-only check, and the runtime's unit.
 */
class NodeDeploymentStagesTest {
    private static final String FILE = "/etc/fake/handlers.txt";
    private static final DeploySpec SPEC = DeploySpec.of("qemu");
    private static final RuntimeInfo CONTAINERD = RuntimeInfo.parse("containerd://1.7.22");

    @TempDir
    Path host;

    @TempDir
    Path work;

    private final List<String> restarts = new ArrayList<>();

    private NodeDeployment deployment() {
        return NodeDeployment.builder(host)
                .registry(Kdeploy.builder().add(new NodeDeploymentRuntimeTest.LineConfigurer()).build())
                .restarter(restarts::add)
                .build();
    }

    private InstallRequest install() throws IOException {
        return InstallRequest.of(SPEC).withRuntime(CONTAINERD)
                .withArtifacts(ArtifactSource.of(SampleBundle.writeTo(work.resolve("kata"))));
    }

    private CleanupRequest cleanup() {
        return CleanupRequest.of(SPEC, new CleanupDecision.Full("test")).withRuntime(CONTAINERD);
    }

    @Test
    void theArtifactStageTouchesNoRuntimeConfigurationAndConverges() throws IOException {
        InstallReport first = deployment().installArtifacts(install());
        InstallReport second = deployment().installArtifacts(install());

        assertThat(first.artifactFilesWritten()).isGreaterThan(10);
        assertThat(host.resolve(FILE.substring(1))).doesNotExist();
        assertThat(second.artifactFilesWritten()).isZero();
        assertThat(second.changedFiles()).isEmpty();
        assertThat(restarts).isEmpty();
    }

    @Test
    void theArtifactStageWithoutArtifactsIsExitCode2() {
        assertThatThrownBy(() -> deployment().installArtifacts(InstallRequest.of(SPEC).withRuntime(CONTAINERD)))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("--artifacts");
    }

    @Test
    void theCriStagesRestartOnlyWhenTheConfigurationChanged() throws IOException {
        NodeDeployment node = deployment();
        node.installArtifacts(install());

        InstallReport cri = node.installCri(install());
        InstallReport again = node.installCri(install());

        assertThat(cri.changedFiles()).containsExactly(FILE);
        assertThat(cri.artifactFilesWritten()).as("no artifacts in the CRI stage").isZero();
        assertThat(again.changedFiles()).isEmpty();
        assertThat(again.restarted()).isFalse();
        assertThat(restarts).containsExactly("fake.service");

        CleanupReport reverted = node.revertCri(cleanup());
        CleanupReport revertedAgain = node.revertCri(cleanup());

        assertThat(reverted.restarted()).isTrue();
        assertThat(revertedAgain.restarted()).isFalse();
        assertThat(restarts).containsExactly("fake.service", "fake.service");
        assertThat(host.resolve("opt/kata/bin")).as("revert-cri leaves the artifacts").isDirectory();

        CleanupReport removed = node.removeArtifacts(cleanup());
        CleanupReport removedAgain = node.removeArtifacts(cleanup());

        assertThat(removed.artifactFilesRemoved()).isGreaterThan(10);
        assertThat(host.resolve("opt/kata")).doesNotExist();
        assertThat(removedAgain.artifactFilesRemoved()).isZero();
        assertThat(removedAgain.changedFiles()).isEmpty();
    }

    @Test
    void theCheckPlansWithoutTouchingAnything() throws IOException {
        InstallReport check = deployment().check(install());

        assertThat(check.changedFiles()).containsExactly(FILE);
        assertThat(check.runtime()).isEqualTo(CONTAINERD);
        try (var files = Files.walk(host)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void theRuntimeUnitIsTheFlavoursUsualOneAndNoneForK0s() {
        NodeDeployment node = deployment();

        assertThat(node.runtimeUnit(CONTAINERD)).contains("containerd");
        assertThat(node.runtimeUnit(new RuntimeInfo(Flavour.K3S, CONTAINERD.version()))).contains("k3s");
        assertThat(node.runtimeUnit(new RuntimeInfo(Flavour.K0S, CONTAINERD.version()))).isEmpty();
        assertThat(node.runtime(CONTAINERD, "k3s").flavour()).as("declared k3s, version from the given runtime")
                .isEqualTo(Flavour.K3S);
    }
}
