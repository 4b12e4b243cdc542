package io.kdeploy.core.spec;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.PerShim;
import java.lang.System.Logger.Level;
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

    private static final System.Logger LOG = System.getLogger(SpecLoader.class.getName());
    private static final Pattern SHIM = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern SUFFIX = Pattern.compile("[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Set<String> PULL_TYPES = Set.of("guest-pull");

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
                        LOG.log(Level.WARNING, w);
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

            DeploySpec spec = new DeploySpec(shims, defaultShim, suffix, prefix, debug != null && debug.on(), snapshotters,
                    pullTypes, forceGuestPull, annotations, httpsProxy, noProxy, daemonSet, node == null ? "" : node.value());
            return new LoadedSpec(spec, sources, warnings);
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
}
