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
