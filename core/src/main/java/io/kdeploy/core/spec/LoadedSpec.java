package io.kdeploy.core.spec;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.DeploySpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A validated spec together with where each setting came from and the warnings the operator should see.
 *
 * @param spec the validated spec
 * @param sources for every {@link SpecKey}, the input that decided its value (a default when nothing set it)
 * @param warnings things that work but deserve attention, e.g. a plain {@code SHIMS} used as fallback
 */
public record LoadedSpec(DeploySpec spec, Map<SpecKey, Origin> sources, List<String> warnings) {
    public LoadedSpec {
        requireNonNull(spec, "spec");
        sources = Collections.unmodifiableMap(new EnumMap<>(requireNonNull(sources, "sources")));
        warnings = List.copyOf(warnings);
        for (SpecKey key : SpecKey.values()) {
            if (!sources.containsKey(key)) {
                throw new IllegalArgumentException("no source for " + key);
            }
        }
    }

    /** Where the value of {@code key} came from. */
    public Origin sourceOf(SpecKey key) {
        return sources.get(key);
    }

    /** One line per setting, {@code SHIMS: qemu clh  <- SHIMS_X86_64}, for {@code --dry-run} output. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (SpecKey key : SpecKey.values()) {
            lines.add(key.baseName() + ": " + valueText(key) + "  <- " + sources.get(key));
        }
        return lines;
    }

    private String valueText(SpecKey key) {
        switch (key) {
            case SHIMS:
                return String.join(" ", spec.shims());
            case DEFAULT_SHIM:
                return spec.defaultShim();
            case ALLOWED_HYPERVISOR_ANNOTATIONS:
                return spec.hypervisorAnnotations().toString();
            case SNAPSHOTTER_HANDLER_MAPPING:
                return spec.snapshotterMapping().toString();
            case PULL_TYPE_MAPPING:
                return spec.pullTypeMapping().toString();
            case EXPERIMENTAL_FORCE_GUEST_PULL:
                return new java.util.TreeSet<>(spec.forceGuestPull()).toString();
            case AGENT_HTTPS_PROXY:
                return spec.agentHttpsProxy().toString();
            case AGENT_NO_PROXY:
                return spec.agentNoProxy().toString();
            case INSTALLATION_PREFIX:
                return spec.installationPrefix();
            case MULTI_INSTALL_SUFFIX:
                return spec.suffix();
            case DEBUG:
                return Boolean.toString(spec.debug());
            case NODE_NAME:
                return spec.nodeName();
            case DAEMONSET_NAME:
                return spec.daemonSetName();
            case DEVKIT:
                return Boolean.toString(spec.extras().devkit());
            case CONTAINERD_USER_DROP_IN_SOURCE_FILE:
                return spec.extras().userDropInSource();
            case CONTAINERD_CONFIG_FILE_NAME:
                return spec.extras().containerdConfigFileName();
            case K8S_DISTRIBUTION:
                return spec.extras().k8sDistribution();
            case HEALTH_PORT:
                return Integer.toString(spec.extras().healthPort());
            case EXPERIMENTAL_SETUP_SNAPSHOTTER:
                return String.join(",", new java.util.TreeSet<>(spec.extras().setupSnapshotters()));
            case EROFS_MERGE_MODE:
                return spec.extras().erofs().merged() ? "merged" : "unmerged";
            case EROFS_SNAPSHOTTER_MODE:
                return spec.extras().erofs().memory() ? "memory" : "disk";
            case EROFS_DMVERITY:
                return spec.extras().erofs().dmverity() ? "dmverity" : "off";
            case CUSTOM_RUNTIMES_ENABLED:
                return Boolean.toString(!spec.extras().customRuntimes().isEmpty());
            case CUSTOM_RUNTIMES_DIR:
                return "runtimes read: " + String.join(" ", spec.extras().customRuntimes().stream().map(r -> r.handler()).toList());
            default:
                throw new AssertionError(key);
        }
    }
}
