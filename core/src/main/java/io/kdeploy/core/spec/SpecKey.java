package io.kdeploy.core.spec;

import java.util.Arrays;
import java.util.Optional;

/**
 * One setting of the deployment spec: its kata-deploy environment variable (per architecture or not) and its key in the
 * YAML file.
 */
public enum SpecKey {
    SHIMS("SHIMS", "shims", true),
    DEFAULT_SHIM("DEFAULT_SHIM", "defaultShim", true),
    ALLOWED_HYPERVISOR_ANNOTATIONS("ALLOWED_HYPERVISOR_ANNOTATIONS", "allowedHypervisorAnnotations", true),
    SNAPSHOTTER_HANDLER_MAPPING("SNAPSHOTTER_HANDLER_MAPPING", "snapshotterHandlerMapping", true),
    PULL_TYPE_MAPPING("PULL_TYPE_MAPPING", "pullTypeMapping", true),
    EXPERIMENTAL_FORCE_GUEST_PULL("EXPERIMENTAL_FORCE_GUEST_PULL", "experimentalForceGuestPull", true),
    AGENT_HTTPS_PROXY("AGENT_HTTPS_PROXY", "agentHttpsProxy", false),
    AGENT_NO_PROXY("AGENT_NO_PROXY", "agentNoProxy", false),
    INSTALLATION_PREFIX("INSTALLATION_PREFIX", "installationPrefix", false),
    MULTI_INSTALL_SUFFIX("MULTI_INSTALL_SUFFIX", "multiInstallSuffix", false),
    DEBUG("DEBUG", "debug", false),
    NODE_NAME("NODE_NAME", "nodeName", false),
    DAEMONSET_NAME("DAEMONSET_NAME", "daemonSetName", false),
    DEVKIT("DEVKIT", "devkit", false),
    CONTAINERD_USER_DROP_IN_SOURCE_FILE("CONTAINERD_USER_DROP_IN_SOURCE_FILE", "containerdUserDropInSourceFile", false),
    CONTAINERD_CONFIG_FILE_NAME("CONTAINERD_CONFIG_FILE_NAME", "containerdConfigFileName", false),
    K8S_DISTRIBUTION("K8S_DISTRIBUTION", "k8sDistribution", false),
    HEALTH_PORT("HEALTH_PORT", "healthPort", false),
    EXPERIMENTAL_SETUP_SNAPSHOTTER("EXPERIMENTAL_SETUP_SNAPSHOTTER", "experimentalSetupSnapshotter", false),
    EROFS_MERGE_MODE("EROFS_MERGE_MODE", "erofsMergeMode", false),
    EROFS_SNAPSHOTTER_MODE("EROFS_SNAPSHOTTER_MODE", "erofsSnapshotterMode", false),
    EROFS_DMVERITY("EROFS_DMVERITY", "erofsDmverity", false),
    CUSTOM_RUNTIMES_ENABLED("CUSTOM_RUNTIMES_ENABLED", "customRuntimesEnabled", false),
    CUSTOM_RUNTIMES_DIR("CUSTOM_RUNTIMES_DIR", "customRuntimesDir", false);

    private final String baseName;
    private final String yamlKey;
    private final boolean perArch;

    SpecKey(String baseName, String yamlKey, boolean perArch) {
        this.baseName = baseName;
        this.yamlKey = yamlKey;
        this.perArch = perArch;
    }

    /** The variable name without an architecture suffix, e.g. {@code SHIMS}. */
    public String baseName() {
        return baseName;
    }

    /** The environment variable kata-deploy reads on {@code arch}, e.g. {@code SHIMS_X86_64} or {@code DEBUG}. */
    public String envName(Arch arch) {
        return perArch ? baseName + "_" + arch.envSuffix() : baseName;
    }

    /** The key of this setting in the YAML file, e.g. {@code snapshotterHandlerMapping}. */
    public String yamlKey() {
        return yamlKey;
    }

    /** True when kata-deploy reads this variable with an {@code _<ARCH>} suffix. */
    public boolean perArch() {
        return perArch;
    }

    /** The setting with this YAML key. */
    public static Optional<SpecKey> fromYamlKey(String key) {
        return Arrays.stream(values()).filter(k -> k.yamlKey.equals(key)).findFirst();
    }
}
