package io.kdeploy.cri.crio;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.KataLayout;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.ConfigPlan;
import io.kdeploy.core.plan.FileEdit;
import io.kdeploy.core.spi.NodeFiles;
import io.kdeploy.core.spi.PlanContext;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * The golden cases of {@code src/corpus/crio/cases/<case>}: {@code case.properties} names a host of
 * {@code src/corpus/crio/hosts} and the spec; {@code expected/} holds every file the install writes, {@code warnings.txt}
 * the warnings, one per line. Each case also checks that every output means what the spec asks (parsed back with tomlj,
 * key by key), that installing again plans nothing, and that the revert gives back the host byte for byte.
 * {@code -Dgolden.update=true} rewrites the expected files.
 */
class CrioGoldenTest {
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");
    private final CrioConfigurator crio = new CrioConfigurator();

    static Stream<String> cases() throws IOException {
        try (Stream<Path> s = Files.list(TestNode.corpus().resolve("cases"))) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void installWritesTheExpectedFilesAndRevertsExactly(String name) throws IOException {
        Path dir = TestNode.corpus().resolve("cases").resolve(name);
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(dir.resolve("case.properties"))));
        DeploySpec spec = TestNode.spec(
                List.of(p.getProperty("shims").trim().split("\\s+")),
                p.getProperty("suffix", ""),
                p.getProperty("prefix", ""),
                Boolean.parseBoolean(p.getProperty("debug", "false")),
                TestNode.pairs(p.getProperty("pullTypes", "")),
                TestNode.pairs(p.getProperty("snapshotters", "")));
        RuntimeInfo runtime = RuntimeInfo.parse(p.getProperty("runtime", "cri-o://1.31.1"));
        boolean force = Boolean.parseBoolean(p.getProperty("force", "false"));
        Map<String, Bytes> host = TestNode.host(p.getProperty("host"));

        ConfigPlan plan = crio.plan(new PlanContext(NodeFiles.of(host), spec, runtime, TestNode.Record.empty(), force));
        Map<String, Bytes> written = new TreeMap<>();
        for (FileEdit e : plan.edits()) {
            assertThat(e.after()).as("an install only writes files: %s", e.path()).isNotNull();
            written.put(e.path(), e.after());
        }
        if (UPDATE) {
            update(dir, written, plan.warnings());
        }
        assertThat(TestNode.text(written)).isEqualTo(TestNode.text(TestNode.tree(dir.resolve("expected"))));
        Path warningsFile = dir.resolve("warnings.txt");
        List<String> expectedWarnings = Files.exists(warningsFile)
                ? Files.readAllLines(warningsFile).stream().filter(l -> !l.isBlank()).toList()
                : List.of();
        assertThat(plan.warnings()).containsExactlyElementsOf(expectedWarnings);
        assertThat(plan.restartUnit()).isEqualTo("crio");
        assertThat(plan.handlers()).isEqualTo(spec.handlers());
        written.forEach((path, bytes) -> meansTheSpec(spec, path, bytes.asUtf8()));

        Map<String, Bytes> installed = TestNode.apply(host, plan);
        TestNode.Record record = TestNode.Record.empty().after(plan);
        ConfigPlan again = crio.plan(new PlanContext(NodeFiles.of(installed), spec, runtime, record, force));
        assertThat(again.isEmpty()).as("re-install plans nothing").isTrue();
        assertThat(again.edits()).isEmpty();
        assertThat(again.restartUnit()).isNull();

        ConfigPlan revert = crio.planRevert(new PlanContext(NodeFiles.of(installed), spec, runtime, record, force));
        assertThat(revert.restartUnit()).isEqualTo("crio");
        assertThat(TestNode.text(TestNode.apply(installed, revert))).isEqualTo(TestNode.text(host));
        assertThat(TestNode.apply(installed, revert)).isEqualTo(host);
    }

    /** Parses an output back with tomlj and checks every key against the spec, and that there is nothing else. */
    static void meansTheSpec(DeploySpec spec, String path, String text) {
        TomlParseResult toml = Toml.parse(text);
        assertThat(toml.errors()).as(path).isEmpty();
        if (path.equals(CrioFiles.inDropInDir(CrioFiles.debugDropInName(spec)))) {
            assertThat(toml.dottedKeySet()).containsExactly("crio.runtime.log_level");
            assertThat(toml.getString("crio.runtime.log_level")).isEqualTo("debug");
            return;
        }
        assertThat(path).isEqualTo(CrioFiles.inDropInDir(CrioFiles.dropInName(spec)));
        KataLayout layout = new KataLayout(spec);
        List<String> keys = new ArrayList<>(List.of("crio.storage_option"));
        assertThat(toml.getArray("crio.storage_option").toList()).containsExactly("overlay.skip_mount_home=true");
        TomlTable runtimes = toml.getTable(List.of("crio", "runtime", "runtimes"));
        assertThat(runtimes.keySet()).containsExactlyInAnyOrderElementsOf(spec.handlers());
        Map<String, String[]> expected = new TreeMap<>();
        for (String shim : spec.shims()) {
            expected.put(spec.handler(shim), new String[] {shim, layout.configPath(shim)});
            for (String variant : spec.variants()) {
                expected.put(spec.variantHandler(shim, variant), new String[] {shim, layout.variantConfigPath(shim, variant)});
            }
        }
        for (Map.Entry<String, String[]> e : expected.entrySet()) {
            String h = e.getKey();
            String shim = e.getValue()[0];
            TomlTable t = runtimes.getTable(List.of(h));
            assertThat(t.getString("runtime_path")).as(h).isEqualTo(layout.shimBinary(shim));
            assertThat(t.getString("runtime_type")).as(h).isEqualTo("vm");
            assertThat(t.getString("runtime_root")).as(h).isEqualTo("/run/vc");
            assertThat(t.getString("runtime_config_path")).as(h).isEqualTo(e.getValue()[1]);
            assertThat(t.getBoolean("privileged_without_host_devices")).as(h).isTrue();
            List<String> fields = new ArrayList<>(List.of("runtime_path", "runtime_type", "runtime_root",
                    "runtime_config_path", "privileged_without_host_devices"));
            if (spec.guestPull(shim)) {
                assertThat(t.getBoolean("runtime_pull_image")).as(h).isTrue();
                fields.add("runtime_pull_image");
            }
            fields.forEach(f -> keys.add("crio.runtime.runtimes." + h + "." + f));
        }
        assertThat(toml.dottedKeySet()).containsExactlyInAnyOrderElementsOf(keys);
    }

    private static void update(Path dir, Map<String, Bytes> written, List<String> warnings) throws IOException {
        Path expected = dir.resolve("expected");
        if (Files.exists(expected)) {
            try (Stream<Path> s = Files.walk(expected)) {
                for (Path f : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                    Files.delete(f);
                }
            }
        }
        for (Map.Entry<String, Bytes> e : written.entrySet()) {
            Path f = expected.resolve(e.getKey().substring(1));
            Files.createDirectories(f.getParent());
            Files.write(f, e.getValue().toArray());
        }
        Path w = dir.resolve("warnings.txt");
        if (warnings.isEmpty()) {
            Files.deleteIfExists(w);
        } else {
            Files.writeString(w, String.join("\n", warnings) + "\n", StandardCharsets.UTF_8);
        }
    }
}
