package io.kdeploy.core;

import java.util.Locale;
import java.util.Optional;

/** The container runtime families and distributions kdeploy knows how to configure. */
public enum Flavour {
    CONTAINERD("containerd"),
    K3S("k3s"),
    RKE2("rke2"),
    K0S("k0s"),
    MICROK8S("microk8s"),
    CRIO("crio");

    private final String id;

    Flavour(String id) {
        this.id = id;
    }

    /** The lowercase name used on the command line ({@code --runtime}). */
    public String id() {
        return id;
    }

    /** True for every flavour that runs containerd underneath. */
    public boolean isContainerd() {
        return this != CRIO;
    }

    /** Parses a {@code --runtime} value; {@code cri-o} is accepted for {@code crio}. */
    public static Flavour fromId(String id) {
        return find(id).orElseThrow(() -> new InvalidSpecException("Unknown runtime '" + id + "'. Use one of: containerd, crio, k3s, rke2, k0s, microk8s"
                + " (or auto to detect it)."));
    }

    /** The flavour with this {@code --runtime} name ({@code cri-o} for {@code crio}), empty when none has it. */
    public static Optional<Flavour> find(String id) {
        String v = id.trim().toLowerCase(Locale.ROOT);
        if (v.equals("cri-o")) {
            return Optional.of(CRIO);
        }
        for (Flavour f : values()) {
            if (f.id.equals(v)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
