package io.kdeploy.cli;

import io.kdeploy.core.Flavour;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.spec.LoadedSpec;
import io.kdeploy.core.spec.SpecLoader;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options {@code install} and {@code cleanup} share (DESIGN.md §6), as a picocli mixin ({@code @Mixin SpecOptions spec}):
 * the node's ({@code --host-root}, {@code --runtime}, …) and the spec flags of {@link SpecFlags}, which become the override
 * layer of {@link SpecLoader}.
 */
public final class SpecOptions {

    /** The {@code --output} formats. */
    public enum Output {
        /** Human-readable lines. */
        TEXT,
        /** One JSON object as the last line on stdout. */
        JSON
    }

    /** Reads {@code text} / {@code json} in any case. */
    static final class OutputConverter implements CommandLine.ITypeConverter<Output> {
        @Override
        public Output convert(String value) {
            try {
                return Output.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not an output format. Use text or json.");
            }
        }
    }

    @Option(names = "--host-root", paramLabel = "DIR", description = "Root of the node's file system (default: ${DEFAULT-VALUE}).")
    private Path hostRoot = Path.of("/");

    @Option(names = "--runtime", paramLabel = "RUNTIME",
            description = "auto, containerd, crio, k3s, rke2, k0s or microk8s, or the id of a configurer from --plugin-path"
                    + " (e.g. docker) (default: ${DEFAULT-VALUE}).")
    private String runtime = "auto";

    @Option(names = "--runtime-version", paramLabel = "V",
            description = "The node's containerRuntimeVersion, e.g. containerd://1.7.22 or cri-o://1.31.1.")
    private @Nullable String runtimeVersion;

    @Option(names = "--artifacts", paramLabel = "PATH",
            description = "Kata artifacts: a directory or a .tar, .tar.gz or .tar.zst holding the content of /opt/kata.")
    private @Nullable Path artifacts;

    @Option(names = "--no-restart", description = "Do not restart the container runtime, even when its config changed.")
    private boolean noRestart;

    @Option(names = "--dry-run", description = "Print the plan as a unified diff; touch nothing.")
    private boolean dryRun;

    @Option(names = "--offline", description = "Do not use the Kubernetes API.")
    private boolean offline;

    @Option(names = "--output", paramLabel = "FORMAT", converter = OutputConverter.class,
            description = "text or json (default: text).")
    private Output output = Output.TEXT;

    @Mixin
    private SpecFlags spec = new SpecFlags();

    /** The host root every host path is resolved under. */
    public Path hostRoot() {
        return hostRoot;
    }

    /**
     * The runtime flavour given with {@code --runtime}, empty for {@code auto}.
     *
     * @throws io.kdeploy.core.InvalidSpecException for an unknown runtime name
     */
    public Optional<Flavour> runtime() {
        return runtime.trim().equalsIgnoreCase("auto") ? Optional.empty() : Optional.of(Flavour.fromId(runtime));
    }

    /** The {@code --runtime} value as given, empty for {@code auto}: a flavour or a configurer id. */
    public Optional<String> runtimeName() {
        String v = runtime.trim();
        return v.isEmpty() || v.equalsIgnoreCase("auto") ? Optional.empty() : Optional.of(v);
    }

    /**
     * The runtime version given with {@code --runtime-version}, parsed.
     *
     * @throws io.kdeploy.core.InvalidSpecException when it is not in {@code containerd://1.7.22} form
     */
    public Optional<RuntimeInfo> runtimeVersion() {
        return runtimeVersion == null || runtimeVersion.isBlank() ? Optional.empty()
                : Optional.of(RuntimeInfo.parse(runtimeVersion));
    }

    /** The artifact source given with {@code --artifacts}. */
    public Optional<Path> artifacts() {
        return Optional.ofNullable(artifacts);
    }

    /** The YAML file given with {@code --config}. */
    public Optional<Path> config() {
        return spec.config();
    }

    /** True with {@code --no-restart}. */
    public boolean noRestart() {
        return noRestart;
    }

    /** True with {@code --dry-run}. */
    public boolean dryRun() {
        return dryRun;
    }

    /** True with {@code --offline}. */
    public boolean offline() {
        return offline;
    }

    /** The {@code --output} format. */
    public Output output() {
        return output;
    }

    /** The spec flags that were given, keyed by kata-deploy's (plain) variable names, for {@link SpecLoader}. */
    public Map<String, String> overrides() {
        return spec.overrides();
    }

    /**
     * Loads the spec from these flags, the process environment and the {@code --config} file, for this machine's architecture.
     *
     * @throws io.kdeploy.core.InvalidSpecException naming the flag's variable, environment variable or YAML key at fault
     */
    public LoadedSpec loadSpec() {
        return loadSpec(System.getenv(), SpecLoader.forCurrentArch());
    }

    /** As {@link #loadSpec()}, with the environment and loader (architecture) given; for tests and embedding. */
    public LoadedSpec loadSpec(Map<String, String> environment, SpecLoader loader) {
        return spec.load(environment, loader);
    }
}
