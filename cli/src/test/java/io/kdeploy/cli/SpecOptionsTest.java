package io.kdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.Flavour;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.spec.Arch;
import io.kdeploy.core.spec.LoadedSpec;
import io.kdeploy.core.spec.Origin;
import io.kdeploy.core.spec.SpecKey;
import io.kdeploy.core.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class SpecOptionsTest {
    private static final SpecLoader X86 = SpecLoader.forArch(Arch.X86_64);

    @Command(name = "install")
    static final class Install {
        @Mixin
        SpecOptions options = new SpecOptions();
    }

    private static SpecOptions parse(String... args) {
        Install cmd = new Install();
        new CommandLine(cmd).parseArgs(args);
        return cmd.options;
    }

    @Test
    void defaults() {
        SpecOptions o = parse();
        assertThat(o.hostRoot()).isEqualTo(Path.of("/"));
        assertThat(o.runtime()).isEmpty();
        assertThat(o.runtimeVersion()).isEmpty();
        assertThat(o.artifacts()).isEmpty();
        assertThat(o.config()).isEmpty();
        assertThat(o.noRestart()).isFalse();
        assertThat(o.dryRun()).isFalse();
        assertThat(o.offline()).isFalse();
        assertThat(o.output()).isEqualTo(SpecOptions.Output.TEXT);
        assertThat(o.overrides()).isEmpty();
    }

    @Test
    void everyOptionIsRead(@TempDir Path dir) {
        SpecOptions o = parse("--host-root", dir.toString(), "--runtime", "k3s", "--runtime-version",
                "containerd://1.7.22-k3s1", "--artifacts", "/tmp/kata.tar.zst", "--config", "/etc/kdeploy.yaml", "--no-restart",
                "--dry-run", "--offline", "--output", "json");
        assertThat(o.hostRoot()).isEqualTo(dir);
        assertThat(o.runtime()).contains(Flavour.K3S);
        assertThat(o.runtimeVersion()).hasValueSatisfying(r -> assertThat(r.flavour()).isEqualTo(Flavour.K3S));
        assertThat(o.artifacts()).contains(Path.of("/tmp/kata.tar.zst"));
        assertThat(o.config()).contains(Path.of("/etc/kdeploy.yaml"));
        assertThat(o.noRestart()).isTrue();
        assertThat(o.dryRun()).isTrue();
        assertThat(o.offline()).isTrue();
        assertThat(o.output()).isEqualTo(SpecOptions.Output.JSON);
    }

    @Test
    void specFlagsBecomeOverridesUnderKataDeploysNames() {
        SpecOptions o = parse("--shims", "qemu,clh", "--default-shim", "clh", "--suffix", "blue", "--installation-prefix",
                "/usr/local", "--node-name", "n1", "--daemonset-name", "kd", "--kata-debug");
        assertThat(o.overrides()).containsExactlyInAnyOrderEntriesOf(Map.of("SHIMS", "qemu clh", "DEFAULT_SHIM", "clh",
                "MULTI_INSTALL_SUFFIX", "blue", "INSTALLATION_PREFIX", "/usr/local", "NODE_NAME", "n1", "DAEMONSET_NAME", "kd",
                "DEBUG", "true"));
        assertThat(parse("--no-kata-debug").overrides()).containsExactly(Map.entry("DEBUG", "false"));
    }

    @Test
    void flagsBeatEnvironmentBeatsYaml(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("spec.yaml");
        Files.writeString(yaml, "shims: [fc]\nmultiInstallSuffix: yaml\nnodeName: from-yaml\ndebug: true\n");
        SpecOptions o = parse("--config", yaml.toString(), "--shims", "qemu clh", "--no-kata-debug");
        LoadedSpec s = o.loadSpec(Map.of("SHIMS_X86_64", "fc", "MULTI_INSTALL_SUFFIX", "env"), X86);
        assertThat(s.spec().shims()).containsExactly("qemu", "clh");
        assertThat(s.sourceOf(SpecKey.SHIMS)).isEqualTo(Origin.override("SHIMS"));
        assertThat(s.spec().suffix()).isEqualTo("env");
        assertThat(s.spec().nodeName()).isEqualTo("from-yaml");
        assertThat(s.spec().debug()).isFalse();
    }

    @Test
    void invalidFlagValuesAreSpecErrorsNamingTheFlagVariable() {
        assertThatThrownBy(() -> parse("--suffix", "Blue").loadSpec(Map.of(), X86))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageStartingWith("MULTI_INSTALL_SUFFIX (command line): 'Blue'");
        assertThatThrownBy(() -> parse("--runtime", "docker").runtime())
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("'docker'");
        assertThatThrownBy(() -> parse("--runtime-version", "1.7").runtimeVersion())
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("containerd://1.7.22");
    }

    @Test
    void badOutputFormatIsAUsageError() {
        assertThatThrownBy(() -> parse("--output", "yaml"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("'yaml' is not an output format. Use text or json.");
    }

    @Test
    void helpListsEveryOption() {
        String usage = new CommandLine(new Install()).getUsageMessage();
        for (String flag : new String[] {"--host-root", "--runtime", "--runtime-version", "--artifacts", "--config",
            "--no-restart", "--dry-run", "--offline", "--output", "--shims", "--default-shim", "--suffix",
            "--installation-prefix", "--node-name", "--daemonset-name", "--[no-]kata-debug"}) {
            assertThat(usage).contains(flag);
        }
    }
}
