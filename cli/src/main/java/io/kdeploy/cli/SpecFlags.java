package io.kdeploy.cli;

import io.kdeploy.core.spec.LoadedSpec;
import io.kdeploy.core.spec.SpecKey;
import io.kdeploy.core.spec.SpecLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The deployment spec's flags ({@code --config}, {@code --shims}, {@code --suffix}, …) as a picocli mixin, shared by
 * {@code install}, {@code cleanup} (through {@link SpecOptions}) and {@code manifests}. They become the override layer of
 * {@link SpecLoader}: flags win over the environment, which wins over the {@code --config} YAML file, which wins over
 * kata-deploy's defaults.
 */
public final class SpecFlags {
    @Option(names = "--config", paramLabel = "FILE.yaml",
            description = "Deployment spec YAML file (below flags and environment variables in precedence).")
    private @Nullable Path config;

    @Option(names = "--shims", paramLabel = "SHIMS",
            description = "Shims to register, separated by spaces or commas (overrides SHIMS_<ARCH>).")
    private @Nullable String shims;

    @Option(names = "--default-shim", paramLabel = "SHIM", description = "The default shim (overrides DEFAULT_SHIM_<ARCH>).")
    private @Nullable String defaultShim;

    @Option(names = "--suffix", paramLabel = "S", description = "Multi-install suffix (overrides MULTI_INSTALL_SUFFIX).")
    private @Nullable String suffix;

    @Option(names = "--installation-prefix", paramLabel = "DIR",
            description = "Install Kata under DIR/opt/kata (overrides INSTALLATION_PREFIX).")
    private @Nullable String installationPrefix;

    @Option(names = "--node-name", paramLabel = "NAME", description = "This node's name (overrides NODE_NAME).")
    private @Nullable String nodeName;

    @Option(names = "--daemonset-name", paramLabel = "NAME",
            description = "The owning DaemonSet's name (overrides DAEMONSET_NAME).")
    private @Nullable String daemonSetName;

    @Option(names = "--kata-debug", negatable = true,
            description = "Turn Kata debug on (or off with --no-kata-debug); overrides DEBUG.")
    private @Nullable Boolean kataDebug;

    /** The YAML file given with {@code --config}. */
    public Optional<Path> config() {
        return Optional.ofNullable(config);
    }

    /** The spec flags that were given, keyed by kata-deploy's (plain) variable names, for {@link SpecLoader}. */
    public Map<String, String> overrides() {
        Map<String, String> out = new LinkedHashMap<>();
        if (shims != null) {
            out.put(SpecKey.SHIMS.baseName(), shims.replace(',', ' '));
        }
        put(out, SpecKey.DEFAULT_SHIM, defaultShim);
        put(out, SpecKey.MULTI_INSTALL_SUFFIX, suffix);
        put(out, SpecKey.INSTALLATION_PREFIX, installationPrefix);
        put(out, SpecKey.NODE_NAME, nodeName);
        put(out, SpecKey.DAEMONSET_NAME, daemonSetName);
        if (kataDebug != null) {
            out.put(SpecKey.DEBUG.baseName(), kataDebug.toString());
        }
        return out;
    }

    private static void put(Map<String, String> out, SpecKey key, @Nullable String value) {
        if (value != null) {
            out.put(key.baseName(), value);
        }
    }

    /**
     * Loads the spec from these flags, {@code environment} and the {@code --config} file with {@code loader} (which fixes
     * the architecture and its defaults).
     *
     * @throws io.kdeploy.core.InvalidSpecException naming the flag's variable, environment variable or YAML key at fault
     */
    public LoadedSpec load(Map<String, String> environment, SpecLoader loader) {
        return loader.load(overrides(), environment, config);
    }
}
