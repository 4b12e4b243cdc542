package io.kdeploy.core;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What to install on a node, validated: an immutable value built by {@code io.kdeploy.core.spec.SpecLoader} from flags,
 * kata-deploy's environment variables and a YAML file. Empty strings mean "not set".
 *
 * @param shims the enabled shims, e.g. {@code qemu clh qemu-runtime-rs}; handler names are {@code kata-<shim>[-<suffix>]}
 * @param defaultShim one of {@code shims}
 * @param suffix the multi-install suffix ({@code MULTI_INSTALL_SUFFIX}), {@code ""} for the default instance
 * @param installationPrefix {@code INSTALLATION_PREFIX}, {@code ""} or an absolute path
 * @param debug {@code DEBUG=true}
 * @param snapshotterMapping shim to snapshotter ({@code SNAPSHOTTER_HANDLER_MAPPING}), as written by the user ({@code nydus}, not yet suffixed)
 * @param pullTypeMapping shim to pull type ({@code PULL_TYPE_MAPPING}), e.g. {@code guest-pull}
 * @param forceGuestPull shims with {@code EXPERIMENTAL_FORCE_GUEST_PULL}
 * @param hypervisorAnnotations {@code ALLOWED_HYPERVISOR_ANNOTATIONS}: values are comma-separated annotation lists; as
 *     {@code SpecLoader} builds it, each per-shim list already includes the annotations given for every shim
 * @param agentHttpsProxy {@code AGENT_HTTPS_PROXY}
 * @param agentNoProxy {@code AGENT_NO_PROXY}
 * @param daemonSetName {@code DAEMONSET_NAME}, the exact name of the owning DaemonSet
 * @param nodeName {@code NODE_NAME}, {@code ""} when running without a cluster
 * @param extras the other kata-deploy settings (devkit, user containerd drop-in, config file name, distribution, health
 *     port, snapshotter setup); {@link KataExtras#NONE} for kata-deploy's defaults
 */
public record DeploySpec(
        List<String> shims,
        String defaultShim,
        String suffix,
        String installationPrefix,
        boolean debug,
        Map<String, String> snapshotterMapping,
        Map<String, String> pullTypeMapping,
        Set<String> forceGuestPull,
        PerShim hypervisorAnnotations,
        PerShim agentHttpsProxy,
        PerShim agentNoProxy,
        String daemonSetName,
        String nodeName,
        KataExtras extras) {

    /** The variant {@code DEBUG=true} adds: guest and runtime debug on, in separate handlers. */
    public static final String DEBUG_VARIANT = "debug";
    /** The variant {@code DEVKIT=true} (with {@code DEBUG}) adds: the debug variant plus the devkit guest extension. */
    public static final String DEVKIT_VARIANT = "devkit";

    private static final Pattern SUFFIX = Pattern.compile("[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?");
    private static final Pattern SHIM = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    public DeploySpec {
        shims = List.copyOf(requireNonNull(shims, "shims"));
        requireNonNull(defaultShim, "defaultShim");
        requireNonNull(suffix, "suffix");
        requireNonNull(installationPrefix, "installationPrefix");
        snapshotterMapping = Map.copyOf(new TreeMap<>(requireNonNull(snapshotterMapping, "snapshotterMapping")));
        pullTypeMapping = Map.copyOf(new TreeMap<>(requireNonNull(pullTypeMapping, "pullTypeMapping")));
        forceGuestPull = Set.copyOf(requireNonNull(forceGuestPull, "forceGuestPull"));
        requireNonNull(hypervisorAnnotations, "hypervisorAnnotations");
        requireNonNull(agentHttpsProxy, "agentHttpsProxy");
        requireNonNull(agentNoProxy, "agentNoProxy");
        requireNonNull(daemonSetName, "daemonSetName");
        requireNonNull(nodeName, "nodeName");
        requireNonNull(extras, "extras");
        if (shims.isEmpty()) {
            throw new InvalidSpecException("No shim is enabled. Set SHIMS_<ARCH> (e.g. SHIMS_X86_64=\"qemu clh\") or shims: in"
                    + " the YAML config.");
        }
        for (String shim : shims) {
            if (!SHIM.matcher(shim).matches()) {
                throw new InvalidSpecException("Shim name '" + shim + "' is not valid: use lowercase letters, digits and '-'.");
            }
        }
        if (!shims.contains(defaultShim)) {
            throw new InvalidSpecException("Default shim '" + defaultShim + "' is not among the enabled shims " + shims
                    + ". Set DEFAULT_SHIM_<ARCH> to one of them or add it to SHIMS_<ARCH>.");
        }
        if (!suffix.isEmpty() && !SUFFIX.matcher(suffix).matches()) {
            throw new InvalidSpecException("MULTI_INSTALL_SUFFIX '" + suffix + "' is not valid: use 1-32 lowercase letters,"
                    + " digits and '-', starting and ending with a letter or digit (it becomes part of label keys and file names).");
        }
        for (CustomRuntime r : extras.customRuntimes()) {
            if (!shims.contains(r.baseShim())) {
                throw new InvalidSpecException("Custom runtime '" + r.handler() + "' is based on shim '" + r.baseShim()
                        + "', which is not among the enabled shims " + shims + ". Add it to SHIMS_<ARCH> (its binary and"
                        + " configuration are installed only for enabled shims) or change the base in custom-runtimes.list.");
            }
        }
        Set<String> own = new java.util.HashSet<>();
        String dash = suffix.isEmpty() ? "" : "-" + suffix;
        for (String shim : shims) {
            own.add("kata-" + shim + dash);
            own.add("kata-" + shim + dash + "-" + DEBUG_VARIANT);
            own.add("kata-" + shim + dash + "-" + DEVKIT_VARIANT);
        }
        for (CustomRuntime r : extras.customRuntimes()) {
            if (own.contains(r.handler())) {
                throw new InvalidSpecException("Custom runtime handler '" + r.handler() + "' is already the handler of an"
                        + " enabled shim or its debug variant. Give the custom runtime another name in custom-runtimes.list.");
            }
        }
        if (!installationPrefix.isEmpty() && (!installationPrefix.startsWith("/") || installationPrefix.contains("..")
                || installationPrefix.endsWith("/"))) {
            throw new InvalidSpecException("INSTALLATION_PREFIX '" + installationPrefix + "' must be an absolute path without"
                    + " '..' and without a trailing '/', e.g. /usr/local.");
        }
    }

    /** A spec with kata-deploy's defaults for every {@link KataExtras} setting (the record before those settings existed). */
    public DeploySpec(List<String> shims, String defaultShim, String suffix, String installationPrefix, boolean debug,
            Map<String, String> snapshotterMapping, Map<String, String> pullTypeMapping, Set<String> forceGuestPull,
            PerShim hypervisorAnnotations, PerShim agentHttpsProxy, PerShim agentNoProxy, String daemonSetName,
            String nodeName) {
        this(shims, defaultShim, suffix, installationPrefix, debug, snapshotterMapping, pullTypeMapping, forceGuestPull,
                hypervisorAnnotations, agentHttpsProxy, agentNoProxy, daemonSetName, nodeName, KataExtras.NONE);
    }

    /** The install instance name: the suffix, or {@code default}. Names the install record and the node mark. */
    public String instance() {
        return suffix.isEmpty() ? "default" : suffix;
    }

    /** {@code -<suffix>} or {@code ""}: appended to every file, unit and handler name this install owns. */
    public String dashSuffix() {
        return suffix.isEmpty() ? "" : "-" + suffix;
    }

    /** The runtime handler name of a shim: {@code kata-<shim>[-<suffix>]}. */
    public String handler(String shim) {
        return "kata-" + shim + dashSuffix();
    }

    /**
     * Every handler of this spec: the shims' handlers in shim order, then each shim's variant handlers
     * ({@link #variantHandler}) in the same order, then the custom runtimes' handlers.
     */
    public List<String> handlers() {
        List<String> out = new ArrayList<>();
        shims.forEach(s -> out.add(handler(s)));
        for (String variant : variants()) {
            shims.forEach(s -> out.add(variantHandler(s, variant)));
        }
        extras.customRuntimes().forEach(r -> out.add(r.handler()));
        return List.copyOf(out);
    }

    /**
     * The handler variants every shim also gets, as kata-deploy synthesises them: {@code debug} with {@code DEBUG=true},
     * and {@code devkit} too when {@code DEVKIT=true} (ignored without {@code DEBUG}).
     */
    public List<String> variants() {
        if (!debug) {
            return List.of();
        }
        return extras.devkit() ? List.of(DEBUG_VARIANT, DEVKIT_VARIANT) : List.of(DEBUG_VARIANT);
    }

    /** A variant's handler: {@code kata-<shim>[-<suffix>]-<variant>}, e.g. {@code kata-qemu-blue-debug}. */
    public String variantHandler(String shim, String variant) {
        return handler(shim) + "-" + variant;
    }

    /** This install's node mark label key: {@code kata-deploy.katacontainers.io/<instance>}. */
    public String nodeMarkLabel() {
        return "kata-deploy.katacontainers.io/" + instance();
    }

    /** The node path of the Kata install: {@code <prefix>/opt/kata[-<suffix>]}. */
    public String destDir() {
        return installationPrefix + "/opt/kata" + dashSuffix();
    }

    /** The snapshotter a shim's handler uses, with {@code nydus} renamed to this install's proxy plugin; {@code ""} for none. */
    public String snapshotterFor(String shim) {
        return snapshotterName(snapshotterMapping.getOrDefault(shim, ""));
    }

    /** A snapshotter as configured, with {@code nydus} renamed to this install's {@code nydus-for-kata-tee[-<suffix>]}. */
    public String snapshotterName(String snapshotter) {
        return snapshotter.equals("nydus") ? "nydus-for-kata-tee" + dashSuffix() : snapshotter;
    }

    /** True when the shim is mapped to {@code guest-pull}. */
    public boolean guestPull(String shim) {
        return "guest-pull".equals(pullTypeMapping.get(shim));
    }

    /** A spec with only these shims and defaults for everything else; handy in tests and examples. */
    public static DeploySpec of(String... shims) {
        return new DeploySpec(List.of(shims), shims.length == 0 ? "" : shims[0], "", "", false, Map.of(), Map.of(), Set.of(),
                PerShim.NONE, PerShim.NONE, PerShim.NONE, "kata-deploy", "", KataExtras.NONE);
    }

    /** This spec with another multi-install suffix. */
    public DeploySpec withSuffix(String newSuffix) {
        return new DeploySpec(shims, defaultShim, newSuffix, installationPrefix, debug, snapshotterMapping, pullTypeMapping,
                forceGuestPull, hypervisorAnnotations, agentHttpsProxy, agentNoProxy,
                newSuffix.isEmpty() ? "kata-deploy" : "kata-deploy-" + newSuffix, nodeName, extras);
    }

    /** This spec with debug on or off. */
    public DeploySpec withDebug(boolean on) {
        return new DeploySpec(shims, defaultShim, suffix, installationPrefix, on, snapshotterMapping, pullTypeMapping,
                forceGuestPull, hypervisorAnnotations, agentHttpsProxy, agentNoProxy, daemonSetName, nodeName, extras);
    }

    /** This spec with other {@link KataExtras}. */
    public DeploySpec withExtras(KataExtras newExtras) {
        return new DeploySpec(shims, defaultShim, suffix, installationPrefix, debug, snapshotterMapping, pullTypeMapping,
                forceGuestPull, hypervisorAnnotations, agentHttpsProxy, agentNoProxy, daemonSetName, nodeName, newExtras);
    }
}
