package io.kdeploy.cri.crio;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.PerShim;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.ConfigPlan;
import io.kdeploy.core.plan.FileEdit;
import io.kdeploy.core.spi.Baselines;
import io.kdeploy.core.spi.NodeFiles;
import io.kdeploy.core.spi.PlanContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** A node's files as a value (node path to content), corpus loading, plan application and a simulated install record. */
final class TestNode {
    static final RuntimeInfo CRIO_1_31 = RuntimeInfo.parse("cri-o://1.31.1");

    private TestNode() {}

    /** {@code src/corpus/crio}. */
    static Path corpus() {
        String dir = System.getProperty("kdeploy.corpus");
        Path root = dir != null ? Path.of(dir) : Path.of("..", "src", "corpus").toAbsolutePath().normalize();
        return root.resolve("crio");
    }

    /** Every file under {@code src/corpus/crio/hosts/<host>}, keyed by node path. */
    static Map<String, Bytes> host(String host) {
        return tree(corpus().resolve("hosts").resolve(host));
    }

    /** Every file under a directory, keyed by {@code /}-rooted relative path; empty when the directory is missing. */
    static Map<String, Bytes> tree(Path root) {
        if (!Files.isDirectory(root)) {
            return Map.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            Map<String, Bytes> out = new TreeMap<>();
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put("/" + root.relativize(p).toString().replace('\\', '/'), Bytes.of(Files.readAllBytes(p)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Applies a plan like the applier would: each file must still have its {@code before} bytes. */
    static Map<String, Bytes> apply(Map<String, Bytes> node, ConfigPlan plan) {
        Map<String, Bytes> out = new TreeMap<>(node);
        for (FileEdit e : plan.edits()) {
            assertThat(Optional.ofNullable(out.get(e.path()))).as("before of %s", e.path())
                    .isEqualTo(Optional.ofNullable(e.before()));
            if (e.after() == null) {
                out.remove(e.path());
            } else {
                out.put(e.path(), e.after());
            }
        }
        return out;
    }

    /** The contents as text, for readable assertion failures. */
    static Map<String, String> text(Map<String, Bytes> node) {
        return node.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().asUtf8(), (a, b) -> a, TreeMap::new));
    }

    /** A context for planning on {@code node}. */
    static PlanContext context(Map<String, Bytes> node, DeploySpec spec, Baselines baselines, boolean force) {
        return new PlanContext(NodeFiles.of(node), spec, CRIO_1_31, baselines, force);
    }

    /** A spec with these shims and everything else at its default. */
    static DeploySpec spec(String... shims) {
        return DeploySpec.of(shims);
    }

    /** A spec with every field a CRI-O plan reads. */
    static DeploySpec spec(List<String> shims, String suffix, String prefix, boolean debug, Map<String, String> pullTypes,
            Map<String, String> snapshotters) {
        return new DeploySpec(shims, shims.get(0), suffix, prefix, debug, snapshotters, pullTypes, Set.of(), PerShim.NONE,
                PerShim.NONE, PerShim.NONE, suffix.isEmpty() ? "kata-deploy" : "kata-deploy-" + suffix, "");
    }

    /** Parses {@code a:x b:y} into a map. */
    static Map<String, String> pairs(String text) {
        return Arrays.stream(text.trim().split("\\s+"))
                .filter(s -> !s.isEmpty())
                .map(s -> s.split(":", 2))
                .collect(Collectors.toMap(p -> p[0], p -> p[1], (a, b) -> b, TreeMap::new));
    }

    /**
     * The install record core keeps, simulated: for every path an install changed, the bytes before the first install of
     * this instance ({@code null} content = the file did not exist).
     */
    static final class Record implements Baselines {
        private final Map<String, Optional<Bytes>> original;

        private Record(Map<String, Optional<Bytes>> original) {
            this.original = Map.copyOf(original);
        }

        /** No install yet. */
        static Record empty() {
            return new Record(Map.of());
        }

        /** This record plus the baselines of the files {@code plan} changes and the record does not know yet. */
        Record after(ConfigPlan plan) {
            Map<String, Optional<Bytes>> next = new HashMap<>(original);
            for (FileEdit e : plan.edits()) {
                if (!e.isNoop()) {
                    next.putIfAbsent(e.path(), Optional.ofNullable(e.baseline()));
                }
            }
            return new Record(next);
        }

        @Override
        public @Nullable Bytes baseline(String nodePath, NodeFiles files) {
            return original.containsKey(nodePath)
                    ? original.get(nodePath).orElse(null)
                    : files.read(nodePath).orElse(null);
        }

        @Override
        public Set<String> recordedPaths() {
            return original.keySet();
        }
    }
}
