package io.kdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --plugin-path} loads a configurer that is not on kdeploy's class path: the kdeploy-examples jar (Docker Engine),
 * which Maven copies into {@code target/plugins} and keeps off the test class path.
 */
class PluginPathTest {
    private static final Path PLUGINS = Path.of(System.getProperty("kdeploy.testPlugins", "target/plugins"));

    private record Run(int code, String out, String err) {}

    private static Run kdeploy(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void theExamplesJarIsAPlugin() throws Exception {
        assertThat(PLUGINS.resolve("kdeploy-examples-0.1.0-SNAPSHOT.jar")).isRegularFile();
        assertThat(getClass().getClassLoader().getResource("io/kdeploy/examples/DockerConfigurator.class"))
                .as("the examples must not be on the test class path, or this test proves nothing").isNull();
    }

    @Test
    void pluginsListsTheDockerConfigurerFromThePluginJar() {
        Run before = kdeploy("plugins");
        assertThat(before.code()).isZero();
        assertThat(before.out()).doesNotContain("configurer docker");

        for (String[] args : new String[][] {
            {"--plugin-path", PLUGINS.toString(), "plugins"}, {"plugins", "--plugin-path", PLUGINS.toString()}}) {
            Run run = kdeploy(args);
            assertThat(run.code()).as(run.err()).isZero();
            assertThat(run.out()).contains("configurer docker io.kdeploy.examples.DockerConfigurator "
                    + PLUGINS.resolve("kdeploy-examples-0.1.0-SNAPSHOT.jar").toAbsolutePath());
            assertThat(run.out()).contains("policy node-aware ", "policy three-stage ");
        }
    }

    @Test
    void installAndCleanupWithThePluginsDockerConfigurer(@TempDir Path host) throws Exception {
        Path daemonJson = host.resolve("etc/docker/daemon.json");
        Files.createDirectories(daemonJson.getParent());
        String original = """
                {
                  "log-driver": "journald",
                  "runtimes": {"runsc": {"path": "/usr/local/bin/runsc"}},
                  "features": {"buildkit": true}
                }
                """;
        Files.writeString(daemonJson, original);
        String[] common = {"--host-root", host.toString(), "--offline", "--no-restart", "--runtime", "docker",
            "--runtime-version", "containerd://1.7.27", "--shims", "qemu clh"};

        Run install = kdeploy(concat(new String[] {"--plugin-path", PLUGINS.toString(), "install"}, common));

        assertThat(install.code()).as(install.err()).isZero();
        assertThat(install.out()).contains("/etc/docker/daemon.json");
        String installed = Files.readString(daemonJson);
        assertThat(installed).contains("\"kata-qemu\"", "\"kata-clh\"", "io.containerd.kata-qemu.v2",
                "/opt/kata/share/defaults/kata-containers/runtimes/qemu/configuration-qemu.toml");
        assertThat(installed).containsSubsequence("\"log-driver\": \"journald\"", "\"runsc\"",
                "\"features\"", "\"buildkit\": true");

        Run cleanup = kdeploy(concat(new String[] {"--plugin-path", PLUGINS.toString(), "cleanup"}, common));

        assertThat(cleanup.code()).as(cleanup.err()).isZero();
        assertThat(Files.readString(daemonJson)).as("byte-identical after cleanup").isEqualTo(original);
    }

    @Test
    void anUnknownRuntimeIsBadUsageNamingTheKnownConfigurers(@TempDir Path host) {
        Run run = kdeploy("install", "--host-root", host.toString(), "--offline", "--runtime", "docker",
                "--runtime-version", "containerd://1.7.27");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--runtime 'docker'", "--plugin-path").doesNotContain("Exception");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void anEmptyPluginDirectoryAddsNothing(@TempDir Path empty) {
        Run run = kdeploy("--plugin-path", empty.toString(), "plugins");
        assertThat(run.code()).isZero();
        assertThat(run.out()).doesNotContain("configurer docker").contains("policy node-aware ");
    }

    @Test
    void aMissingPluginDirectoryIsBadUsage(@TempDir Path tmp) {
        Path missing = tmp.resolve("nope");
        Run run = kdeploy("--plugin-path", missing.toString(), "plugins");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--plugin-path " + missing + ": not a directory").doesNotContain("Exception");
        assertThat(Files.exists(missing)).isFalse();
    }
}
