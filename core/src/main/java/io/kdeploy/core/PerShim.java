package io.kdeploy.core;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.TreeMap;

/**
 * A setting given either once for every shim or per shim, as kata-deploy's {@code AGENT_HTTPS_PROXY} ({@code value} or
 * {@code shim1=v1;shim2=v2}) and {@code ALLOWED_HYPERVISOR_ANNOTATIONS} ({@code ann} or {@code shim:ann1,ann2}) are.
 *
 * @param all the value for every shim, or {@code ""} when none is set
 * @param perShim shim name to value; a per-shim value wins over {@code all}
 */
public record PerShim(String all, Map<String, String> perShim) {
    /** Nothing set. */
    public static final PerShim NONE = new PerShim("", Map.of());

    public PerShim {
        requireNonNull(all, "all");
        perShim = Map.copyOf(new TreeMap<>(requireNonNull(perShim, "perShim")));
    }

    /** The value that applies to {@code shim}, or {@code ""}. */
    public String forShim(String shim) {
        return perShim.getOrDefault(shim, all);
    }

    /** True when nothing is set. */
    public boolean isEmpty() {
        return all.isEmpty() && perShim.isEmpty();
    }
}
