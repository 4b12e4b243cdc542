package io.kdeploy.core;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The kata-deploy settings beyond the per-shim ones of {@link DeploySpec}: debug-kit variants, the user's containerd
 * drop-in, the containerd config file name, the declared distribution, the health port and the snapshotters to set up.
 * Immutable; {@code ""} means "not set".
 *
 * @param devkit {@code DEVKIT=true}: with {@code DEBUG=true} every shim also gets a {@code kata-<shim>[-<sfx>]-devkit}
 *     handler (kata-deploy ignores it without {@code DEBUG}, and so does {@link DeploySpec#variants})
 * @param userDropInSource the node or container path the user's containerd drop-in was read from
 *     ({@code CONTAINERD_USER_DROP_IN_SOURCE_FILE}), {@code ""} for none; only for messages
 * @param userDropIn the content of that file, copied beside this install's drop-in; {@code ""} when none is given
 * @param containerdConfigFileName {@code CONTAINERD_CONFIG_FILE_NAME}: the main config's bare file name under
 *     {@code /etc/containerd}, {@code config.toml} by default
 * @param k8sDistribution {@code K8S_DISTRIBUTION} ({@code k8s}, {@code k3s}, {@code rke2}, {@code k0s}, {@code microk8s},
 *     …), {@code ""} when not declared; cross-checked against the detected flavour
 * @param healthPort {@code HEALTH_PORT}, the agent's {@code /healthz} and {@code /readyz} port (1–65535)
 * @param setupSnapshotters {@code EXPERIMENTAL_SETUP_SNAPSHOTTER}: a subset of {@code nydus} and {@code erofs}
 * @param erofs the {@code EROFS_*} modes (only used when {@code erofs} is set up)
 * @param customRuntimes {@code CUSTOM_RUNTIMES_ENABLED}: the runtimes of {@code custom-runtimes.list}, in file order
 */
public record KataExtras(
        boolean devkit,
        String userDropInSource,
        String userDropIn,
        String containerdConfigFileName,
        String k8sDistribution,
        int healthPort,
        Set<String> setupSnapshotters,
        Erofs erofs,
        List<CustomRuntime> customRuntimes) {

    /** kata-deploy's defaults: no devkit, no user drop-in, {@code config.toml}, no declared distribution, port 8090. */
    public static final KataExtras NONE = new KataExtras(false, "", "", "config.toml", "", 8090, Set.of(), Erofs.DEFAULT,
            List.of());

    /** The snapshotters {@code EXPERIMENTAL_SETUP_SNAPSHOTTER} may name. */
    public static final Set<String> SNAPSHOTTERS = Set.of("nydus", "erofs");

    private static final Pattern DISTRIBUTION = Pattern.compile("[a-z0-9][-a-z0-9]*");

    public KataExtras {
        requireNonNull(userDropInSource, "userDropInSource");
        requireNonNull(userDropIn, "userDropIn");
        requireNonNull(containerdConfigFileName, "containerdConfigFileName");
        requireNonNull(k8sDistribution, "k8sDistribution");
        setupSnapshotters = Set.copyOf(new TreeSet<>(requireNonNull(setupSnapshotters, "setupSnapshotters")));
        requireNonNull(erofs, "erofs");
        customRuntimes = List.copyOf(requireNonNull(customRuntimes, "customRuntimes"));
        Set<String> handlers = new TreeSet<>();
        for (CustomRuntime r : customRuntimes) {
            if (!handlers.add(r.handler())) {
                throw new InvalidSpecException("custom-runtimes.list names handler '" + r.handler() + "' twice. Keep one"
                        + " line per handler.");
            }
        }
        checkFileName(containerdConfigFileName);
        if (!k8sDistribution.isEmpty() && !DISTRIBUTION.matcher(k8sDistribution).matches()) {
            throw new InvalidSpecException("K8S_DISTRIBUTION '" + k8sDistribution + "' is not valid: use a lowercase name"
                    + " such as k8s, k3s, rke2, k0s or microk8s.");
        }
        if (healthPort < 1 || healthPort > 65535) {
            throw new InvalidSpecException("HEALTH_PORT " + healthPort + " is not a TCP port: use a number from 1 to 65535"
                    + " (default 8090).");
        }
        for (String s : setupSnapshotters) {
            if (!SNAPSHOTTERS.contains(s)) {
                throw new InvalidSpecException("EXPERIMENTAL_SETUP_SNAPSHOTTER names '" + s + "', which kdeploy cannot set"
                        + " up. Use nydus, erofs or both, separated by commas.");
            }
        }
    }

    /** Settings without custom runtimes (the record before they existed). */
    public KataExtras(boolean devkit, String userDropInSource, String userDropIn, String containerdConfigFileName,
            String k8sDistribution, int healthPort, Set<String> setupSnapshotters, Erofs erofs) {
        this(devkit, userDropInSource, userDropIn, containerdConfigFileName, k8sDistribution, healthPort, setupSnapshotters,
                erofs, List.of());
    }

    /**
     * Checks a {@code CONTAINERD_CONFIG_FILE_NAME}: a bare file name, no path separator, not {@code .} or {@code ..}.
     *
     * @throws InvalidSpecException naming the value and the fix
     */
    public static void checkFileName(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\\")
                || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidSpecException("CONTAINERD_CONFIG_FILE_NAME '" + name + "' is not a bare file name. Give only"
                    + " the name of the main containerd config inside /etc/containerd, e.g. config.toml; no '/', '.' or '..'.");
        }
    }

    /**
     * Checks the detected flavour against {@code K8S_DISTRIBUTION}, as kata-deploy does: {@code k3s}, {@code rke2},
     * {@code k0s} and {@code microk8s} must run that flavour, any other value plain containerd or CRI-O; CRI-O is never
     * refused (kata-deploy skips the check for it). Nothing to check when no distribution is declared.
     *
     * @throws InvalidSpecException naming both and the fix, when they disagree
     */
    public void checkDistribution(Flavour detected) {
        if (k8sDistribution.isEmpty() || detected == Flavour.CRIO) {
            return;
        }
        Flavour expected;
        switch (k8sDistribution) {
            case "k3s":
                expected = Flavour.K3S;
                break;
            case "rke2":
                expected = Flavour.RKE2;
                break;
            case "k0s":
                expected = Flavour.K0S;
                break;
            case "microk8s":
                expected = Flavour.MICROK8S;
                break;
            default:
                expected = Flavour.CONTAINERD;
                break;
        }
        if (expected != detected) {
            String fix = detected == Flavour.CONTAINERD ? "k8s" : detected.id();
            throw new InvalidSpecException("K8S_DISTRIBUTION is '" + k8sDistribution + "' but this node runs "
                    + detected.id() + ", so kdeploy would configure " + expected.id() + "'s files, which " + detected.id()
                    + " never reads. Set K8S_DISTRIBUTION (Helm: k8sDistribution) to \"" + fix + "\", or unset it and let"
                    + " kdeploy detect the runtime.");
        }
    }

    /** These settings with {@code DEVKIT} on or off. */
    public KataExtras withDevkit(boolean on) {
        return new KataExtras(on, userDropInSource, userDropIn, containerdConfigFileName, k8sDistribution, healthPort,
                setupSnapshotters, erofs, customRuntimes);
    }

    /** These settings with a user containerd drop-in ({@code source} for messages, {@code content} to copy). */
    public KataExtras withUserDropIn(String source, String content) {
        return new KataExtras(devkit, source, content, containerdConfigFileName, k8sDistribution, healthPort,
                setupSnapshotters, erofs, customRuntimes);
    }

    /** These settings with snapshotters to set up and erofs modes. */
    public KataExtras withSnapshotters(Set<String> setup, Erofs modes) {
        return new KataExtras(devkit, userDropInSource, userDropIn, containerdConfigFileName, k8sDistribution, healthPort,
                setup, modes, customRuntimes);
    }

    /** These settings with these custom runtimes. */
    public KataExtras withCustomRuntimes(List<CustomRuntime> runtimes) {
        return new KataExtras(devkit, userDropInSource, userDropIn, containerdConfigFileName, k8sDistribution, healthPort,
                setupSnapshotters, erofs, runtimes);
    }

    /** True when {@code EXPERIMENTAL_SETUP_SNAPSHOTTER} names {@code snapshotter}. */
    public boolean setsUp(String snapshotter) {
        return setupSnapshotters.contains(snapshotter);
    }

    /** True when a user containerd drop-in is given. */
    public boolean hasUserDropIn() {
        return !userDropInSource.isEmpty();
    }

    /**
     * The {@code EROFS_*} settings.
     *
     * @param merged {@code EROFS_MERGE_MODE=merged} (the default) rather than {@code unmerged}
     * @param memory {@code EROFS_SNAPSHOTTER_MODE=memory} rather than {@code disk} (the default)
     * @param dmverity {@code EROFS_DMVERITY=dmverity}
     */
    public record Erofs(boolean merged, boolean memory, boolean dmverity) {
        /** Merged, on disk, no dm-verity. */
        public static final Erofs DEFAULT = new Erofs(true, false, false);
    }
}
