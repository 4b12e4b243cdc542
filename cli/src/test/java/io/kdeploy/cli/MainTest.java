package io.kdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The top-level command: only the named subcommand is built, and help, version and mistakes still see all of them. */
class MainTest {
    private static final List<String> ALL = List.of("help", "install", "cleanup", "decide", "manifests", "demo", "plugins",
            "reset", "install-stage-host-check", "install-stage-artifacts", "install-stage-cri", "cleanup-stage-revert-cri",
            "cleanup-stage-remove-artifacts");

    @Test
    void aNamedSubcommandIsTheOnlyOneBuilt() {
        assertThat(Main.commandLine("install", "--offline").getSubcommands()).containsOnlyKeys("install");
        assertThat(Main.commandLine("--debug", "--plugin-path", "decide", "cleanup").getSubcommands())
                .containsOnlyKeys("cleanup");
        assertThat(Main.commandLine("--plugin-path=/p", "decide", "--node", "n.json").getSubcommands())
                .containsOnlyKeys("decide");
    }

    @Test
    void helpNoSubcommandOrAnUnknownOneSeesAll() {
        assertThat(Main.commandLine().getSubcommands().keySet()).containsExactlyElementsOf(ALL);
        assertThat(Main.commandLine("--help").getSubcommands().keySet()).containsExactlyElementsOf(ALL);
        assertThat(Main.commandLine("help", "install").getSubcommands().keySet()).containsExactlyElementsOf(ALL);
        assertThat(Main.commandLine("instal").getSubcommands().keySet()).containsExactlyElementsOf(ALL);
        assertThat(Main.commandLine("--version", "--help").getSubcommands().keySet()).containsExactlyElementsOf(ALL);
    }

    @Test
    void versionAloneNeedsNoSubcommand() {
        assertThat(Main.commandLine("--version").getSubcommands()).isEmpty();
        assertThat(Main.commandLine("-V").getSubcommands()).isEmpty();
        assertThat(run("--version")).startsWith("0 kdeploy ");
    }

    @Test
    void usageListsEveryCommandAndMistakesGetSuggestions() {
        assertThat(run("--help")).startsWith("0 ").contains("install-stage-cri", "cleanup-stage-remove-artifacts", "decide");
        assertThat(run("help", "decide")).startsWith("0 ").contains("--daemonset-name");
        assertThat(run("install", "--help")).startsWith("0 ").contains("--verify").doesNotContain("cleanup-stage");
        assertThat(run("instal")).startsWith("2 ").contains("Did you mean: kdeploy install");
    }

    @Test
    void theQualifiedNameOfALoneSubcommandIsUnchanged() {
        CommandLine install = Main.commandLine("install").getSubcommands().get("install");

        assertThat(install.getCommandSpec().qualifiedName()).isEqualTo("kdeploy install");
    }

    /** main() tells picocli to skip the converters of java.time and java.sql: no option of any command may need one. */
    @Test
    void noOptionNeedsAConverterMainLeavesOut() {
        Pattern skipped = Pattern.compile(String.join("|", Main.UNUSED_CONVERTERS.split(",")));
        List<Class<?>> types = new ArrayList<>();
        for (CommandLine c : Main.commandLine().getSubcommands().values()) {
            for (CommandLine.Model.ArgSpec a : c.getCommandSpec().args()) {
                types.add(a.type());
                types.addAll(List.of(a.auxiliaryTypes()));
            }
        }
        assertThat(types).hasSizeGreaterThan(50).noneMatch(t -> skipped.matcher(t.getName()).matches());
        assertThat(skipped.matcher("java.time.Duration").matches()).isTrue();
        assertThat(skipped.matcher("java.nio.file.Path").matches()).isFalse();
    }

    /** The exit code, a space, then what the command printed on stdout and stderr. */
    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return code + " " + out + err;
    }
}
