package io.kdeploy.core.artifacts;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.CustomRuntime;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.KataLayout;
import io.kdeploy.core.MalformedConfigException;
import io.kdeploy.core.toml.KeyPath;
import io.kdeploy.core.toml.TomlDocument;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One shim's Kata configuration as an install writes it: the shipped base configuration copied (with a banner) into
 * {@code runtimes/<shim>/}, next to a {@code config.d/} of drop-ins the runtime merges in name order. A pure function of the
 * base configuration's text and the spec.
 *
 * <p>Drop-ins (each written only when it has something to say): {@code 10-installation-prefix.toml} (every
 * {@code /opt/kata/…} path of the hypervisor table moved to the destination, when it is not {@code /opt/kata}),
 * {@code 20-debug.toml} (debug variants only), {@code 25-devkit.toml} (devkit variants only),
 * {@code 30-kernel-params.toml} (the base {@code kernel_params} plus {@code agent.https_proxy}, {@code agent.no_proxy} and, in
 * variants, {@code agent.log=debug initcall_debug}, in one
 * key because a drop-in replaces whole keys), {@code 40-hypervisor-annotations.toml} (the base {@code enable_annotations}
 * merged with {@code ALLOWED_HYPERVISOR_ANNOTATIONS}, sorted and de-duplicated), {@code 45-force-guest-pull.toml}
 * ({@code EXPERIMENTAL_FORCE_GUEST_PULL}). Unlike kata-deploy, the copied base is never edited: annotations and guest pull
 * are drop-ins too, so the copy differs from the shipped file only by its banner.
 *
 * @param shim the shim, e.g. {@code qemu-runtime-rs}
 * @param hypervisor the name of the base configuration's {@code [hypervisor.<name>]} table, e.g. {@code qemu}
 * @param runtimeDir the shim's directory relative to the destination, e.g.
 *     {@code share/defaults/kata-containers/runtimes/qemu}
 * @param files the files of that directory (relative to it, e.g. {@code config.d/30-kernel-params.toml}) and their text
 */
public record ShimConfig(String shim, String hypervisor, String runtimeDir, Map<String, String> files) {
    /** The first lines of every copied base configuration. */
    public static final String BANNER = "# IMPORTANT: This file is managed by kdeploy. Do not modify it directly! It is replaced"
            + " on every install.\n# To change settings, create drop-in configuration files in the config.d/ directory next"
            + " to it\n# (e.g. config.d/50-user-overrides.toml); they are merged in name order.\n";

    /** The first line of every generated drop-in. */
    public static final String DROP_IN_HEADER = "# Written by kdeploy on every install. Put your own settings in a"
            + " 50-*.toml drop-in.\n";

    private static final String KATA = EntryNames.KATA_ROOT + "/";
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern LIST_SEPARATOR = Pattern.compile("[,\\s]+");

    public ShimConfig {
        requireNonNull(shim, "shim");
        requireNonNull(hypervisor, "hypervisor");
        requireNonNull(runtimeDir, "runtimeDir");
        files = Collections.unmodifiableMap(new TreeMap<>(requireNonNull(files, "files")));
    }

    /** The shipped base configuration of a shim, relative to the destination. */
    public static String basePath(KataLayout layout, String shim) {
        return relative(layout, layout.defaultsDir(shim)) + "/configuration-" + shim + ".toml";
    }

    /** The files relative to the destination. */
    public Map<String, String> destPaths() {
        Map<String, String> out = new TreeMap<>();
        files.forEach((k, v) -> out.put(runtimeDir + "/" + k, v));
        return out;
    }

    /**
     * Renders a shim's configuration directory.
     *
     * @param layout the install's layout (its destination is the node path written into drop-ins)
     * @param shim the shim
     * @param baseText the content of the shipped {@code configuration-<shim>.toml}
     * @throws MalformedConfigException when the base configuration does not parse or has no {@code [hypervisor.<name>]}
     */
    public static ShimConfig render(KataLayout layout, String shim, String baseText) {
        return render(layout, shim, "", baseText);
    }

