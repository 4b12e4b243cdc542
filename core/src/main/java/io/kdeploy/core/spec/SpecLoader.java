package io.kdeploy.core.spec;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.CustomRuntime;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.KataExtras;
import io.kdeploy.core.PerShim;
import java.lang.System.Logger.Level;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link DeploySpec} from, highest precedence first: explicit overrides (the CLI's flags, keyed by kata-deploy's
 * variable names), the environment, a YAML {@link SpecFile}, and kata-deploy's defaults. Validates it as kata-deploy does,
 * plus a check of shim names against the shims Kata ships. Immutable; never reads the process environment itself.
 *
 * <p>Within one source the per-architecture variable ({@code SHIMS_X86_64}) wins over the plain one; plain {@code SHIMS} and
 * {@code DEFAULT_SHIM} are accepted as a fallback (kata-deploy dropped that fallback) and reported as a warning when they come
 * from the environment. Empty or blank values count as unset.
 */
public final class SpecLoader {
    /** The shim names Kata Containers ships a configuration for. */
    public static final Set<String> KNOWN_SHIMS = Set.copyOf(new TreeSet<>(Arrays.asList(
            "clh", "clh-runtime-rs", "cloud-hypervisor", "dragonball", "fc", "qemu", "qemu-runtime-rs", "qemu-coco-dev",
            "qemu-coco-dev-runtime-rs", "qemu-nvidia-cpu", "qemu-nvidia-cpu-runtime-rs", "qemu-nvidia-gpu",
            "qemu-nvidia-gpu-runtime-rs", "qemu-nvidia-gpu-snp", "qemu-nvidia-gpu-snp-runtime-rs", "qemu-nvidia-gpu-tdx",
            "qemu-nvidia-gpu-tdx-runtime-rs", "qemu-snp", "qemu-snp-runtime-rs", "qemu-tdx", "qemu-tdx-runtime-rs", "qemu-se",
            "qemu-se-runtime-rs", "qemu-cca", "remote", "stratovirt", "openvmm-azure-runtime-rs")));

