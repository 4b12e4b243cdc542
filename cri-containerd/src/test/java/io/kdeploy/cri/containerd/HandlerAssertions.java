package io.kdeploy.cri.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.KataLayout;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.toml.KeyPath;
import io.kdeploy.core.toml.TomlDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Checks installed files key by key, independently of how they are spelled. */
final class HandlerAssertions {
    private HandlerAssertions() {}

    /**
     * Every handler of the spec is registered exactly once among the files that changed, with kata-deploy's stanza under the
     * plugin id of that file's schema; DEBUG and nydus land in the same file.
     */
    static void assertRegistered(Map<String, Bytes> before, Map<String, Bytes> after, DeploySpec spec) {
        assertRegistered(before, after, spec, true);
    }

    /** As {@link #assertRegistered(Map, Map, DeploySpec)}; {@code sharedKeys} false skips the debug level and nydus keys. */
    static void assertRegistered(Map<String, Bytes> before, Map<String, Bytes> after, DeploySpec spec, boolean sharedKeys) {
        KataLayout layout = new KataLayout(spec);
        Map<String, TomlDocument> changed = new TreeMap<>();
        after.forEach((path, bytes) -> {
            if (!bytes.equals(before.get(path)) && path.endsWith(".toml")) {
                changed.put(path, TomlDocument.parse(path, bytes));
            }
        });
        List<String> holders = new ArrayList<>();
        List<String[]> wanted = new ArrayList<>();
        for (String shim : spec.shims()) {
            wanted.add(new String[] {spec.handler(shim), shim, layout.configPath(shim)});
        }
        if (spec.debug()) {
            List<String> variants = spec.extras().devkit() ? List.of("debug", "devkit") : List.of("debug");
            for (String variant : variants) {
                for (String shim : spec.shims()) {
                    wanted.add(new String[] {"kata-" + shim + spec.dashSuffix() + "-" + variant, shim,
                            layout.dest() + "/share/defaults/kata-containers/custom-runtimes/kata-" + shim
                                    + spec.dashSuffix() + "-" + variant + "/configuration-" + shim + ".toml"});
                }
            }
        }
        for (io.kdeploy.core.CustomRuntime r : spec.extras().customRuntimes()) {
            wanted.add(new String[] {r.handler(), r.baseShim(), layout.dest()
                    + "/share/defaults/kata-containers/custom-runtimes/" + r.handler() + "/configuration-" + r.baseShim()
                    + ".toml", r.snapshotter().equals("nydus") ? "nydus-for-kata-tee" + spec.dashSuffix() : r.snapshotter()});
        }
        assertThat(spec.handlers()).as("the spec's handler list names every variant")
                .containsExactlyElementsOf(wanted.stream().map(w -> w[0]).toList());
        for (String[] w : wanted) {
            String handler = w[0];
            String shim = w[1];
            List<String> found = new ArrayList<>();
            for (Map.Entry<String, TomlDocument> e : changed.entrySet()) {
                TomlDocument doc = e.getValue();
                int schema = ConfigVersion.of(doc).schema();
                KeyPath rt = RuntimeStanza.runtimesTable(schema).child(handler);
                if (!doc.has(rt)) {
                    continue;
                }
                found.add(e.getKey());
                assertThat(doc.get(rt.child("runtime_type"))).contains("io.containerd." + handler + ".v2");
                assertThat(doc.get(rt.child("runtime_path"))).contains(layout.shimBinary(shim));
                assertThat(doc.get(rt.child("privileged_without_host_devices"))).contains(true);
                assertThat(doc.get(rt.child("pod_annotations"))).contains(List.of("io.katacontainers.*"));
                assertThat(doc.get(rt.child("container_annotations")))
                        .contains(List.of("io.kubernetes.container.terminationMessage*"));
                assertThat(doc.get(rt.child("options").child("ConfigPath"))).contains(w[2]);
                String snap = w.length > 3 ? w[3] : spec.snapshotterFor(shim);
                if (snap.isEmpty()) {
                    assertThat(doc.has(rt.child("snapshotter"))).isFalse();
                } else {
                    assertThat(doc.get(rt.child("snapshotter"))).contains(snap);
                    if (schema >= 3) {
                        assertThat(doc.get(KeyPath.of("plugins", RuntimeStanza.CRI_V3_IMAGES, "runtime_platforms", handler,
                                "snapshotter"))).contains(snap);
                    }
                }
                if (sharedKeys && spec.debug()) {
                    assertThat(doc.get(KeyPath.of("debug", "level"))).contains("debug");
                }
                if (sharedKeys && (spec.snapshotterMapping().containsValue("nydus")
                        || spec.extras().customRuntimes().stream().anyMatch(r -> r.snapshotter().equals("nydus")))) {
                    String name = "nydus-for-kata-tee" + spec.dashSuffix();
                    assertThat(doc.get(KeyPath.of("proxy_plugins", name, "type"))).contains("snapshot");
                    assertThat(doc.get(KeyPath.of("proxy_plugins", name, "address")))
                            .contains("/run/" + name + "/containerd-nydus-grpc.sock");
                    assertThat(doc.get(KeyPath.of("proxy_plugins", name, "exports", "root"))).contains("/var/lib/" + name);
                    KeyPath dsa = schema >= 3
                            ? KeyPath.of("plugins", RuntimeStanza.CRI_V3_IMAGES, "disable_snapshot_annotations")
                            : RuntimeStanza.containerdTable(schema).child("disable_snapshot_annotations");
                    assertThat(doc.get(dsa)).contains(false);
                }
            }
            assertThat(found).as("files registering %s", handler).hasSize(1);
            holders.addAll(found);
        }
        assertThat(holders.stream().distinct()).as("all handlers in one file").hasSize(1);
    }

    /**
     * Every value the user had in each file that existed before is still there with the same value, except the keys the
     * install is meant to change ({@code debug.level} with DEBUG, root {@code imports}).
     */
    static void assertUserSettingsKept(Map<String, Bytes> before, Map<String, Bytes> after, DeploySpec spec) {
        for (Map.Entry<String, Bytes> e : before.entrySet()) {
            if (!e.getKey().endsWith(".toml") || !after.containsKey(e.getKey())) {
                continue;
            }
            TomlDocument in = TomlDocument.parse(e.getKey(), e.getValue());
            TomlDocument out = TomlDocument.parse(e.getKey(), after.get(e.getKey()));
            Map<KeyPath, Object> leaves = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
            collect(null, rootOf(in), leaves);
            for (Map.Entry<KeyPath, Object> leaf : leaves.entrySet()) {
                KeyPath k = leaf.getKey();
                if (k.equals(ConfigVersion.IMPORTS) || (spec.debug() && k.equals(KeyPath.of("debug", "level")))) {
                    continue;
                }
                assertThat(out.get(k)).as("%s in %s", k, e.getKey()).contains(leaf.getValue());
            }
        }
    }

    private static Map<?, ?> rootOf(TomlDocument doc) {
        Map<String, Object> root = new TreeMap<>();
        for (String k : doc.rootKeys()) {
            root.put(k, doc.get(KeyPath.of(k)).orElseThrow());
        }
        return root;
    }

    private static void collect(@Nullable KeyPath prefix, Map<?, ?> table, Map<KeyPath, Object> out) {
        for (Map.Entry<?, ?> e : table.entrySet()) {
            KeyPath k = prefix == null ? KeyPath.of(Objects.toString(e.getKey())) : prefix.child(Objects.toString(e.getKey()));
            if (e.getValue() instanceof Map<?, ?> sub) {
                collect(k, sub, out);
            } else {
                out.put(k, e.getValue());
            }
        }
    }
}
