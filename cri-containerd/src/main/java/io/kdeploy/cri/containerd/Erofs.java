package io.kdeploy.cri.containerd;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.KataExtras;
import io.kdeploy.core.KataLayout;
import io.kdeploy.core.Version;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.spi.NodeFiles;
import io.kdeploy.core.toml.KeyPath;
import io.kdeploy.core.toml.TomlEdit;
import io.kdeploy.core.toml.TomlEdit.SetValue;
import io.kdeploy.core.toml.TomlValues;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The erofs snapshotter ({@code erofs} in {@code EXPERIMENTAL_SETUP_SNAPSHOTTER}): containerd's built-in erofs snapshotter
 * and differ configured as kata-deploy does (reference §3.3, always the schema 3 plugin names), after checking the host:
 * containerd 2.2 or newer, erofs in the kernel, dm-verity modules when {@code EROFS_DMVERITY} is on, a host
 * {@code mkfs.erofs} that knows {@code --mkfs-time} and {@code --sort}, and no Go shim mapped to erofs in merged mode.
 */
final class Erofs {
    /** Where kata-deploy looks for the host's {@code mkfs.erofs}, as node paths. */
    static final List<String> MKFS_DIRS = List.of("/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin", "/bin", "/sbin");

    private static final KeyPath SNAPSHOTTER = KeyPath.of("plugins", "io.containerd.snapshotter.v1.erofs");
    private static final KeyPath DIFFER = KeyPath.of("plugins", "io.containerd.differ.v1.erofs");
    private static final long MAX_CONFIG_BYTES = 16L << 20;

    private Erofs() {}

    /**
     * Checks that erofs can be set up on this host; nothing to check when the spec does not set it up.
     *
     * @throws InvalidSpecException naming what is missing and the fix
     */
    static void check(DeploySpec spec, Version containerd, NodeFiles files) {
        KataExtras extras = spec.extras();
        if (!extras.setsUp("erofs")) {
            return;
        }
        if (!containerd.atLeast(2, 2)) {
            throw new InvalidSpecException("EXPERIMENTAL_SETUP_SNAPSHOTTER sets up erofs, but this node runs containerd "
                    + containerd + "; containerd's erofs snapshotter and differ need containerd 2.2 or newer. Remove erofs"
                    + " from EXPERIMENTAL_SETUP_SNAPSHOTTER (and from SNAPSHOTTER_HANDLER_MAPPING) or upgrade containerd.");
        }
        if (extras.erofs().merged()) {
            for (Map.Entry<String, String> e : spec.snapshotterMapping().entrySet()) {
                if (e.getValue().equals("erofs") && !KataLayout.isRustShim(e.getKey())) {
                    throw new InvalidSpecException("SNAPSHOTTER_HANDLER_MAPPING maps the Go shim '" + e.getKey()
                            + "' to erofs, but EROFS_MERGE_MODE is merged, which only the runtime-rs shims support. Map a"
                            + " runtime-rs shim to erofs instead, or set EROFS_MERGE_MODE=unmerged.");
                }
            }
        }
        if (!kernelHas(files, "erofs", "CONFIG_EROFS_FS")) {
            throw new InvalidSpecException("EXPERIMENTAL_SETUP_SNAPSHOTTER sets up erofs, but the node's kernel shows no"
                    + " erofs support: no /sys/module/erofs, no erofs line in /proc/modules, and no CONFIG_EROFS_FS=y in"
                    + " /proc/config.gz or /boot/config-" + release(files) + ". Load the module (modprobe erofs) or use a"
                    + " kernel built with erofs, or remove erofs from EXPERIMENTAL_SETUP_SNAPSHOTTER.");
        }
        if (extras.erofs().dmverity()) {
            for (String[] m : List.of(new String[] {"dm_mod", "CONFIG_BLK_DEV_DM"},
                    new String[] {"dm_verity", "CONFIG_DM_VERITY"})) {
                if (!kernelHas(files, m[0], m[1])) {
                    throw new InvalidSpecException("EROFS_DMVERITY is on, but the node's kernel shows no " + m[0] + " (no"
                            + " /sys/module/" + m[0] + ", not in /proc/modules, no " + m[1] + "=y in the kernel config)."
                            + " Load it (modprobe " + m[0] + ") or unset EROFS_DMVERITY.");
                }
            }
        }
        Optional<String> mkfs = MKFS_DIRS.stream().map(d -> d + "/mkfs.erofs")
                .filter(p -> files.read(p).isPresent()).findFirst();
        if (mkfs.isEmpty()) {
            throw new InvalidSpecException("EXPERIMENTAL_SETUP_SNAPSHOTTER sets up erofs, but the node has no mkfs.erofs in "
                    + String.join(", ", MKFS_DIRS) + "; containerd's erofs differ runs it for every layer. Install"
                    + " erofs-utils on the node, or remove erofs from EXPERIMENTAL_SETUP_SNAPSHOTTER.");
        }
        Bytes binary = files.read(mkfs.get()).orElseThrow();
        for (String option : List.of("mkfs-time", "sort")) {
            if (!containsCString(binary.toArray(), option)) {
                throw new InvalidSpecException("The node's " + mkfs.get() + " does not know the option --" + option
                        + ", which kdeploy configures containerd's erofs differ with (mkfs_options = [\"-T0\","
                        + " \"--mkfs-time\", \"--sort=none\"]). Install erofs-utils 1.8 or newer on the node.");
            }
        }
    }