    private static final Pattern SHIM = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern SUFFIX = Pattern.compile("[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Set<String> PULL_TYPES = Set.of("guest-pull");
    /** Where kata-deploy's chart mounts the custom-configs ConfigMap. */
    public static final String DEFAULT_CUSTOM_DIR = "/custom-configs";
    private static final Pattern DISTRIBUTION = Pattern.compile("[a-z0-9][-a-z0-9]*");

    private final Arch arch;
    private final Set<String> knownShims;

    private SpecLoader(Arch arch, Set<String> knownShims) {
        this.arch = requireNonNull(arch, "arch");
        this.knownShims = Set.copyOf(knownShims);
    }

    /** A loader for the architecture this JVM runs on ({@link Arch#current()}). */
    public static SpecLoader forCurrentArch() {
        return forArch(Arch.current());
    }

    /** A loader that reads the {@code _<ARCH>} variables and defaults of {@code arch}. */
    public static SpecLoader forArch(Arch arch) {
        return new SpecLoader(arch, KNOWN_SHIMS);
    }

    /** This loader, also accepting these shim names (a Kata build that ships more configurations). */
    public SpecLoader withExtraShims(Collection<String> names) {
        Set<String> all = new HashSet<>(knownShims);
        all.addAll(names);
        return new SpecLoader(arch, all);
    }

    /** The architecture whose variables this loader reads. */
    public Arch arch() {
        return arch;
    }

    /** Every variable name this loader reads for its architecture, per-architecture names first. */
    public List<String> variableNames() {
        List<String> names = new ArrayList<>();
        for (SpecKey key : SpecKey.values()) {
            names.add(key.envName(arch));
            if (key == SpecKey.SHIMS || key == SpecKey.DEFAULT_SHIM) {
                names.add(key.baseName());
            }
        }
        return names;
    }

    /**
     * Loads and validates the spec, reading the YAML file when {@code yamlFile} is not null.
     *
     * @throws InvalidSpecException (usually a {@link SpecValueException}) naming the variable or key, the value and the fix
     */
    public LoadedSpec load(Map<String, String> overrides, Map<String, String> environment, @Nullable Path yamlFile) {
        return load(overrides, environment, yamlFile == null ? SpecFile.NONE : SpecFile.read(yamlFile));
    }

    /**
     * Loads and validates the spec.
     *
     * @param overrides values that win over everything else, keyed by kata-deploy's variable names (plain or per-arch)
     * @param environment the process environment (or a test's map); unrelated variables are ignored
     * @param file the YAML file, or {@link SpecFile#NONE}
     * @throws InvalidSpecException (usually a {@link SpecValueException}) naming the variable or key, the value and the fix
     * @throws IllegalArgumentException when an override key is not a variable this loader knows
     */
    public LoadedSpec load(Map<String, String> overrides, Map<String, String> environment, SpecFile file) {
        List<String> warnings = new ArrayList<>();
        for (String name : overrides.keySet()) {
            if (!variableNames().contains(name) && !isPlainName(name)) {
                throw new IllegalArgumentException("Unknown override '" + name + "'. Known: " + variableNames());
            }
        }
        List<Layer> layers = List.of(
                envLayer(overrides, Origin::override, null),
                envLayer(environment, Origin::environment, warnings),
                file.layer());
        return new Resolution(layers, warnings).resolve();
    }

    private static boolean isPlainName(String name) {
        return Arrays.stream(SpecKey.values()).anyMatch(k -> k.baseName().equals(name));
    }

    private Layer envLayer(Map<String, String> vars, Function<String, Origin> origin, @Nullable List<String> warnings) {
        Layer layer = new Layer();
        for (SpecKey key : SpecKey.values()) {
            String name = key.envName(arch);
            String value = vars.get(name);
            if ((value == null || value.isBlank()) && key.perArch()) {
                String plain = vars.get(key.baseName());
                boolean fallback = key == SpecKey.SHIMS || key == SpecKey.DEFAULT_SHIM || warnings == null;
                if (plain != null && !plain.isBlank() && fallback) {
                    name = key.baseName();
                    value = plain;
                    if (warnings != null) {
                        String w = key.baseName() + " is used because " + key.envName(arch) + " is not set. kata-deploy"
                                + " reads only " + key.envName(arch) + "; set that instead.";
                        warnings.add(w);
                        Log.LOG.log(Level.WARNING, w);
                    }
                }
            }
            if (value != null) {
                layer.setText(key, value, origin.apply(name));
            }
        }
        return layer;
    }

    /** Picks each setting from the highest layer that sets it, validates, and builds the spec. */
    private final class Resolution {
        private final List<Layer> layers;
        private final List<String> warnings;
        private final Map<SpecKey, Origin> sources = new EnumMap<>(SpecKey.class);

        Resolution(List<Layer> layers, List<String> warnings) {
            this.layers = layers;
            this.warnings = warnings;
        }

        private <T> @Nullable T pick(Function<Layer, @Nullable T> field) {
            for (Layer layer : layers) {
                T value = field.apply(layer);
                if (value != null) {
                    return value;
                }
            }
            return null;
        }

        private Origin defaulted(SpecKey key) {
            return Origin.byDefault(key.envName(arch));
        }

        LoadedSpec resolve() {
            Raw.Listing shimListing = pick(l -> l.shims);
            if (shimListing == null) {
                Origin o = defaulted(SpecKey.SHIMS);
                shimListing = new Raw.Listing(arch.defaultShims().stream().map(s -> new Raw.Located(s, o)).toList(), o);
            }
            sources.put(SpecKey.SHIMS, shimListing.origin());
            List<String> shims = shims(shimListing);
            String shimsLabel = shimListing.origin().key() + " (" + String.join(" ", shims) + ")";
            Origin shimsOrigin = shimListing.origin();

            String defaultShim = defaultShim(shims, shimsLabel);

            Map<String, String> snapshotters = mapping(SpecKey.SNAPSHOTTER_HANDLER_MAPPING, pick(l -> l.snapshotters), shims,
                    shimsLabel, shimsOrigin, null);
            Map<String, String> pullTypes = mapping(SpecKey.PULL_TYPE_MAPPING, pick(l -> l.pullTypes), shims, shimsLabel,
                    shimsOrigin, PULL_TYPES);

            Set<String> forceGuestPull = new LinkedHashSet<>();
            Raw.Listing force = pick(l -> l.forceGuestPull);
            sources.put(SpecKey.EXPERIMENTAL_FORCE_GUEST_PULL, force == null
                    ? defaulted(SpecKey.EXPERIMENTAL_FORCE_GUEST_PULL) : force.origin());
            if (force != null) {
                for (Raw.Located shim : force.items()) {
                    requireEnabled(shim, shims, shimsLabel, shimsOrigin, "remove it from the list");
                    forceGuestPull.add(shim.value());
                }
            }

            PerShim annotations = annotations(pick(l -> l.annotations), shims, shimsLabel, shimsOrigin);
            PerShim httpsProxy = proxy(SpecKey.AGENT_HTTPS_PROXY, pick(l -> l.httpsProxy), shims, shimsLabel, shimsOrigin);
            PerShim noProxy = proxy(SpecKey.AGENT_NO_PROXY, pick(l -> l.noProxy), shims, shimsLabel, shimsOrigin);

            String prefix = prefix(pick(l -> l.prefix));
            String suffix = suffix(pick(l -> l.suffix));

            Raw.Switch debug = pick(l -> l.debug);
            sources.put(SpecKey.DEBUG, debug == null ? defaulted(SpecKey.DEBUG) : debug.origin());

            Raw.Located node = pick(l -> l.nodeName);
            sources.put(SpecKey.NODE_NAME, node == null ? defaulted(SpecKey.NODE_NAME) : node.origin());

            String daemonSet = daemonSetName(pick(l -> l.daemonSetName), suffix);

            boolean debugOn = debug != null && debug.on();
            KataExtras extras = extras(debugOn, snapshotters, shims);
            DeploySpec spec = new DeploySpec(shims, defaultShim, suffix, prefix, debugOn, snapshotters,
                    pullTypes, forceGuestPull, annotations, httpsProxy, noProxy, daemonSet, node == null ? "" : node.value(),
                    extras);
            return new LoadedSpec(spec, sources, warnings);
        }

        private <T> @Nullable T picked(SpecKey key, Function<Layer, @Nullable T> field, Function<T, Origin> origin) {
            T value = pick(field);
            sources.put(key, value == null ? defaulted(key) : origin.apply(value));
            return value;
        }

        private KataExtras extras(boolean debugOn, Map<String, String> snapshotters, List<String> shims) {
            Raw.Switch devkit = picked(SpecKey.DEVKIT, l -> l.devkit, Raw.Switch::origin);
            boolean devkitOn = devkit != null && devkit.on();
            if (devkitOn && !debugOn) {
                String w = devkit.origin().key() + " is true but DEBUG is not: kata-deploy honours DEVKIT only together"
                        + " with DEBUG=true, so no -devkit handlers are registered. Set DEBUG=true as well, or drop DEVKIT.";
                warnings.add(w);
                Log.LOG.log(Level.WARNING, w);
            }

            Raw.Located dropIn = picked(SpecKey.CONTAINERD_USER_DROP_IN_SOURCE_FILE, l -> l.userDropIn, Raw.Located::origin);
            String dropInText = dropIn == null ? "" : userDropIn(dropIn);

            Raw.Located fileName = picked(SpecKey.CONTAINERD_CONFIG_FILE_NAME, l -> l.configFileName, Raw.Located::origin);
            String configFileName = fileName == null ? "config.toml" : fileName.value();
            if (fileName != null) {
                try {
                    KataExtras.checkFileName(configFileName);
                } catch (InvalidSpecException e) {
                    throw new SpecValueException(fileName.origin(), "'" + configFileName + "' is not a bare file name. Give"
                            + " only the name of the main containerd config inside /etc/containerd, e.g. config.toml (no"
                            + " '/', no '.' or '..').");
                }
            }

            Raw.Located dist = picked(SpecKey.K8S_DISTRIBUTION, l -> l.distribution, Raw.Located::origin);
            String distribution = dist == null ? "" : dist.value().toLowerCase(java.util.Locale.ROOT);
            if (dist != null && !DISTRIBUTION.matcher(distribution).matches()) {
                throw new SpecValueException(dist.origin(), "'" + dist.value() + "' is not a distribution name. Use k8s,"
                        + " k3s, rke2, k0s or microk8s (as Helm's k8sDistribution), or leave it unset.");
            }

            Raw.Located port = picked(SpecKey.HEALTH_PORT, l -> l.healthPort, Raw.Located::origin);
            int healthPort = port == null ? 8090 : port(port);

            Raw.Listing setup = picked(SpecKey.EXPERIMENTAL_SETUP_SNAPSHOTTER, l -> l.setupSnapshotters,
                    Raw.Listing::origin);
            Set<String> setupSet = new TreeSet<>();
            if (setup != null) {
                for (Raw.Located s : setup.items()) {
                    String name = s.value().toLowerCase(java.util.Locale.ROOT);
                    if (!KataExtras.SNAPSHOTTERS.contains(name)) {
                        throw new SpecValueException(s.origin(), "snapshotter '" + s.value() + "' cannot be set up. Use"
                                + " nydus, erofs or both, separated by commas (e.g. nydus,erofs).");
                    }
                    setupSet.add(name);
                }
            }

            Raw.Located merge = picked(SpecKey.EROFS_MERGE_MODE, l -> l.erofsMergeMode, Raw.Located::origin);
            boolean merged = merge == null || choice(merge, "merged", "unmerged");
            Raw.Located mode = picked(SpecKey.EROFS_SNAPSHOTTER_MODE, l -> l.erofsSnapshotterMode, Raw.Located::origin);
            boolean memory = mode != null && !choice(mode, "disk", "memory");
            Raw.Located verity = picked(SpecKey.EROFS_DMVERITY, l -> l.erofsDmverity, Raw.Located::origin);
            boolean dmverity = verity != null && choice(verity, "dmverity", "off");
            KataExtras.Erofs erofs = new KataExtras.Erofs(merged, memory, dmverity);

            if (setupSet.contains("erofs") && merged) {
                for (Map.Entry<String, String> e : snapshotters.entrySet()) {
                    if (e.getValue().equals("erofs") && !io.kdeploy.core.KataLayout.isRustShim(e.getKey())) {
                        Origin where = sources.get(SpecKey.SNAPSHOTTER_HANDLER_MAPPING);
                        throw new SpecValueException(requireNonNull(where), "shim '" + e.getKey() + "' is a Go shim mapped"
                                + " to erofs, but EROFS_MERGE_MODE is merged, which only the runtime-rs shims support. Map a"
                                + " runtime-rs shim (e.g. " + e.getKey() + "-runtime-rs) to erofs instead, or set"
                                + " EROFS_MERGE_MODE=unmerged.");
                    }
                }
            }
            for (Map.Entry<String, String> e : snapshotters.entrySet()) {
                String snap = e.getValue();
                if ((snap.equals("erofs") || snap.equals("nydus")) && setup != null && !setupSet.contains(snap)) {
                    String w = "SNAPSHOTTER_HANDLER_MAPPING maps '" + e.getKey() + "' to " + snap + ", but "
                            + setup.origin().key() + " does not set " + snap + " up; containerd must already provide it.";
                    warnings.add(w);
                    Log.LOG.log(Level.WARNING, w);
                }
            }
            Raw.Switch custom = picked(SpecKey.CUSTOM_RUNTIMES_ENABLED, l -> l.customRuntimes, Raw.Switch::origin);
            Raw.Located customDir = picked(SpecKey.CUSTOM_RUNTIMES_DIR, l -> l.customRuntimesDir, Raw.Located::origin);
            List<CustomRuntime> runtimes = custom != null && custom.on()
                    ? customRuntimes(customDir == null ? DEFAULT_CUSTOM_DIR : customDir.value(),
                            customDir == null ? custom.origin() : customDir.origin(), shims)
                    : List.of();
            return new KataExtras(devkitOn, dropIn == null ? "" : dropIn.value(), dropInText, configFileName, distribution,
                    healthPort, setupSet, erofs, runtimes);
        }

        /**
         * Reads {@code <dir>/custom-runtimes.list} ({@code handler:baseShim:snapshotter:pullType} per line; blank lines and
         * {@code #} comments skipped) and each handler's optional {@code dropin-<handler>.toml}.
         */
        private List<CustomRuntime> customRuntimes(String dir, Origin origin, List<String> shims) {
            Path list = Path.of(dir, "custom-runtimes.list");
            List<String> lines;
            try {
                lines = Files.readAllLines(list, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                throw new SpecValueException(origin, "custom runtimes are enabled but " + list + " cannot be read (" + e
                        + "). Mount the custom-configs ConfigMap there (Helm: customRuntimes) or set CUSTOM_RUNTIMES_DIR.");
            }
            List<CustomRuntime> out = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String where = list + ":" + (i + 1) + ": ";
                String[] f = line.split(":", -1);
                if (f.length != 4 || f[0].isBlank() || f[1].isBlank()) {
                    throw new SpecValueException(origin, where + "'" + line + "' is not handler:baseShim:snapshotter:pullType"
                            + " (snapshotter and pull type may be empty, e.g. kata-qemu-small:qemu::).");
                }
                String handler = f[0].strip();
                String base = f[1].strip();
                if (!shims.contains(base)) {
                    throw new SpecValueException(origin, where + "handler '" + handler + "' is based on shim '" + base
                            + "', which is not enabled (" + String.join(" ", shims) + "). Enable it or change the base.");
                }
                Path dropIn = Path.of(dir, "dropin-" + handler + ".toml");
                String text = "";
                if (Files.isRegularFile(dropIn)) {
                    try {
                        text = Files.readString(dropIn, StandardCharsets.UTF_8);
                    } catch (IOException | RuntimeException e) {
                        throw new SpecValueException(origin, dropIn + " cannot be read (" + e + "). Fix its permissions or"
                                + " remove it.");
                    }
                }
                try {
                    out.add(new CustomRuntime(handler, base, f[2].strip(), f[3].strip(), text));
                } catch (InvalidSpecException e) {
                    throw new SpecValueException(origin, where + e.getMessage());
                }
            }
            if (out.isEmpty()) {
                throw new SpecValueException(origin, "custom runtimes are enabled but " + list + " lists none. Add"
                        + " handler:baseShim:snapshotter:pullType lines or set CUSTOM_RUNTIMES_ENABLED=false.");
            }
            return out;
        }

        private String userDropIn(Raw.Located given) {
            Path path = Path.of(given.value());
            try {
                String text = Files.readString(path, StandardCharsets.UTF_8);
                return text.startsWith("\uFEFF") ? text.substring(1) : text;
            } catch (IOException | RuntimeException e) {
                throw new SpecValueException(given.origin(), "the user containerd drop-in '" + given.value() + "' cannot be"
                        + " read (" + e + "). Mount the file at that path (Helm: containerd.userDropIn) or unset the"
                        + " variable.");
            }
        }

        private int port(Raw.Located given) {
            try {
                int p = Integer.parseInt(given.value());
                if (p >= 1 && p <= 65535) {
                    return p;
                }
            } catch (NumberFormatException e) {
                // reported below with the value
            }
            throw new SpecValueException(given.origin(), "'" + given.value() + "' is not a TCP port. Use a whole number"
                    + " from 1 to 65535 (default 8090).");
        }

        /** True for {@code yes}, false for {@code no} (case-insensitive); anything else is an error naming both. */
        private boolean choice(Raw.Located given, String yes, String no) {
            String v = given.value().toLowerCase(java.util.Locale.ROOT);
            if (v.equals(yes)) {
                return true;
            }
            if (v.equals(no)) {
                return false;
            }
            throw new SpecValueException(given.origin(), "'" + given.value() + "' is not allowed. Use " + yes + " or " + no
                    + ", or leave it unset.");
        }

        private List<String> shims(Raw.Listing listing) {
            if (listing.items().isEmpty()) {
                throw new SpecValueException(listing.origin(), "no shim is listed. Enable at least one shim, e.g."
                        + " 'qemu-runtime-rs', or leave it unset to use the default list for " + arch.envSuffix() + ".");
            }
            Set<String> seen = new LinkedHashSet<>();
            for (Raw.Located shim : listing.items()) {
                String name = shim.value();
                if (!SHIM.matcher(name).matches()) {
                    throw new SpecValueException(shim.origin(), "shim name '" + name + "' is not valid: use lowercase"
                            + " letters, digits and '-' (it becomes the handler name kata-" + name + ").");
                }
                if (!knownShims.contains(name)) {
                    throw new SpecValueException(shim.origin(), "shim '" + name + "' is not a shim Kata Containers ships."
                            + " Known shims: " + String.join(" ", new TreeSet<>(knownShims)) + ". Fix the name (the default"
                            + " list for " + arch.envSuffix() + " is: " + String.join(" ", arch.defaultShims()) + ").");
                }
                if (!seen.add(name)) {
                    throw new SpecValueException(shim.origin(), "shim '" + name + "' is listed twice in '"
                            + String.join(" ", listing.values()) + "'. List each shim once.");
                }
            }
            return List.copyOf(seen);
        }

        private String defaultShim(List<String> shims, String shimsLabel) {
            Raw.Located given = pick(l -> l.defaultShim);
            if (given == null) {
                String preferred = arch.defaultShim();
                String chosen = shims.contains(preferred) ? preferred : shims.get(0);
                sources.put(SpecKey.DEFAULT_SHIM, defaulted(SpecKey.DEFAULT_SHIM));
                return chosen;
            }
            sources.put(SpecKey.DEFAULT_SHIM, given.origin());
            if (!shims.contains(given.value())) {
                throw new SpecValueException(given.origin(), "shim '" + given.value() + "' is not in " + shimsLabel
                        + ". Set it to one of those shims or add '" + given.value() + "' to "
                        + keyOf(shimsLabel) + ".");
            }
            return given.value();
        }

        private void requireEnabled(Raw.Located shim, List<String> shims, String shimsLabel, Origin shimsOrigin, String orFix) {
            if (!shims.contains(shim.value())) {
                throw new SpecValueException(shim.origin(), "shim '" + shim.value() + "' is not in " + shimsLabel
                        + ". Add it to " + keyOf(shimsLabel) + (shimsOrigin.source() == Origin.Source.FILE
                        ? " (" + shimsOrigin.file() + ":" + shimsOrigin.line() + ")" : "") + " or " + orFix + ".");
            }
        }

        private Map<String, String> mapping(SpecKey key, Raw.@Nullable Entries entries, List<String> shims,
                String shimsLabel, Origin shimsOrigin, @Nullable Set<String> allowedValues) {
            if (entries == null) {
                sources.put(key, defaulted(key));
                return Map.of();
            }
            sources.put(key, entries.origin());
            Map<String, String> out = new LinkedHashMap<>();
            for (Raw.Entry e : entries.entries()) {
                requireEnabled(e.shim(), shims, shimsLabel, shimsOrigin, "remove the mapping");
                if (out.containsKey(e.shim().value())) {
                    throw new SpecValueException(e.shim().origin(), "shim '" + e.shim().value() + "' is mapped twice ('"
                            + out.get(e.shim().value()) + "' and '" + e.value() + "'). Keep exactly one entry per shim.");
                }
                if (allowedValues != null && !allowedValues.contains(e.value())) {
                    throw new SpecValueException(e.shim().origin(), "pull type '" + e.value() + "' for shim '"
                            + e.shim().value() + "' is not supported. Allowed: " + String.join(", ", allowedValues)
                            + " (leave the shim out for the runtime's default pull).");
                }
                out.put(e.shim().value(), e.value());
            }
            return out;
        }

        private PerShim annotations(Raw.@Nullable Split split, List<String> shims, String shimsLabel, Origin shimsOrigin) {
            SpecKey key = SpecKey.ALLOWED_HYPERVISOR_ANNOTATIONS;
            if (split == null) {
                sources.put(key, defaulted(key));
                return PerShim.NONE;
            }
            sources.put(key, split.origin());
            Set<String> global = new TreeSet<>(split.global());
            Map<String, Set<String>> perShim = new TreeMap<>();
            for (Raw.Entry e : split.perShim()) {
                requireEnabled(e.shim(), shims, shimsLabel, shimsOrigin, "remove the entry");
                perShim.computeIfAbsent(e.shim().value(), s -> new TreeSet<>(global)).addAll(EnvSyntax.names(e.value()));
            }
            Map<String, String> joined = perShim.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, en -> String.join(",", en.getValue())));
            return new PerShim(String.join(",", global), joined);
        }

