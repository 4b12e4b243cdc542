package io.kdeploy.core.spec;

import io.kdeploy.core.InvalidSpecException;
import java.util.List;
import java.util.Locale;

/**
 * A CPU architecture Kata ships for, naming the {@code <ARCH>} suffix of kata-deploy's per-architecture variables
 * ({@code SHIMS_X86_64}) and carrying kata-deploy's default shim list for it.
 */
public enum Arch {
    X86_64("clh clh-runtime-rs dragonball fc qemu qemu-coco-dev qemu-coco-dev-runtime-rs qemu-runtime-rs qemu-nvidia-cpu"
            + " qemu-nvidia-cpu-runtime-rs qemu-nvidia-gpu qemu-nvidia-gpu-runtime-rs qemu-nvidia-gpu-snp"
            + " qemu-nvidia-gpu-snp-runtime-rs qemu-nvidia-gpu-tdx qemu-nvidia-gpu-tdx-runtime-rs qemu-snp qemu-snp-runtime-rs"
            + " qemu-tdx qemu-tdx-runtime-rs"),
    AARCH64("clh clh-runtime-rs dragonball fc qemu qemu-coco-dev-runtime-rs qemu-runtime-rs qemu-nvidia-cpu"
            + " qemu-nvidia-cpu-runtime-rs qemu-nvidia-gpu"),
    S390X("qemu qemu-runtime-rs qemu-se qemu-se-runtime-rs qemu-coco-dev qemu-coco-dev-runtime-rs"),
    PPC64LE("qemu qemu-runtime-rs");

    private final List<String> defaultShims;

    Arch(String defaultShims) {
        this.defaultShims = List.of(defaultShims.split(" "));
    }

    /**
     * The architecture of a Java {@code os.arch} value: {@code amd64}/{@code x86_64} → {@link #X86_64}, {@code aarch64}/{@code arm64}
     * → {@link #AARCH64}, {@code s390x} → {@link #S390X}, {@code ppc64le} → {@link #PPC64LE}.
     *
     * @throws InvalidSpecException for any other architecture
     */
    public static Arch fromOsArch(String osArch) {
        switch (osArch.trim().toLowerCase(Locale.ROOT)) {
            case "amd64":
            case "x86_64":
            case "x86-64":
                return X86_64;
            case "aarch64":
            case "arm64":
                return AARCH64;
            case "s390x":
                return S390X;
            case "ppc64le":
            case "powerpc64le":
                return PPC64LE;
            default:
                throw new InvalidSpecException("Architecture '" + osArch + "' (os.arch) is not one Kata Containers ships for."
                        + " kdeploy runs on amd64 (x86_64), aarch64 (arm64), s390x and ppc64le.");
        }
    }

    /** The architecture this JVM runs on, from the {@code os.arch} system property. */
    public static Arch current() {
        return fromOsArch(System.getProperty("os.arch", ""));
    }

    /** The suffix of the per-architecture variables, e.g. {@code X86_64} in {@code SHIMS_X86_64}. */
    public String envSuffix() {
        return name();
    }

    /** kata-deploy's default {@code SHIMS_<ARCH>} for this architecture ({@code get_default_shims_for_arch}). */
    public List<String> defaultShims() {
        return defaultShims;
    }

    /** kata-deploy's default {@code DEFAULT_SHIM_<ARCH>}: {@code qemu-runtime-rs} on every architecture Kata ships for. */
    public String defaultShim() {
        return "qemu-runtime-rs";
    }
}
