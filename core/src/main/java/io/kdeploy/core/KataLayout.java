package io.kdeploy.core;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * Where an install's Kata files live on the node (node paths, never prefixed by the host root). The artifact installer writes
 * these paths and the configurers point the runtime at them; both ask this type instead of building strings.
 */
public record KataLayout(DeploySpec spec) {
    /** The shims kata-deploy runs with the Rust runtime ({@code runtime-rs}) rather than the Go one. */
    private static final Set<String> RUST_ONLY = Set.of("dragonball", "cloud-hypervisor");

    public KataLayout {
        requireNonNull(spec, "spec");
    }

    /** True when the shim runs on the Rust runtime: {@code *-runtime-rs}, {@code dragonball} and {@code cloud-hypervisor}. */
    public static boolean isRustShim(String shim) {
        return shim.endsWith("-runtime-rs") || RUST_ONLY.contains(shim);
    }

    /** {@code <prefix>/opt/kata[-<suffix>]}. */
    public String dest() {
        return spec.destDir();
    }

    /** The shim binary a handler runs: {@code <dest>/bin/…} for Go shims, {@code <dest>/runtime-rs/bin/…} for Rust shims. */
    public String shimBinary(String shim) {
        return dest() + (isRustShim(shim) ? "/runtime-rs" : "") + "/bin/containerd-shim-kata-v2";
    }

    /** The directory of the shipped base configurations: {@code <dest>/share/defaults/kata-containers[/runtime-rs]}. */
    public String defaultsDir(String shim) {
        return dest() + "/share/defaults/kata-containers" + (isRustShim(shim) ? "/runtime-rs" : "");
    }

    /** The per-shim directory: {@code <defaults>/runtimes/<shim>}. */
    public String runtimeDir(String shim) {
        return defaultsDir(shim) + "/runtimes/" + shim;
    }

    /** The per-shim configuration file the runtime is pointed at. */
    public String configPath(String shim) {
        return runtimeDir(shim) + "/configuration-" + shim + ".toml";
    }

    /**
     * The isolated directory of a custom runtime or handler variant, as kata-deploy lays it out (Go and Rust shims alike):
     * {@code <dest>/share/defaults/kata-containers/custom-runtimes/<handler>}.
     */
    public String customRuntimeDir(String handler) {
        return dest() + "/share/defaults/kata-containers/custom-runtimes/" + handler;
    }

    /** The configuration a variant handler ({@link DeploySpec#variants}) is pointed at: its own copy of the shim's. */
    public String variantConfigPath(String shim, String variant) {
        return customRuntimeDir(spec.variantHandler(shim, variant)) + "/configuration-" + shim + ".toml";
    }

    /** The configuration a custom runtime is pointed at: {@code custom-runtimes/<handler>/configuration-<baseShim>.toml}. */
    public String customConfigPath(CustomRuntime runtime) {
        return customRuntimeDir(runtime.handler()) + "/configuration-" + runtime.baseShim() + ".toml";
    }
}
