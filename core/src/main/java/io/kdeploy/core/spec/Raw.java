package io.kdeploy.core.spec;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** The parsed but not yet validated forms a setting takes in any source; every piece keeps its {@link Origin}. */
final class Raw {
    private Raw() {}

    /** One value and where it came from. */
    record Located(String value, Origin origin) {
        Located {
            requireNonNull(value, "value");
            requireNonNull(origin, "origin");
        }
    }

    /** One {@code shim:value} (or {@code shim=value}) entry; the shim carries the entry's origin. */
    record Entry(Located shim, String value) {
        Entry {
            requireNonNull(shim, "shim");
            requireNonNull(value, "value");
        }
    }

    /** A list of names, e.g. {@code SHIMS} or {@code EXPERIMENTAL_FORCE_GUEST_PULL}. */
    record Listing(List<Located> items, Origin origin) {
        Listing {
            items = List.copyOf(items);
            requireNonNull(origin, "origin");
        }

        List<String> values() {
            return items.stream().map(Located::value).toList();
        }
    }

    /** A shim-to-value mapping, e.g. {@code SNAPSHOTTER_HANDLER_MAPPING}. */
    record Entries(List<Entry> entries, Origin origin) {
        Entries {
            entries = List.copyOf(entries);
            requireNonNull(origin, "origin");
        }
    }

    /** Values for every shim plus per-shim entries, e.g. {@code AGENT_HTTPS_PROXY} or {@code ALLOWED_HYPERVISOR_ANNOTATIONS}. */
    record Split(List<String> global, List<Entry> perShim, Origin origin) {
        Split {
            global = List.copyOf(global);
            perShim = List.copyOf(perShim);
            requireNonNull(origin, "origin");
        }
    }

    /** A boolean, e.g. {@code DEBUG}. */
    record Switch(boolean on, Origin origin) {
        Switch {
            requireNonNull(origin, "origin");
        }
    }
}