    /**
     * Renders the isolated configuration directory of a shim's handler variant ({@link DeploySpec#variants}), as
     * kata-deploy synthesises it: {@code custom-runtimes/<handler>/} with its own copy of the base configuration, the same
     * drop-ins as the shim, plus {@code 20-debug.toml} and the debug kernel parameters, and for {@code devkit}
     * {@code 25-devkit.toml}. Guest debug lives only in variants, so the regular handlers keep stable TEE measurements.
     *
     * @throws MalformedConfigException when the base configuration does not parse or has no {@code [hypervisor.<name>]}
     */
    public static ShimConfig renderVariant(KataLayout layout, String shim, String variant, String baseText) {
        if (variant.isEmpty()) {
            throw new IllegalArgumentException("variant is empty");
        }
        return render(layout, shim, variant, baseText);
    }

    /**
     * Renders a custom runtime's isolated directory, as kata-deploy does: {@code custom-runtimes/<handler>/} with its own
     * copy of the base shim's configuration, the base shim's drop-ins, and the runtime's {@code dropin-<handler>.toml} as
     * {@code config.d/50-overrides.toml}.
     *
     * @throws MalformedConfigException when the base configuration does not parse or has no {@code [hypervisor.<name>]}
     */
    public static ShimConfig renderCustom(KataLayout layout, CustomRuntime runtime, String baseText) {
        ShimConfig base = render(layout, runtime.baseShim(), "", baseText);
        Map<String, String> files = new TreeMap<>(base.files());
        if (!runtime.dropIn().isEmpty()) {
            files.put("config.d/50-overrides.toml", runtime.dropIn());
        }
        return new ShimConfig(runtime.baseShim(), base.hypervisor(),
                relative(layout, layout.customRuntimeDir(runtime.handler())), files);
    }

