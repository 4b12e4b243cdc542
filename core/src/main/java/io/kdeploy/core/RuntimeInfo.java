package io.kdeploy.core;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * The container runtime of a node: its flavour and version, as parsed from {@code Node.status.nodeInfo.containerRuntimeVersion}
 * ({@code containerd://1.7.22}, {@code containerd://1.7.22-k3s1}, {@code containerd://1.7.22-rke2r1}, {@code cri-o://1.31.1}).
 */
public record RuntimeInfo(Flavour flavour, Version version) {
    public RuntimeInfo {
        requireNonNull(flavour, "flavour");
        requireNonNull(version, "version");
    }

    /** Parses the {@code containerRuntimeVersion} form; k3s and rke2 are recognised by their version suffix. */
    public static RuntimeInfo parse(String runtimeVersion) {
        String v = runtimeVersion.trim();
        int sep = v.indexOf("://");
        if (sep <= 0 || sep + 3 >= v.length()) {
            throw new InvalidSpecException("Runtime version '" + runtimeVersion + "' is not in the form <runtime>://<version>,"
                    + " e.g. containerd://1.7.22 or cri-o://1.31.1 (as in Node.status.nodeInfo.containerRuntimeVersion).");
        }
        String scheme = v.substring(0, sep).toLowerCase(Locale.ROOT);
        String ver = v.substring(sep + 3);
        Version version = Version.parse(ver);
        switch (scheme) {
            case "containerd":
                if (ver.contains("-k3s")) {
                    return new RuntimeInfo(Flavour.K3S, version);
                }
                if (ver.contains("-rke2")) {
                    return new RuntimeInfo(Flavour.RKE2, version);
                }
                return new RuntimeInfo(Flavour.CONTAINERD, version);
            case "cri-o":
            case "crio":
                return new RuntimeInfo(Flavour.CRIO, version);
            default:
                throw new InvalidSpecException("Runtime '" + scheme + "' in '" + runtimeVersion + "' is not supported."
                        + " kdeploy configures containerd (and k3s, rke2, k0s, microk8s) and cri-o.");
        }
    }

    /** The {@code containerRuntimeVersion} form of this value, e.g. {@code containerd://1.7.22}. */
    public String toRuntimeVersion() {
        return (flavour == Flavour.CRIO ? "cri-o" : "containerd") + "://" + version;
    }
}
