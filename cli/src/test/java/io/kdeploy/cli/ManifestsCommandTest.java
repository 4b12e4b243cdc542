package io.kdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.kdeploy.core.spec.Arch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code kdeploy manifests} and the checked-in {@code src/deploy/}: the default output must equal
 * {@code src/deploy/kdeploy.yaml}. After changing the generator run this test with {@code -Dgolden.update=true} once and
 * commit the file.
 */
class ManifestsCommandTest {
    private static final Path DEPLOY = Path.of(System.getProperty("kdeploy.corpus", "../src/corpus")).resolveSibling("deploy");

    private static final class Run {
        final int exit;
        final String out;
        final String err;

        Run(String... args) {
            StringWriter o = new StringWriter();
            StringWriter e = new StringWriter();
            CommandLine cl = Main.commandLine(args);
            cl.setOut(new PrintWriter(o));
            cl.setErr(new PrintWriter(e));
            exit = cl.execute(args);
            out = o.toString();
            err = e.toString();
        }
    }

    @Test
    void theCheckedInManifestsAreWhatTheDefaultsGenerate() throws IOException {
        Run run = new Run("manifests");
        assertThat(run.exit).isZero();
        Path golden = DEPLOY.resolve("kdeploy.yaml");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(golden, run.out, StandardCharsets.UTF_8);
        }
        assertThat(golden).exists();
        assertThat(run.out)
                .as("src/deploy/kdeploy.yaml is stale: run ManifestsCommandTest with -Dgolden.update=true and commit it")
                .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }

    @Test
    void theDockerfileRunsTheShadedJarAndShipsTheArtifactsWhereTheDaemonSetLooks() throws IOException {
        String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"), StandardCharsets.UTF_8);

        assertThat(dockerfile).contains("cli/target/kdeploy-cli-*-all.jar").contains("/opt/kata-artifacts")
                .contains("ENTRYPOINT");
    }

    @Test
    void flagsChooseShimsSuffixImageAndNamespace() {
        Run run = new Run("manifests", "--shims", "qemu clh", "--suffix", "blue", "--image", "registry.example/k:1",
                "--namespace", "kata");

        assertThat(run.exit).isZero();
        assertThat(run.out).contains("name: \"kata-deploy-blue\"").contains("handler: \"kata-clh-blue\"")
                .contains("image: \"registry.example/k:1\"").contains("namespace: \"kata\"")
                .contains("kata-deploy.katacontainers.io/blue: \"true\"")
                .doesNotContain("kata-qemu-runtime-rs");
        assertThat(run.out.split("(?m)^---$", -1)).hasSize(1 + 4 + 2);
    }

    @Test
    void anInvalidSuffixIsExitCode2WithTheFix() {
        Run run = new Run("manifests", "--suffix", "Not_Valid");

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.out).isEmpty();
        assertThat(run.err).contains("MULTI_INSTALL_SUFFIX (command line): 'Not_Valid' is not a valid multi-install suffix");
    }

    @Test
    void theSpecComesFromTheConfigFileWithFlagsOnTop(@TempDir Path dir) throws IOException {
        Path yaml = dir.resolve("kdeploy.yaml");
        Files.writeString(yaml, """
                shims: [qemu, clh]
                defaultShim: clh
                multiInstallSuffix: green
                healthPort: 9191
                debug: true
                """);

        Run run = new Run("manifests", "--config", yaml.toString(), "--suffix", "blue");

        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out).contains("handler: \"kata-clh-blue\"", "handler: \"kata-qemu-blue\"",
                "name: \"kata-deploy-blue\"", "containerPort: 9191", "value: \"9191\"", "name: \"DEBUG\"")
                .doesNotContain("green", "kata-qemu-runtime-rs");
        assertThat(run.out).containsSubsequence("name: \"DEFAULT_SHIM\"", "value: \"clh\"");
    }

    @Test
    void theDefaultShimListIsTheLoadersForTheChosenArchitecture() {
        Run x86 = new Run("manifests");
        Run arm = new Run("manifests", "--arch", "aarch64");

        assertThat(arm.exit).as(arm.err).isZero();
        assertThat(x86.out).contains(Arch.X86_64.defaultShims().stream().map(h -> "handler: \"kata-" + h + "\"\n")
                .toList());
        assertThat(arm.out).contains(Arch.AARCH64.defaultShims().stream().map(h -> "handler: \"kata-" + h + "\"\n")
                .toList()).doesNotContain("kata-qemu-tdx");
        assertThat(new Run("manifests", "--arch", "mips").exit).isEqualTo(2);
    }

    @Test
    void anUnknownShimInTheConfigIsExitCode2NamingTheFile(@TempDir Path dir) throws IOException {
        Path yaml = dir.resolve("bad.yaml");
        Files.writeString(yaml, "shims: [qemu, warp-drive]\n");

        Run run = new Run("manifests", "--config", yaml.toString());

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.out).isEmpty();
        assertThat(run.err).contains("warp-drive", yaml.toString());
    }

}