    /** The containerd keys for erofs (always schema 3 plugin names); none when the spec does not set erofs up. */
    static List<TomlEdit> edits(DeploySpec spec, int schema) {
        KataExtras extras = spec.extras();
        if (!extras.setsUp("erofs")) {
            return List.of();
        }
        if (schema < 3) {
            throw new InvalidSpecException("EXPERIMENTAL_SETUP_SNAPSHOTTER sets up erofs, but the containerd config this"
                    + " install writes has version " + schema + "; the erofs plugins are configured with version 3 names."
                    + " Set version = 3 in the main containerd config (containerd 2.2 reads it) or remove erofs.");
        }
        KataExtras.Erofs e = extras.erofs();
        List<TomlEdit> out = new ArrayList<>();
        out.add(new SetValue(KeyPath.of("plugins", RuntimeStanza.CRI_V3_IMAGES, "discard_unpacked_layers"), "false"));
        out.add(new SetValue(KeyPath.of("plugins", "io.containerd.service.v1.diff-service", "default"),
                TomlValues.stringArray(List.of("erofs", "walking"))));
        out.add(new SetValue(SNAPSHOTTER.child("enable_fsverity"), "true"));
        out.add(new SetValue(SNAPSHOTTER.child("set_immutable"), "true"));
        out.add(new SetValue(SNAPSHOTTER.child("dmverity_mode"), TomlValues.string(e.dmverity() ? "on" : "off")));
        out.add(new SetValue(DIFFER.child("enable_dmverity"), e.dmverity() ? "true" : "false"));
        out.add(new SetValue(DIFFER.child("mkfs_options"), TomlValues.stringArray(List.of("-T0", "--mkfs-time",
                "--sort=none"))));
        out.add(new SetValue(DIFFER.child("enable_tar_index"), "false"));
        out.add(new SetValue(SNAPSHOTTER.child("default_size"), TomlValues.string(e.memory() ? "0" : "10G")));
        if (e.merged()) {
            out.add(new SetValue(SNAPSHOTTER.child("max_unmerged_layers"), "0"));
        }
        return List.copyOf(out);
    }

    private static boolean kernelHas(NodeFiles files, String module, String option) {
        if (files.isDirectory("/sys/module/" + module)) {
            return true;
        }
        Optional<Bytes> modules = files.read("/proc/modules");
        if (modules.isPresent()) {
            for (String line : modules.get().asUtf8().split("\n")) {
                if (line.startsWith(module + " ")) {
                    return true;
                }
            }
        }
        String wanted = option + "=y";
        Optional<String> config = kernelConfig(files);
        return config.isPresent() && config.get().lines().anyMatch(l -> l.trim().equals(wanted));
    }

    private static Optional<String> kernelConfig(NodeFiles files) {
        Optional<Bytes> gz = files.read("/proc/config.gz");
        if (gz.isPresent()) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.get().toArray()))) {
                return Optional.of(new String(in.readNBytes((int) MAX_CONFIG_BYTES), StandardCharsets.UTF_8));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        String release = release(files);
        return release.isEmpty() ? Optional.empty() : files.read("/boot/config-" + release).map(Bytes::asUtf8);
    }

    private static String release(NodeFiles files) {
        return files.read("/proc/sys/kernel/osrelease").map(b -> b.asUtf8().trim()).orElse("");
    }

    /** True when {@code option} occurs in the binary as a NUL-terminated string (a getopt long option name). */
    private static boolean containsCString(byte[] binary, String option) {
        byte[] needle = (option + "\0").getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= binary.length; i++) {
            if (i > 0 && binary[i - 1] != 0 && binary[i - 1] != '-') {
                continue;
            }
            for (int j = 0; j < needle.length; j++) {
                if (binary[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