        private PerShim proxy(SpecKey key, Raw.@Nullable Split split, List<String> shims, String shimsLabel,
                Origin shimsOrigin) {
            if (split == null) {
                sources.put(key, defaulted(key));
                return PerShim.NONE;
            }
            sources.put(key, split.origin());
            Map<String, String> perShim = new LinkedHashMap<>();
            for (Raw.Entry e : split.perShim()) {
                requireEnabled(e.shim(), shims, shimsLabel, shimsOrigin, "remove the entry");
                if (perShim.putIfAbsent(e.shim().value(), e.value()) != null) {
                    throw new SpecValueException(e.shim().origin(), "shim '" + e.shim().value() + "' has two values ('"
                            + perShim.get(e.shim().value()) + "' and '" + e.value() + "'). Keep exactly one entry per shim.");
                }
            }
            return new PerShim(split.global().isEmpty() ? "" : split.global().get(0), perShim);
        }

        private String prefix(Raw.@Nullable Located given) {
            if (given == null) {
                sources.put(SpecKey.INSTALLATION_PREFIX, defaulted(SpecKey.INSTALLATION_PREFIX));
                return "";
            }
            sources.put(SpecKey.INSTALLATION_PREFIX, given.origin());
            String p = given.value();
            if (!p.startsWith("/") || p.endsWith("/") || Arrays.asList(p.split("/")).contains("..")
                    || Arrays.asList(p.split("/")).contains(".") || p.contains("//")) {
                throw new SpecValueException(given.origin(), "'" + p + "' is not a valid installation prefix. Use an"
                        + " absolute path without '.', '..', '//' or a trailing '/', e.g. /usr/local (Kata then goes to"
                        + " <prefix>/opt/kata).");
            }
            return p;
        }

