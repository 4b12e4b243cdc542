package io.kdeploy.core.spec;

import org.jspecify.annotations.Nullable;

/**
 * The settings one source (overrides, environment or YAML file) gives; {@code null} means the source does not set it. Filled
 * once by the source's reader, then only read.
 */
final class Layer {
    Raw.@Nullable Listing shims;
    Raw.@Nullable Located defaultShim;
    Raw.@Nullable Split annotations;
    Raw.@Nullable Entries snapshotters;
    Raw.@Nullable Entries pullTypes;
    Raw.@Nullable Listing forceGuestPull;
    Raw.@Nullable Split httpsProxy;
    Raw.@Nullable Split noProxy;
    Raw.@Nullable Located prefix;
    Raw.@Nullable Located suffix;
    Raw.@Nullable Switch debug;
    Raw.@Nullable Located nodeName;
    Raw.@Nullable Located daemonSetName;
    Raw.@Nullable Switch devkit;
    Raw.@Nullable Located userDropIn;
    Raw.@Nullable Located configFileName;
    Raw.@Nullable Located distribution;
    Raw.@Nullable Located healthPort;
    Raw.@Nullable Listing setupSnapshotters;
    Raw.@Nullable Located erofsMergeMode;
    Raw.@Nullable Located erofsSnapshotterMode;
    Raw.@Nullable Located erofsDmverity;
    Raw.@Nullable Switch customRuntimes;
    Raw.@Nullable Located customRuntimesDir;

    /** Sets the field of {@code key} from its text form (environment syntax), or leaves it unset when the text is blank. */
    void setText(SpecKey key, String text, Origin origin) {
        if (text.isBlank()) {
            return;
        }
        switch (key) {
            case SHIMS:
                shims = EnvSyntax.words(text, origin);
                break;
            case DEFAULT_SHIM:
                defaultShim = new Raw.Located(text.trim(), origin);
                break;
            case ALLOWED_HYPERVISOR_ANNOTATIONS:
                annotations = EnvSyntax.annotations(text, origin);
                break;
            case SNAPSHOTTER_HANDLER_MAPPING:
                snapshotters = EnvSyntax.entries(text, origin, "snapshotter", "qemu-snp:nydus,qemu-tdx:nydus");
                break;
            case PULL_TYPE_MAPPING:
                pullTypes = EnvSyntax.entries(text, origin, "pulltype", "qemu-snp:guest-pull,qemu-tdx:guest-pull");
                break;
            case EXPERIMENTAL_FORCE_GUEST_PULL:
                forceGuestPull = EnvSyntax.commaList(text, origin);
                break;
            case AGENT_HTTPS_PROXY:
                httpsProxy = EnvSyntax.perShim(text, origin);
                break;
            case AGENT_NO_PROXY:
                noProxy = EnvSyntax.perShim(text, origin);
                break;
            case INSTALLATION_PREFIX:
                prefix = new Raw.Located(text.trim(), origin);
                break;
            case MULTI_INSTALL_SUFFIX:
                suffix = new Raw.Located(text.trim(), origin);
                break;
            case DEBUG:
                debug = new Raw.Switch(EnvSyntax.bool(text, origin), origin);
                break;
            case NODE_NAME:
                nodeName = new Raw.Located(text.trim(), origin);
                break;
            case DAEMONSET_NAME:
                daemonSetName = new Raw.Located(text.trim(), origin);
                break;
            case DEVKIT:
                devkit = new Raw.Switch(EnvSyntax.bool(text, origin), origin);
                break;
            case CONTAINERD_USER_DROP_IN_SOURCE_FILE:
                userDropIn = new Raw.Located(text.trim(), origin);
                break;
            case CONTAINERD_CONFIG_FILE_NAME:
                configFileName = new Raw.Located(text.trim(), origin);
                break;
            case K8S_DISTRIBUTION:
                distribution = new Raw.Located(text.trim(), origin);
                break;
            case HEALTH_PORT:
                healthPort = new Raw.Located(text.trim(), origin);
                break;
            case EXPERIMENTAL_SETUP_SNAPSHOTTER:
                setupSnapshotters = EnvSyntax.commaList(text, origin);
                break;
            case EROFS_MERGE_MODE:
                erofsMergeMode = new Raw.Located(text.trim(), origin);
                break;
            case EROFS_SNAPSHOTTER_MODE:
                erofsSnapshotterMode = new Raw.Located(text.trim(), origin);
                break;
            case EROFS_DMVERITY:
                erofsDmverity = new Raw.Located(text.trim(), origin);
                break;
            case CUSTOM_RUNTIMES_ENABLED:
                customRuntimes = new Raw.Switch(EnvSyntax.bool(text, origin), origin);
                break;
            case CUSTOM_RUNTIMES_DIR:
                customRuntimesDir = new Raw.Located(text.trim(), origin);
                break;
            default:
                throw new AssertionError(key);
        }
    }
}
