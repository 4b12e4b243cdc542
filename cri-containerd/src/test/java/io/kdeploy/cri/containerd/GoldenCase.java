package io.kdeploy.cri.containerd;

import io.kdeploy.core.CustomRuntime;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.Flavour;
import io.kdeploy.core.KataExtras;
import io.kdeploy.core.PerShim;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.plan.Bytes;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One folder of {@code src/corpus/containerd}: {@code case.properties} (runtime version, optional flavour, shims, suffix,
 * debug, snapshotter mapping, expected restart unit), the host files before ({@code input/}) and after the install
 * ({@code expected/}), both trees of node paths, and where cleanup must not give back the input exactly, what it gives
 * ({@code reverted/}, e.g. without a dangling import an older install left).
 */
record GoldenCase(String name, Path dir, RuntimeInfo runtime, DeploySpec spec, @Nullable String restart,
        Map<String, Bytes> input, Map<String, Bytes> expected, Map<String, Bytes> reverted) {

    /** The corpus folder: Surefire/Failsafe pass it as {@code kdeploy.corpus}. */
    static Path corpus() {
        String prop = System.getProperty("kdeploy.corpus");
        Path base = prop != null ? Path.of(prop) : Path.of("..", "src", "corpus");
        return base.resolve("containerd");
    }

    /** Every case folder name, sorted. */
    static List<String> names() {
        try (Stream<Path> s = Files.list(corpus())) {
            return s.filter(p -> Files.isRegularFile(p.resolve("case.properties")))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GoldenCase load(String name) {
        Path dir = corpus().resolve(name);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve("case.properties"), StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RuntimeInfo parsed = RuntimeInfo.parse(p.getProperty("runtime"));
        String flavour = p.getProperty("flavour", "");
        RuntimeInfo runtime = flavour.isEmpty() ? parsed : new RuntimeInfo(Flavour.fromId(flavour), parsed.version());
        List<String> shims = Arrays.asList(p.getProperty("shims").trim().split("\\s+"));
        Map<String, String> snap = new TreeMap<>();
        for (String pair : p.getProperty("snapshotters", "").trim().split("\\s+")) {
            if (!pair.isEmpty()) {
                String[] kv = pair.split(":", 2);
                snap.put(kv[0], kv[1]);
            }
        }
        String suffix = p.getProperty("suffix", "");
        DeploySpec spec = new DeploySpec(shims, shims.get(0), suffix, p.getProperty("prefix", ""),
                Boolean.parseBoolean(p.getProperty("debug", "false")), snap, Map.of(), Set.of(), PerShim.NONE, PerShim.NONE,
                PerShim.NONE, suffix.isEmpty() ? "kata-deploy" : "kata-deploy-" + suffix, "", extras(p, dir));
        String restart = p.getProperty("restart", "");
        Map<String, Bytes> input = readTree(dir.resolve("input"));
        return new GoldenCase(name, dir, runtime, spec, restart.isEmpty() ? null : restart, input,
                readTree(dir.resolve("expected")),
                Files.isDirectory(dir.resolve("reverted")) ? readTree(dir.resolve("reverted")) : input);
    }

    /**
     * The case's {@link KataExtras}: {@code devkit}, {@code user_drop_in} (a file of the case folder, read as the spec
     * loader reads {@code CONTAINERD_USER_DROP_IN_SOURCE_FILE}), {@code config_file_name}, {@code k8s_distribution},
     * {@code setup} (comma list), {@code erofs_merge}, {@code erofs_mode}, {@code erofs_dmverity}, {@code custom}
     * ({@code custom-runtimes.list} lines separated by spaces).
     */
    private static KataExtras extras(Properties p, Path dir) {
        String dropIn = p.getProperty("user_drop_in", "");
        String dropInText = "";
        if (!dropIn.isEmpty()) {
            try {
                dropInText = Files.readString(dir.resolve(dropIn), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Set<String> setup = new TreeSet<>();
        for (String s : p.getProperty("setup", "").split(",")) {
            if (!s.isBlank()) {
                setup.add(s.trim());
            }
        }
        List<CustomRuntime> custom = new ArrayList<>();
        for (String line : p.getProperty("custom", "").trim().split("\\s+")) {
            if (!line.isEmpty()) {
                String[] f = line.split(":", -1);
                custom.add(new CustomRuntime(f[0], f[1], f[2], f[3], ""));
            }
        }
        return new KataExtras(Boolean.parseBoolean(p.getProperty("devkit", "false")),
                dropIn.isEmpty() ? "" : "/custom-containerd-config/" + dropIn, dropInText,
                p.getProperty("config_file_name", "config.toml"), p.getProperty("k8s_distribution", ""), 8090, setup,
                new KataExtras.Erofs(!"unmerged".equals(p.getProperty("erofs_merge", "merged")),
                        "memory".equals(p.getProperty("erofs_mode", "disk")),
                        Boolean.parseBoolean(p.getProperty("erofs_dmverity", "false"))), custom);
    }

    /** The files under a tree as node path to bytes; dot files ({@code .keep}) are not node files. */
    static Map<String, Bytes> readTree(Path root) {
        Map<String, Bytes> out = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                if (!f.getFileName().toString().startsWith(".")) {
                    out.put("/" + root.relativize(f).toString().replace('\\', '/'), Bytes.of(Files.readAllBytes(f)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Replaces {@code expected/} with these files (only with {@code -Dgolden.update=true}). */
    void writeExpected(Map<String, Bytes> files) {
        Path root = dir.resolve("expected");
        try {
            if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.walk(root)) {
                    for (Path f : s.sorted((a, b) -> b.compareTo(a)).toList()) {
                        Files.delete(f);
                    }
                }
            }
            for (Map.Entry<String, Bytes> e : files.entrySet()) {
                Path f = root.resolve(e.getKey().substring(1));
                Files.createDirectories(f.getParent());
                Files.write(f, e.getValue().toArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