    private static ShimConfig render(KataLayout layout, String shim, String variant, String baseText) {
        DeploySpec spec = layout.spec();
        boolean guestDebug = !variant.isEmpty();
        String baseNodePath = layout.dest() + "/" + basePath(layout, shim);
        TomlDocument toml = TomlDocument.parse(baseNodePath, baseText);
        Map<String, Object> hypervisors = toml.get(KeyPath.of("hypervisor")).map(ShimConfig::table).orElse(Map.of());
        List<String> names = new ArrayList<>();
        hypervisors.forEach((name, v) -> {
            if (v instanceof Map) {
                names.add(name);
            }
        });
        if (names.size() != 1) {
            throw new MalformedConfigException(baseNodePath, 0, 0, "expected exactly one [hypervisor.<name>] table, found "
                    + names + "; is this a Kata configuration?", null);
        }
        String hv = names.get(0);
        Map<String, Object> table = table(hypervisors.get(hv));
        String header = "[hypervisor." + key(hv) + "]\n";

        Map<String, String> files = new TreeMap<>();
        String body = baseText.startsWith(BANNER) ? baseText : BANNER + baseText;
        files.put("configuration-" + shim + ".toml", body);

        if (!layout.dest().equals(EntryNames.KATA_ROOT)) {
            StringBuilder sb = new StringBuilder();
            for (String k : new TreeSet<>(table.keySet())) {
                Object v = table.get(k);
                if (v instanceof String && ((String) v).startsWith(KATA)) {
                    sb.append(key(k)).append(" = ").append(string(moved(layout, (String) v))).append('\n');
                } else if (isStrings(v)) {
                    List<String> values = strings(v);
                    if (values.stream().anyMatch(s -> s.startsWith(KATA))) {
                        List<String> movedValues = values.stream().map(s -> moved(layout, s)).toList();
                        sb.append(key(k)).append(" = ").append(array(movedValues)).append('\n');
                    }
                }
            }
            if (sb.length() > 0) {
                files.put("config.d/10-installation-prefix.toml", DROP_IN_HEADER + header + sb);
            }
        }
        if (guestDebug) {
            files.put("config.d/20-debug.toml", DROP_IN_HEADER + header + "enable_debug = true\n\n[runtime]\n"
                    + "enable_debug = true\n\n[agent.kata]\ndebug_console_enabled = true\nenable_debug = true\n");
        }
        List<String> params = new ArrayList<>();
        String https = spec.agentHttpsProxy().forShim(shim);
        String noProxy = spec.agentNoProxy().forShim(shim);
        if (!https.isEmpty()) {
            params.add("agent.https_proxy=" + https);
        }
        if (!noProxy.isEmpty()) {
            params.add("agent.no_proxy=" + noProxy);
        }
        if (DeploySpec.DEVKIT_VARIANT.equals(variant)) {
            Object images = table.get("guest_extension_images");
            List<String> all = new ArrayList<>();
            if (isStrings(images)) {
                all.addAll(strings(images));
            }
            all.add("devkit");
            files.put("config.d/25-devkit.toml", DROP_IN_HEADER + header + "guest_extension_images = " + array(all) + "\n");
        }
        if (guestDebug) {
            params.add("agent.log=debug");
            params.add("initcall_debug");
        }
        if (!params.isEmpty()) {
            Object base = table.get("kernel_params");
            List<String> all = new ArrayList<>();
            if (base instanceof String && !((String) base).isBlank()) {
                all.add(((String) base).trim());
            }
            all.addAll(params);
            files.put("config.d/30-kernel-params.toml", DROP_IN_HEADER + header + "kernel_params = "
                    + string(String.join(" ", all)) + "\n");
        }
        Set<String> extra = new TreeSet<>();
        extra.addAll(split(spec.hypervisorAnnotations().all()));
        extra.addAll(split(spec.hypervisorAnnotations().perShim().getOrDefault(shim, "")));
        if (!extra.isEmpty()) {
            Object existing = table.get("enable_annotations");
            Set<String> merged = new TreeSet<>(extra);
            if (isStrings(existing)) {
                merged.addAll(strings(existing));
            }
            files.put("config.d/40-hypervisor-annotations.toml", DROP_IN_HEADER + header + "enable_annotations = "
                    + array(List.copyOf(merged)) + "\n");
        }
        if (spec.forceGuestPull().contains(shim)) {
            files.put("config.d/45-force-guest-pull.toml", DROP_IN_HEADER + "[runtime]\n"
                    + "experimental_force_guest_pull = true\n");
        }
        String dir = variant.isEmpty() ? layout.runtimeDir(shim)
                : layout.customRuntimeDir(spec.variantHandler(shim, variant));
        return new ShimConfig(shim, hv, relative(layout, dir), files);
    }

    private static String moved(KataLayout layout, String nodePath) {
        return nodePath.startsWith(KATA) ? layout.dest() + nodePath.substring(EntryNames.KATA_ROOT.length()) : nodePath;
    }

    private static String relative(KataLayout layout, String nodePath) {
        return nodePath.substring(layout.dest().length() + 1);
    }

    private static List<String> split(String list) {
        List<String> out = new ArrayList<>();
        for (String s : LIST_SEPARATOR.split(list.trim())) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** A table of the parsed model (the reader gives {@code Map<String, Object>} for every table). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> table(@Nullable Object v) {
        return v instanceof Map ? (Map<String, Object>) v : Map.of();
    }

    private static boolean isStrings(@Nullable Object v) {
        return v instanceof List && !((List<?>) v).isEmpty() && ((List<?>) v).stream().allMatch(String.class::isInstance);
    }

    private static List<String> strings(Object strings) {
        List<String> out = new ArrayList<>();
        for (Object s : (List<?>) strings) {
            out.add((String) s);
        }
        return out;
    }

    private static String key(String k) {
        return BARE.matcher(k).matches() ? k : string(k);
    }

    private static String array(List<String> values) {
        List<String> quoted = new ArrayList<>();
        for (String v : values) {
            quoted.add(string(v));
        }
        return "[" + String.join(", ", quoted) + "]";
    }

    /** A TOML basic string. */
    private static String string(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
