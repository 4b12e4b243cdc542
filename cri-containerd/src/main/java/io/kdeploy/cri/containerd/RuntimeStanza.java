package io.kdeploy.cri.containerd;

import io.kdeploy.core.CustomRuntime;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.KataLayout;
import io.kdeploy.core.toml.KeyPath;
import io.kdeploy.core.toml.TomlEdit;
import io.kdeploy.core.toml.TomlEdit.SetValue;
import io.kdeploy.core.toml.TomlValues;
import java.util.ArrayList;
import java.util.List;

/**
 * The TOML edits that register a spec's handlers, exactly as kata-deploy writes them (DESIGN.md §4, reference §3.1/§3.2):
 * per handler {@code runtime_type}, {@code runtime_path}, {@code privileged_without_host_devices}, {@code pod_annotations},
 * {@code container_annotations}, an optional {@code snapshotter} and {@code options.ConfigPath}; for schema 3 the CRI images
 * plugin's {@code runtime_platforms.<handler>.snapshotter}; {@code [debug] level = "debug"} when DEBUG; and the nydus proxy
 * snapshotter when a shim is mapped to {@code nydus}. With {@code DEBUG} every shim also gets its {@code -debug} (and with
 * {@code DEVKIT} its {@code -devkit}) variant handler.
 */
final class RuntimeStanza {
    /** The CRI plugin id of schema 2 configs (containerd 1.x). */
    static final String CRI_V2 = "io.containerd.grpc.v1.cri";
    /** The CRI runtime plugin id of schema 3+ configs (containerd 2.x). */
    static final String CRI_V3_RUNTIME = "io.containerd.cri.v1.runtime";
    /** The CRI images plugin id of schema 3+ configs. */
    static final String CRI_V3_IMAGES = "io.containerd.cri.v1.images";
    /** The CRI plugin id of schema 1 configs (no {@code version} key). */
    static final String CRI_V1 = "cri";

    static final String POD_ANNOTATIONS = TomlValues.stringArray(List.of("io.katacontainers.*"));
    static final String CONTAINER_ANNOTATIONS =
            TomlValues.stringArray(List.of("io.kubernetes.container.terminationMessage*"));

    private RuntimeStanza() {}

    /** The CRI plugin id for a config schema version: 3 and above, 2, else the legacy {@code cri}. */
    static String pluginId(int schema) {
        return schema >= 3 ? CRI_V3_RUNTIME : schema == 2 ? CRI_V2 : CRI_V1;
    }

    /** {@code plugins.<cri>.containerd}. */
    static KeyPath containerdTable(int schema) {
        return KeyPath.of("plugins", pluginId(schema), "containerd");
    }

    /** {@code plugins.<cri>.containerd.runtimes}. */
    static KeyPath runtimesTable(int schema) {
        return containerdTable(schema).child("runtimes");
    }

    /**
     * Every edit for the spec's handlers in a file of the given schema, in the order they are applied.
     *
     * @throws InvalidSpecException when a snapshotter is mapped and the schema has no per-handler snapshotter
     */
    static List<TomlEdit> edits(DeploySpec spec, int schema) {
        KataLayout layout = new KataLayout(spec);
        List<TomlEdit> out = new ArrayList<>();
        boolean nydus = false;
        List<Registration> all = registrations(spec);
        for (Registration r : all) {
            String handler = r.handler();
            String shim = r.shim();
            KeyPath rt = runtimesTable(schema).child(handler);
            out.add(new SetValue(rt.child("runtime_type"), TomlValues.string("io.containerd." + handler + ".v2")));
            out.add(new SetValue(rt.child("runtime_path"), TomlValues.string(layout.shimBinary(shim))));
            out.add(new SetValue(rt.child("privileged_without_host_devices"), "true"));
            out.add(new SetValue(rt.child("pod_annotations"), POD_ANNOTATIONS));
            out.add(new SetValue(rt.child("container_annotations"), CONTAINER_ANNOTATIONS));
            String snapshotter = r.snapshotter();
            if (!snapshotter.isEmpty()) {
                if (schema < 2) {
                    throw new InvalidSpecException("Handler '" + handler + "' uses snapshotter '" + snapshotter + "' (from"
                            + " SNAPSHOTTER_HANDLER_MAPPING or custom-runtimes.list), but the containerd config has no"
                            + " 'version' (schema 1), which has no per-handler snapshotter. Add 'version = 2' to the config or"
                            + " remove the mapping.");
                }
                out.add(new SetValue(rt.child("snapshotter"), TomlValues.string(snapshotter)));
                nydus |= snapshotter.equals("nydus-for-kata-tee" + spec.dashSuffix());
            }
            out.add(new SetValue(rt.child("options").child("ConfigPath"), TomlValues.string(r.configPath())));
        }
        if (schema >= 3) {
            KeyPath images = KeyPath.of("plugins", CRI_V3_IMAGES);
            if (nydus) {
                out.add(new SetValue(images.child("disable_snapshot_annotations"), "false"));
            }
            for (Registration r : all) {
                String snapshotter = r.snapshotter();
                if (!snapshotter.isEmpty()) {
                    out.add(new SetValue(images.child("runtime_platforms").child(r.handler()).child("snapshotter"),
                            TomlValues.string(snapshotter)));
                }
            }
        } else if (nydus) {
            out.add(new SetValue(containerdTable(schema).child("disable_snapshot_annotations"), "false"));
        }
        if (spec.debug()) {
            out.add(new SetValue(KeyPath.of("debug", "level"), TomlValues.string("debug")));
        }
        if (nydus) {
            String name = "nydus-for-kata-tee" + spec.dashSuffix();
            KeyPath proxy = KeyPath.of("proxy_plugins", name);
            out.add(new SetValue(proxy.child("type"), TomlValues.string("snapshot")));
            out.add(new SetValue(proxy.child("address"), TomlValues.string("/run/" + name + "/containerd-nydus-grpc.sock")));
            out.add(new SetValue(proxy.child("exports").child("root"), TomlValues.string("/var/lib/" + name)));
        }
        out.addAll(Erofs.edits(spec, schema));
        return List.copyOf(out);
    }

    /**
     * Every handler to register, in {@link DeploySpec#handlers} order: each shim's, then each shim's variants (which inherit
     * the shim's binary and snapshotter and point at their own configuration copy), then the custom runtimes (the base
     * shim's binary, their own configuration copy and snapshotter).
     */
    static List<Registration> registrations(DeploySpec spec) {
        KataLayout layout = new KataLayout(spec);
        List<Registration> out = new ArrayList<>();
        for (String shim : spec.shims()) {
            out.add(new Registration(spec.handler(shim), shim, layout.configPath(shim), spec.snapshotterFor(shim)));
        }
        for (String variant : spec.variants()) {
            for (String shim : spec.shims()) {
                out.add(new Registration(spec.variantHandler(shim, variant), shim, layout.variantConfigPath(shim, variant),
                        spec.snapshotterFor(shim)));
            }
        }
        for (CustomRuntime r : spec.extras().customRuntimes()) {
            out.add(new Registration(r.handler(), r.baseShim(), layout.customConfigPath(r),
                    spec.snapshotterName(r.snapshotter())));
        }
        return List.copyOf(out);
    }

    /** One handler: its name, the shim whose binary it runs, its Kata configuration (node path) and snapshotter. */
    record Registration(String handler, String shim, String configPath, String snapshotter) {}
}