        private String suffix(Raw.@Nullable Located given) {
            if (given == null) {
                sources.put(SpecKey.MULTI_INSTALL_SUFFIX, defaulted(SpecKey.MULTI_INSTALL_SUFFIX));
                return "";
            }
            sources.put(SpecKey.MULTI_INSTALL_SUFFIX, given.origin());
            if (!SUFFIX.matcher(given.value()).matches()) {
                throw new SpecValueException(given.origin(), "'" + given.value() + "' is not a valid multi-install suffix."
                        + " Use 1-32 lowercase letters, digits and '-', starting and ending with a letter or digit (it becomes"
                        + " part of handler names, file names and label keys), e.g. 'blue'.");
            }
            return given.value();
        }

        private String daemonSetName(Raw.@Nullable Located given, String suffix) {
            if (given == null) {
                sources.put(SpecKey.DAEMONSET_NAME, defaulted(SpecKey.DAEMONSET_NAME));
                return suffix.isEmpty() ? "kata-deploy" : "kata-deploy-" + suffix;
            }
            sources.put(SpecKey.DAEMONSET_NAME, given.origin());
            if (!DNS_SUBDOMAIN.matcher(given.value()).matches()) {
                throw new SpecValueException(given.origin(), "'" + given.value() + "' is not a valid DaemonSet name. Use"
                        + " lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, e.g."
                        + " kata-deploy or kata-deploy-blue.");
            }
            return given.value();
        }

        private String keyOf(String shimsLabel) {
            return shimsLabel.substring(0, shimsLabel.indexOf(" ("));
        }
    }

    /**
     * The logger, created on first use: the first logger of a JVM sets up the logging back-end (~9 ms), which a run that
     * logs nothing, such as an unchanged re-install, need not pay on its main thread.
     */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(SpecLoader.class.getName());
    }
}
