package io.kdeploy.cri.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.toml.KeyPath;
import io.kdeploy.core.toml.TomlDocument;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two installs ({@code a} and {@code b}) on one node, in both orders, cleaned up in both orders: the other install stays
 * registered and valid, and once both are gone the node is byte for byte what it was.
 */
class MultiInstallTest {
    private final ContainerdConfigurator configurator = new ContainerdConfigurator();

    static List<String> cases() {
        return GoldenCase.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void twoInstallsInAnyOrderLeaveEachOtherIntact(String name) {
        GoldenCase c = GoldenCase.load(name);
        DeploySpec a = instance(c.spec(), "a");
        DeploySpec b = instance(c.spec(), "b");
        for (boolean aFirst : new boolean[] {true, false}) {
            for (boolean revertAFirst : new boolean[] {true, false}) {
                TestNode node = new TestNode(c.input());
                DeploySpec first = aFirst ? a : b;
                DeploySpec second = aFirst ? b : a;
                node.install(configurator, first, c.runtime());
                Map<String, Bytes> afterFirst = node.files();
                node.install(configurator, second, c.runtime());
                HandlerAssertions.assertRegistered(afterFirst, node.files(), second);
                assertAllParse(node.files());

                DeploySpec gone = revertAFirst ? a : b;
                DeploySpec kept = revertAFirst ? b : a;
                node.revert(configurator, gone, c.runtime());
                assertAllParse(node.files());
                boolean lifo = gone == second;
                HandlerAssertions.assertRegistered(c.input(), node.files(), kept, lifo);
                if (lifo) {
                    assertThat(node.install(configurator, kept, c.runtime()).isEmpty())
                            .as("%s still fully installed after cleanup of %s", kept.suffix(), gone.suffix()).isTrue();
                }
                for (String h : gone.handlers()) {
                    assertThat(node.files().values()).noneMatch(bytes -> bytes.asUtf8().contains("runtimes." + h + "]"));
                }

                node.revert(configurator, kept, c.runtime());
                if (lifo) {
                    assertThat(node.files()).as("installed first, cleaned up last").isEqualTo(c.input());
                } else {
                    assertOnlySharedRemnants(c.input(), node.files());
                }
            }
        }
    }

    /**
     * When the install that created a shared setting is cleaned up first, the setting stays for the other install and
     * outlives it: an empty {@code imports} array, containerd 1.x's explicit {@code runc} runtime, and
     * {@code disable_snapshot_annotations = false}; a main file the first install created stays with just its
     * {@code version} and those. Everything else must be the input exactly, and no handler may be left.
     */
    private static void assertOnlySharedRemnants(Map<String, Bytes> input, Map<String, Bytes> result) {
        for (Map.Entry<String, Bytes> e : result.entrySet()) {
            String path = e.getKey();
            if (e.getValue().equals(input.get(path))) {
                continue;
            }
            assertThat(e.getValue().asUtf8()).as(path).doesNotContain("kata");
            Map<String, Object> got = model(TomlDocument.parse(path, e.getValue()));
            Map<String, Object> want = input.containsKey(path)
                    ? model(TomlDocument.parse(path, input.get(path)))
                    : new TreeMap<>(Map.of("version", got.getOrDefault("version", 0L)));
            if (List.of().equals(got.get("imports")) && !want.containsKey("imports")) {
                got.remove("imports");
            }
            for (String cri : List.of(RuntimeStanza.CRI_V2)) {
                Map<String, Object> ctd = table(got, "plugins", cri, "containerd");
                Map<String, Object> wantCtd = table(want, "plugins", cri, "containerd");
                if (ctd != null && Boolean.FALSE.equals(ctd.get("disable_snapshot_annotations"))
                        && (wantCtd == null || !wantCtd.containsKey("disable_snapshot_annotations"))) {
                    ctd.remove("disable_snapshot_annotations");
                }
                Map<String, Object> runtimes = table(got, "plugins", cri, "containerd", "runtimes");
                Map<String, Object> wantRuntimes = table(want, "plugins", cri, "containerd", "runtimes");
                if (runtimes != null && (wantRuntimes == null || !wantRuntimes.containsKey("runc"))
                        && Map.of("runtime_type", "io.containerd.runc.v2").equals(runtimes.get("runc"))) {
                    runtimes.remove("runc");
                }
            }
            prune(got);
            prune(want);
            assertThat(got).as("%s apart from the shared remnants", path).isEqualTo(want);
        }
        assertThat(input.keySet()).allMatch(result::containsKey);
    }

    @SuppressWarnings("unchecked")
    private static @Nullable Map<String, Object> table(Map<String, Object> root, String... path) {
        Map<String, Object> t = root;
        for (String seg : path) {
            Object next = t.get(seg);
            if (!(next instanceof Map)) {
                return null;
            }
            t = (Map<String, Object>) next;
        }
        return t;
    }

    private static Map<String, Object> model(TomlDocument doc) {
        Map<String, Object> out = new TreeMap<>();
        for (String k : doc.rootKeys()) {
            out.put(k, mutable(doc.get(KeyPath.of(k)).orElseThrow()));
        }
        return out;
    }

    private static Object mutable(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), mutable(x)));
            return out;
        }
        return v;
    }

    /** Drops tables left empty (a removed key's implicit parents). */
    private static boolean prune(Map<String, Object> t) {
        t.values().removeIf(v -> v instanceof Map<?, ?> && prune(cast(v)));
        return t.isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object v) {
        return (Map<String, Object>) v;
    }

    private static void assertAllParse(Map<String, Bytes> files) {
        files.forEach((path, bytes) -> {
            if (path.endsWith(".toml")) {
                TomlDocument.parse(path, bytes);
            }
        });
    }

    /**
     * The case's spec as install {@code suffix}. Custom runtime handlers are named by the user, not suffixed by kdeploy, so
     * two installs on one node must name theirs differently; here each gets its suffix appended.
     */
    private static DeploySpec instance(DeploySpec spec, String suffix) {
        DeploySpec s = spec.withSuffix(suffix);
        return s.withExtras(s.extras().withCustomRuntimes(s.extras().customRuntimes().stream()
                .map(r -> new io.kdeploy.core.CustomRuntime(r.handler() + "-" + suffix, r.baseShim(), r.snapshotter(),
                        r.pullType(), r.dropIn()))
                .toList()));
    }
}
