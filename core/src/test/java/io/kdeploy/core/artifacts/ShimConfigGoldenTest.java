package io.kdeploy.core.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.KataExtras;
import io.kdeploy.core.KataLayout;
import io.kdeploy.core.PerShim;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

/**
 * Golden cases for the per-shim Kata configuration: {@code src/corpus/kata-config/<case>/} holds {@code case.properties}
 * (the spec), {@code input.toml} (the shipped base configuration) and {@code expected/config.d/*.toml}.
 * {@code -Dgolden.update=true} rewrites the expected files (and writes a missing {@code input.toml} from the fixture).
 */
class ShimConfigGoldenTest {
    private static final Path CORPUS = Path.of(System.getProperty("kdeploy.corpus", "../src/corpus"), "kata-config");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    static Stream<String> cases() throws IOException {
        try (Stream<Path> s = Files.list(CORPUS)) {
            List<String> names = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names).isNotEmpty();
            return names.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void rendersTheExpectedDropIns(String name) throws IOException {
        Path dir = CORPUS.resolve(name);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve("case.properties"))) {
            p.load(r);
        }
        String shim = p.getProperty("shim");
        Path inputFile = dir.resolve("input.toml");
        if (UPDATE && !Files.exists(inputFile)) {
            Files.writeString(inputFile, KataLayout.isRustShim(shim) ? BundleBuilder.QEMU_RS_CONFIG
                    : BundleBuilder.QEMU_CONFIG);
        }
        String input = Files.readString(inputFile);
        DeploySpec spec = new DeploySpec(List.of(shim), shim, p.getProperty("suffix", ""), p.getProperty("prefix", ""),
                Boolean.parseBoolean(p.getProperty("debug", "false")), Map.of(), Map.of(),
                Set.of(p.getProperty("force_guest_pull", "").split(",")).stream().filter(s -> !s.isEmpty())
                        .collect(java.util.stream.Collectors.toSet()),
                perShim(p, "annotations"), perShim(p, "https_proxy"), perShim(p, "no_proxy"), "kata-deploy", "",
                KataExtras.NONE.withDevkit(Boolean.parseBoolean(p.getProperty("devkit", "false"))));
        KataLayout layout = new KataLayout(spec);
        String variant = p.getProperty("variant", "");

        ShimConfig config = render(layout, shim, variant, input);

        Map<String, String> dropIns = new TreeMap<>(config.files());
        assertThat(dropIns.remove("configuration-" + shim + ".toml")).isEqualTo(ShimConfig.BANNER + input);
        Path expectedDir = dir.resolve("expected");
        if (UPDATE) {
            if (Files.isDirectory(expectedDir)) {
                try (Stream<Path> s = Files.walk(expectedDir)) {
                    for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
            Files.createDirectories(expectedDir);
            for (Map.Entry<String, String> e : dropIns.entrySet()) {
                Path f = expectedDir.resolve(e.getKey());
                Files.createDirectories(f.getParent());
                Files.writeString(f, e.getValue());
            }
            Files.writeString(expectedDir.resolve("FILES"), String.join("\n", dropIns.keySet()) + "\n");
        }
        Map<String, String> expected = new TreeMap<>();
        for (String f : Files.readAllLines(expectedDir.resolve("FILES"))) {
            if (!f.isBlank()) {
                expected.put(f, Files.readString(expectedDir.resolve(f)));
            }
        }
        assertThat(dropIns).isEqualTo(expected);
        String configPath = variant.isEmpty() ? layout.configPath(shim) : layout.variantConfigPath(shim, variant);
        assertThat(config.runtimeDir() + "/configuration-" + shim + ".toml")
                .isEqualTo(configPath.substring(layout.dest().length() + 1));
        if (!variant.isEmpty()) {
            assertThat(spec.variants()).as("the case's spec has the variant").contains(variant);
            assertThat(dropIns).as("guest debug only in variants").containsKey("config.d/20-debug.toml");
            assertThat(ShimConfig.render(layout, shim, input).files()).as("the shim itself never gets guest debug")
                    .doesNotContainKey("config.d/20-debug.toml").doesNotContainKey("config.d/25-devkit.toml");
        }
        for (Map.Entry<String, String> e : dropIns.entrySet()) {
            TomlParseResult parsed = Toml.parse(e.getValue());
            assertThat(parsed.errors()).as(e.getKey()).isEmpty();
        }
        assertThat(render(layout, shim, variant, ShimConfig.BANNER + input)).as("idempotent on the copied base")
                .isEqualTo(config);
    }

    private static ShimConfig render(KataLayout layout, String shim, String variant, String input) {
        return variant.isEmpty() ? ShimConfig.render(layout, shim, input)
                : ShimConfig.renderVariant(layout, shim, variant, input);
    }

    private static PerShim perShim(Properties p, String key) {
        Map<String, String> per = new TreeMap<>();
        for (String k : p.stringPropertyNames()) {
            if (k.startsWith(key + ".")) {
                per.put(k.substring(key.length() + 1), p.getProperty(k));
            }
        }
        return new PerShim(p.getProperty(key, ""), per);
    }
}
