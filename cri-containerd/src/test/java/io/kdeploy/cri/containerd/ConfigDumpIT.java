package io.kdeploy.cri.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.Flavour;
import io.kdeploy.core.KataLayout;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.toml.KeyPath;
import io.kdeploy.core.toml.TomlDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every containerd 1.x golden output (plain containerd and microk8s, both edited in place) is accepted by the real
 * {@code containerd --config F config dump}, and the dump shows the Kata handlers and every one of the user's settings with
 * its value unchanged.
 */
class ConfigDumpIT {

    static List<String> inPlaceCases() {
        return GoldenCase.names().stream().filter(n -> {
            GoldenCase c = GoldenCase.load(n);
            return c.runtime().version().major() < 2
                    && (c.runtime().flavour() == Flavour.CONTAINERD || c.runtime().flavour() == Flavour.MICROK8S);
        }).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inPlaceCases")
    void realContainerdAcceptsOutputAndKeepsUserSettings(String name, @TempDir Path dir) throws IOException {
        ContainerdBinary.require();
        GoldenCase c = GoldenCase.load(name);
        Map<String, Bytes> out = new TestNode(c.input()).installed(new ContainerdConfigurator(), c.spec(), c.runtime());
        String path = out.keySet().stream().filter(p -> !out.get(p).equals(c.input().get(p))).findFirst().orElseThrow();
        Path file = dir.resolve("config.toml");
        Files.write(file, out.get(path).toArray());

        ContainerdBinary.Run dump = ContainerdBinary.configDump(file);
        assertThat(dump.exit()).as("containerd config dump of %s:\n%s", name, dump.stderr()).isZero();
        TomlDocument dumped = TomlDocument.parse("config dump", dump.stdout());
        assertHandlersIn(dumped, c.spec());
        if (c.input().containsKey(path)) {
            assertUserSettingsIn(dumped, TomlDocument.parse(path, c.input().get(path)), c.spec());
        }
    }

    static void assertHandlersIn(TomlDocument dump, DeploySpec spec) {
        KataLayout layout = new KataLayout(spec);
        for (String shim : spec.shims()) {
            KeyPath rt = RuntimeStanza.runtimesTable(2).child(spec.handler(shim));
            assertThat(dump.get(rt.child("runtime_type"))).contains("io.containerd." + spec.handler(shim) + ".v2");
            assertThat(dump.get(rt.child("runtime_path"))).contains(layout.shimBinary(shim));
            assertThat(dump.get(rt.child("privileged_without_host_devices"))).contains(true);
            assertThat(dump.get(rt.child("pod_annotations"))).contains(List.of("io.katacontainers.*"));
            assertThat(dump.get(rt.child("container_annotations")))
                    .contains(List.of("io.kubernetes.container.terminationMessage*"));
            assertThat(dump.get(rt.child("options").child("ConfigPath"))).contains(layout.configPath(shim));
        }
        if (spec.debug()) {
            assertThat(dump.get(KeyPath.of("debug", "level"))).contains("debug");
        }
    }

    /** Every leaf value of the user's file, as containerd read it (except the debug level DEBUG overrides). */
    static void assertUserSettingsIn(TomlDocument dump, TomlDocument input, DeploySpec spec) {
        Map<String, KeyPath> leaves = new TreeMap<>();
        for (String k : input.rootKeys()) {
            collect(KeyPath.of(k), input.get(KeyPath.of(k)).orElseThrow(), leaves);
        }
        assumeTrue(!leaves.isEmpty(), "the input has no settings");
        for (KeyPath k : leaves.values()) {
            if (spec.debug() && k.equals(KeyPath.of("debug", "level"))) {
                continue;
            }
            assertThat(dump.get(k)).as("%s as containerd read it", k).isEqualTo(input.get(k));
        }
    }

    private static void collect(KeyPath at, Object value, Map<String, KeyPath> out) {
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> collect(at.child(String.valueOf(k)), v, out));
        } else {
            out.put(at.toString(), at);
        }
    }
}
