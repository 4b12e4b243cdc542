package io.kdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdeploy.core.artifacts.SampleBundle;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job-mode staged actions on a temporary host root (containerd 1.7 corpus config, {@link SampleBundle} artifacts),
 * restarting through a fake {@code systemctl}: each idempotent, the restart rule, the full sequence leaving the host
 * byte-identical, and the {@code NODE_MACHINE_ID} guard.
 */
class StageCommandsTest {
    private static final Path CORPUS = Path.of(System.getProperty("kdeploy.corpus", "../src/corpus"));
    private static final String MACHINE_ID = "0f3c5e6d7a8b49c0a1b2c3d4e5f60718";

    @TempDir
    Path host;

    @TempDir
    Path work;

    @TempDir
    Path bin;

    private StageFixture fake;
    private Path config;
    private String original;
    private Path bundle;

    @BeforeEach
    void setUp() throws IOException {
        original = Files.readString(CORPUS.resolve(
                "containerd/containerd-1.7-suffix-nydus/input/etc/containerd/config.toml"));
        config = host.resolve("etc/containerd/config.toml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, original);
        Files.writeString(host.resolve("etc/machine-id"), MACHINE_ID + "\n");
        bundle = SampleBundle.writeTo(work.resolve("kata"));
        fake = new StageFixture(bin);
    }

    private StageFixture.Result stage(Function<Map<String, String>, StageCommand> command, Map<String, String> extraEnv,
            String... more) {
        Map<String, String> env = new HashMap<>(fake.environment());
        env.putAll(extraEnv);
        List<String> args = new ArrayList<>(List.of("--host-root", host.toString(), "--shims", "qemu qemu-runtime-rs",
                "--output", "json"));
        args.addAll(List.of(more));
        return StageFixture.run(command.apply(env), args.toArray(String[]::new));
    }

    private JsonNode ok(StageFixture.Result r) {
        assertThat(r.code()).as(r.err()).isZero();
        return r.json();
    }

    private JsonNode hostCheck() {
        return ok(stage(StageCommands.HostCheck::new, Map.of(), "--runtime-version", "containerd://1.7.22"));
    }

    private JsonNode artifacts() {
        return ok(stage(StageCommands.Artifacts::new, Map.of(), "--runtime-version", "containerd://1.7.22",
                "--artifacts", bundle.toString()));
    }

    private JsonNode cri() {
        return ok(stage(StageCommands.Cri::new, Map.of("CONTAINER_RUNTIME_VERSION", "containerd://1.7.22")));
    }

    private JsonNode revertCri() {
        return ok(stage(StageCommands.RevertCri::new, Map.of("CONTAINER_RUNTIME_VERSION", "containerd://1.7.22")));
    }

    private JsonNode removeArtifacts() {
        return ok(stage(StageCommands.RemoveArtifacts::new, Map.of("CONTAINER_RUNTIME_VERSION", "containerd://1.7.22")));
    }

    @Test
    void theHostCheckTouchesNothingAndSaysWhatItChecked() {
        Map<String, String> before = StageFixture.snapshot(host);

        JsonNode json = hostCheck();

        assertThat(json.get("action").asText()).isEqualTo("install-stage-host-check");
        assertThat(json.get("runtime").asText()).isEqualTo("containerd://1.7.22");
        assertThat(json.get("checks").toString()).contains("spec: shims qemu qemu-runtime-rs", "runtime: containerd 1.7.22",
                "planned changes: /etc/containerd/config.toml");
        assertThat(StageFixture.snapshot(host)).isEqualTo(before);
        assertThat(host.resolve("run/lock/kdeploy.lock")).doesNotExist();
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void theHostCheckRejectsARuntimeThatContradictsTheDeclaredOneWithExitCode2() {
        StageFixture.Result r = stage(StageCommands.HostCheck::new, Map.of(), "--runtime", "crio", "--runtime-version",
                "containerd://1.7.22");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--runtime crio contradicts --runtime-version containerd://1.7.22");
    }

    @Test
    void theHostCheckRejectsErofsOnContainerd17BeforeAnythingIsWritten() throws IOException {
        Path spec = work.resolve("spec.yaml");
        Files.writeString(spec, "experimentalSetupSnapshotter: [erofs]\n");
        Map<String, String> before = StageFixture.snapshot(host);

        StageFixture.Result r = stage(StageCommands.HostCheck::new, Map.of(), "--runtime-version", "containerd://1.7.22",
                "--config", spec.toString());

        assertThat(r.code()).as(r.out()).isEqualTo(2);
        assertThat(r.err()).contains("erofs").contains("2.2");
        assertThat(StageFixture.snapshot(host)).isEqualTo(before);
    }

    @Test
    void theArtifactStageWritesOnlyArtifactsAndNothingTheSecondTime() throws IOException {
        JsonNode first = artifacts();

        assertThat(first.get("action").asText()).isEqualTo("install-stage-artifacts");
        assertThat(first.get("artifactFilesWritten").asInt()).isGreaterThan(10);
        assertThat(first.get("restarted").asBoolean()).isFalse();
        assertThat(Files.readString(config)).isEqualTo(original);
        Map<String, String> installed = StageFixture.snapshot(host);

        JsonNode second = artifacts();

        assertThat(second.get("artifactFilesWritten").asInt()).isZero();
        assertThat(second.get("changedFiles")).isEmpty();
        assertThat(StageFixture.snapshot(host)).isEqualTo(installed);
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void theCriStageRestartsOnlyWhenTheConfigBytesChanged() throws IOException {
        artifacts();

        JsonNode first = cri();

        assertThat(first.get("action").asText()).isEqualTo("install-stage-cri");
        assertThat(first.get("changedFiles").toString()).contains("/etc/containerd/config.toml");
        assertThat(first.get("restarted").asBoolean()).isTrue();
        assertThat(fake.restarts()).containsExactly("containerd");
        FileTime written = Files.getLastModifiedTime(config);
        String configured = Files.readString(config);

        JsonNode second = cri();

        assertThat(second.get("changedFiles")).isEmpty();
        assertThat(second.get("restartRequired").asBoolean()).isFalse();
        assertThat(second.get("restarted").asBoolean()).isFalse();
        assertThat(fake.restarts()).as("converges without a restart").containsExactly("containerd");
        assertThat(Files.readString(config)).isEqualTo(configured);
        assertThat(Files.getLastModifiedTime(config)).isEqualTo(written);
    }

    @Test
    void aDryRunOfTheCriStagePrintsTheDiffAndTouchesNothing() {
        Map<String, String> before = StageFixture.snapshot(host);

        StageFixture.Result r = stage(StageCommands.Cri::new, Map.of(), "--runtime-version", "containerd://1.7.22",
                "--dry-run");

        assertThat(ok(r).get("action").asText()).isEqualTo("install-stage-cri");
        assertThat(r.out()).contains("+++ b/etc/containerd/config.toml");
        assertThat(StageFixture.snapshot(host)).isEqualTo(before);
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void theFullStagedSequenceLeavesTheHostByteIdentical() {
        Map<String, String> before = StageFixture.snapshot(host);

        hostCheck();
        artifacts();
        cri();
        assertThat(host.resolve("opt/kata/bin")).isDirectory();
        JsonNode reverted = revertCri();
        assertThat(reverted.get("action").asText()).isEqualTo("cleanup-stage-revert-cri");
        assertThat(reverted.get("decision").asText()).isEqualTo("FULL");
        assertThat(reverted.get("restarted").asBoolean()).isTrue();
        assertThat(host.resolve("opt/kata/bin")).as("revert-cri leaves the artifacts").isDirectory();
        JsonNode removed = removeArtifacts();

        assertThat(removed.get("action").asText()).isEqualTo("cleanup-stage-remove-artifacts");
        assertThat(removed.get("artifactFilesWritten").asInt()).isGreaterThan(10);
        assertThat(removed.get("restarted").asBoolean()).isFalse();
        assertThat(StageFixture.snapshot(host)).isEqualTo(before);
        assertThat(host.resolve("opt/kata")).doesNotExist();
        assertThat(fake.restarts()).containsExactly("containerd", "containerd");
    }

    @Test
    void theCleanupStagesDoNothingTheSecondTime() {
        artifacts();
        cri();
        revertCri();
        removeArtifacts();
        Map<String, String> clean = StageFixture.snapshot(host);
        int restarts = fake.restarts().size();

        JsonNode reverted = revertCri();
        JsonNode removed = removeArtifacts();

        assertThat(reverted.get("changedFiles")).isEmpty();
        assertThat(reverted.get("restarted").asBoolean()).as("nothing reverted, no restart").isFalse();
        assertThat(removed.get("changedFiles")).isEmpty();
        assertThat(removed.get("artifactFilesWritten").asInt()).isZero();
        assertThat(fake.restarts()).hasSize(restarts);
        assertThat(StageFixture.snapshot(host)).isEqualTo(clean);
    }

    @Test
    void removingArtifactsWhenTheInstallDirIsAbsentIsANoOpWithoutTheLock() {
        JsonNode removed = removeArtifacts();

        assertThat(removed.get("artifactFilesWritten").asInt()).isZero();
        assertThat(host.resolve("run/lock/kdeploy.lock")).doesNotExist();
    }

    @Test
    void aMachineIdOfAnotherMachineIsExitCode2AndTouchesNothing() {
        Map<String, String> before = StageFixture.snapshot(host);

        StageFixture.Result viaEnv = stage(StageCommands.Cri::new, Map.of("NODE_MACHINE_ID", "ffff",
                "CONTAINER_RUNTIME_VERSION", "containerd://1.7.22"));
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err),
                "install-stage-artifacts", "--host-root", host.toString(), "--runtime-version", "containerd://1.7.22",
                "--artifacts", bundle.toString(), "--node-machine-id", "0000");

        assertThat(viaEnv.code()).isEqualTo(2);
        assertThat(viaEnv.err()).contains("NODE_MACHINE_ID is 'ffff'", MACHINE_ID, "made for another machine");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("NODE_MACHINE_ID is '0000'");
        assertThat(StageFixture.snapshot(host)).isEqualTo(before);
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void theMatchingMachineIdAndTheRuntimeFromTheEnvironmentAreAccepted() {
        StageFixture.Result r = stage(StageCommands.HostCheck::new, Map.of("NODE_MACHINE_ID", MACHINE_ID,
                "CONTAINER_RUNTIME_VERSION", "containerd://1.7.24"));

        assertThat(ok(r).get("runtime").asText()).isEqualTo("containerd://1.7.24");
    }

    @Test
    void aMalformedRuntimeVersionVariableIsExitCode2NamingIt() {
        StageFixture.Result r = stage(StageCommands.Cri::new, Map.of("CONTAINER_RUNTIME_VERSION", "containerd-1.7"));

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("CONTAINER_RUNTIME_VERSION='containerd-1.7'");
        assertThat(fake.calls()).isEmpty();
    }
}
