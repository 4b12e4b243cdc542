package io.kdeploy.cri.containerd;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.Flavour;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.Version;
import io.kdeploy.core.spi.NodeFiles;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Tells which containerd flavour runs on a node, from the runtime version and the host's files (systemd unit files under the
 * host root). Pure: it reads only the {@link NodeFiles} it is given.
 *
 * <p>The order is kata-deploy's ({@code manager.rs::get_container_runtime}): microk8s, then rke2-agent, rke2-server, k3s-agent,
 * k3s, then k0scontroller, k0sworker, then the version string. kata-deploy asks systemd which unit is active; from files alone
 * an enabled unit (a link in {@code /etc/systemd/system/*.wants/}) counts first, then an installed unit file, then the
 * flavour's own configuration directory.
 */
final class FlavourDetector {
    /** Where unit files live, in systemd's order of precedence. */
    static final List<String> UNIT_DIRS = List.of("/etc/systemd/system", "/run/systemd/system",
            "/usr/local/lib/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system");

    private static final String SYSTEMD_ETC = "/etc/systemd/system";

    /** Units in kata-deploy's detection order, with the flavour each one means. */
    private static final List<Candidate> UNITS = List.of(
            new Candidate("snap.microk8s.daemon-containerd", Flavour.MICROK8S),
            new Candidate("rke2-agent", Flavour.RKE2),
            new Candidate("rke2-server", Flavour.RKE2),
            new Candidate("k3s-agent", Flavour.K3S),
            new Candidate("k3s", Flavour.K3S),
            new Candidate("k0scontroller", Flavour.K0S),
            new Candidate("k0sworker", Flavour.K0S));

    private FlavourDetector() {}

    private record Candidate(String unit, Flavour flavour) {}

    /**
     * What the host shows: the flavour, the systemd unit that runs containerd for it ({@code null} for k0s, which reloads its
     * drop-ins by itself) and the file that gave it away.
     */
    record Detection(Flavour flavour, @Nullable String restartUnit, String evidence) {
        Detection {
            requireNonNull(flavour, "flavour");
            requireNonNull(evidence, "evidence");
        }
    }

    /** The distribution the host's files show (k3s, rke2, k0s, microk8s), or empty for plain containerd or no sign at all. */
    static Optional<Detection> distribution(NodeFiles files) {
        for (Candidate c : UNITS) {
            Optional<String> link = enabledLink(files, c.unit());
            if (link.isPresent()) {
                return Optional.of(new Detection(c.flavour(), unitFor(c), link.get()));
            }
        }
        for (Candidate c : UNITS) {
            Optional<String> unitFile = unitFile(files, c.unit());
            if (unitFile.isPresent()) {
                return Optional.of(new Detection(c.flavour(), unitFor(c), unitFile.get()));
            }
        }
        for (Flavour f : List.of(Flavour.MICROK8S, Flavour.RKE2, Flavour.K3S)) {
            String marker = ContainerdPaths.versionSource(f);
            if (files.read(marker).isPresent()) {
                return Optional.of(new Detection(f, defaultUnit(f), marker));
            }
        }
        if (files.read(ContainerdPaths.K0S_CONFIG).isPresent()) {
            return Optional.of(new Detection(Flavour.K0S, null, ContainerdPaths.K0S_CONFIG));
        }
        return Optional.empty();
    }

    /**
     * The runtime of the node for {@code --runtime auto}: the host's distribution wins (k3s v1.34+ reports
     * {@code containerd://2.2.2-bd1.34} without "k3s" in it); otherwise the version string's flavour
     * ({@code -k3s1} → k3s, {@code -rke2r1} → rke2); otherwise plain containerd when its config, unit or binary is there.
     * Without a version string the version is inferred from the config file's schema version (3 → 2.0, or 2.2 when the file
     * imports {@code /etc/containerd/conf.d}; 2 → 1.7; none → 1.6).
     *
     * @return empty when nothing on the host or in the version string says containerd
     */
    static Optional<RuntimeInfo> detect(@Nullable String runtimeVersion, NodeFiles files) {
        RuntimeInfo given = runtimeVersion == null || runtimeVersion.isBlank() ? null : RuntimeInfo.parse(runtimeVersion);
        if (given != null && given.flavour() == Flavour.CRIO) {
            return Optional.of(given);
        }
        Optional<Detection> host = distribution(files);
        Flavour flavour;
        if (host.isPresent()) {
            flavour = host.get().flavour();
        } else if (given != null) {
            flavour = given.flavour();
        } else if (files.read(ContainerdPaths.CONTAINERD_MAIN).isPresent() || unitFile(files, "containerd").isPresent()
                || ContainerdPaths.containerdBinary(files).isPresent()) {
            flavour = Flavour.CONTAINERD;
        } else {
            return Optional.empty();
        }
        Version version = given != null ? given.version() : versionFromConfig(flavour, files);
        return Optional.of(new RuntimeInfo(flavour, version));
    }

    /**
     * Fails when the declared flavour contradicts the host: another distribution's units or files are there, or a declared
     * distribution has left no trace on the host.
     *
     * @throws InvalidSpecException naming the evidence and the flag to use
     */
    static void verifyDeclared(Flavour declared, NodeFiles files) {
        Optional<Detection> host = distribution(files);
        if (host.isPresent() && host.get().flavour() != declared) {
            throw new InvalidSpecException("The runtime was given as '" + declared.id() + "' but this host runs "
                    + host.get().flavour().id() + " (found " + host.get().evidence() + "). Configuring " + declared.id()
                    + " here would write a file nobody reads. Use --runtime " + host.get().flavour().id()
                    + " (or --runtime auto), or remove the stale " + host.get().evidence() + " if "
                    + host.get().flavour().id() + " was uninstalled.");
        }
        if (host.isEmpty() && declared != Flavour.CONTAINERD && declared != Flavour.CRIO) {
            throw new InvalidSpecException("The runtime was given as '" + declared.id() + "' but the host shows no "
                    + declared.id() + ": no " + declared.id() + " systemd unit in " + String.join(", ", UNIT_DIRS)
                    + " and no " + ContainerdPaths.versionSource(declared) + " under the host root. Check --host-root, or use"
                    + " --runtime auto to detect the runtime.");
        }
    }

    /** The unit to restart for a flavour on this host: the agent or server unit that the host has, else the usual one. */
    static @Nullable String restartUnit(Flavour flavour, NodeFiles files) {
        Optional<Detection> host = distribution(files);
        if (host.isPresent() && host.get().flavour() == flavour) {
            return host.get().restartUnit();
        }
        return defaultUnit(flavour);
    }

    private static @Nullable String unitFor(Candidate c) {
        return c.flavour() == Flavour.K0S ? null : c.unit();
    }

    private static @Nullable String defaultUnit(Flavour f) {
        switch (f) {
            case CONTAINERD:
                return "containerd";
            case K3S:
                return "k3s";
            case RKE2:
                return "rke2-server";
            case MICROK8S:
                return "snap.microk8s.daemon-containerd";
            case CRIO:
                return "crio";
            case K0S:
            default:
                return null;
        }
    }

    private static Optional<String> enabledLink(NodeFiles files, String unit) {
        String name = unit + ".service";
        for (String entry : files.list(SYSTEMD_ETC)) {
            if (entry.endsWith(".wants")) {
                String link = SYSTEMD_ETC + "/" + entry + "/" + name;
                if (files.exists(link)) {
                    return Optional.of(link);
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> unitFile(NodeFiles files, String unit) {
        for (String dir : UNIT_DIRS) {
            String path = dir + "/" + unit + ".service";
            if (files.exists(path)) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }

    private static Version versionFromConfig(Flavour flavour, NodeFiles files) {
        String path = ContainerdPaths.versionSource(flavour);
        ConfigVersion cv = ConfigVersion.of(path, files.read(path).orElse(null));
        if (cv.schema() >= 3) {
            return cv.importsDir(ContainerdPaths.CONF_D) ? new Version(2, 2, 0) : new Version(2, 0, 0);
        }
        return cv.schema() == 2 ? new Version(1, 7, 0) : new Version(1, 6, 0);
    }
}
