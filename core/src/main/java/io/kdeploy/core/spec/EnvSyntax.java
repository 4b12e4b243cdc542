package io.kdeploy.core.spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Parsers for kata-deploy's environment-variable syntaxes (also used for YAML strings). Syntax errors name the origin. */
final class EnvSyntax {
    private EnvSyntax() {}

    /** Whitespace-separated names ({@code SHIMS}: {@code "qemu clh"}). */
    static Raw.Listing words(String text, Origin origin) {
        return new Raw.Listing(Arrays.stream(text.trim().split("\\s+"))
                .filter(s -> !s.isEmpty())
                .map(s -> new Raw.Located(s, origin))
                .toList(), origin);
    }

    /** Comma-separated names, blanks dropped ({@code EXPERIMENTAL_FORCE_GUEST_PULL}: {@code "qemu-snp,qemu-tdx"}). */
    static Raw.Listing commaList(String text, Origin origin) {
        return new Raw.Listing(Arrays.stream(text.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> new Raw.Located(s, origin))
                .toList(), origin);
    }

    /** {@code shim:value,shim:value}; every entry has exactly one {@code :} and neither side empty. */
    static Raw.Entries entries(String text, Origin origin, String valueName, String example) {
        List<Raw.Entry> out = new ArrayList<>();
        String form = "shim:" + valueName + ",shim:" + valueName;
        for (String part : text.split(",", -1)) {
            String entry = part.trim();
            if (entry.isEmpty()) {
                throw new SpecValueException(origin, "'" + text + "' has an empty entry. Write " + form
                        + " without empty entries, e.g. " + example + ".");
            }
            String[] sides = entry.split(":", -1);
            if (sides.length != 2) {
                throw new SpecValueException(origin, "entry '" + entry + "' in '" + text + "' is not in the form shim:"
                        + valueName + ". Write " + form + ", e.g. " + example + ".");
            }
            String shim = sides[0].trim();
            String value = sides[1].trim();
            if (shim.isEmpty() || value.isEmpty()) {
                throw new SpecValueException(origin, "entry '" + entry + "' in '" + text + "' has an empty "
                        + (shim.isEmpty() ? "shim name" : valueName) + ". Write " + form + ", e.g. " + example + ".");
            }
            out.add(new Raw.Entry(new Raw.Located(shim, origin), value));
        }
        return new Raw.Entries(out, origin);
    }

    /**
     * {@code ALLOWED_HYPERVISOR_ANNOTATIONS}: whitespace-separated entries, each {@code shim:ann1,ann2} (for one shim) or
     * {@code ann1,ann2} (for every shim).
     */
    static Raw.Split annotations(String text, Origin origin) {
        List<String> global = new ArrayList<>();
        List<Raw.Entry> perShim = new ArrayList<>();
        for (String entry : text.trim().split("\\s+")) {
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.indexOf(':');
            if (colon < 0) {
                global.addAll(names(entry));
                continue;
            }
            String shim = entry.substring(0, colon);
            List<String> anns = names(entry.substring(colon + 1));
            if (shim.isEmpty() || anns.isEmpty()) {
                throw new SpecValueException(origin, "entry '" + entry + "' in '" + text + "' has an empty "
                        + (shim.isEmpty() ? "shim name" : "annotation list") + ". Write shim:annotation,annotation for one"
                        + " shim or annotation for every shim, entries separated by spaces, e.g. 'qemu:default_memory,default_vcpus"
                        + " enable_iommu'.");
            }
            perShim.add(new Raw.Entry(new Raw.Located(shim, origin), String.join(",", anns)));
        }
        return new Raw.Split(global, perShim, origin);
    }

    /** {@code AGENT_HTTPS_PROXY} / {@code AGENT_NO_PROXY}: one value for every shim, or {@code shim1=v1;shim2=v2}. */
    static Raw.Split perShim(String text, Origin origin) {
        String value = text.trim();
        if (!value.contains("=")) {
            return new Raw.Split(List.of(value), List.of(), origin);
        }
        List<Raw.Entry> perShim = new ArrayList<>();
        for (String part : value.split(";")) {
            String entry = part.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String shim = eq < 0 ? "" : entry.substring(0, eq).trim();
            String v = eq < 0 ? "" : entry.substring(eq + 1).trim();
            if (shim.isEmpty() || v.isEmpty()) {
                throw new SpecValueException(origin, "entry '" + entry + "' in '" + text + "' is not in the form shim=value."
                        + " Give one value for every shim (no '='), or shim=value entries separated by ';', e.g."
                        + " 'qemu=http://proxy:3128;clh=http://proxy2:3128'.");
            }
            perShim.add(new Raw.Entry(new Raw.Located(shim, origin), v));
        }
        return new Raw.Split(List.of(), perShim, origin);
    }

    /** {@code DEBUG}: exactly {@code true} or {@code false}. */
    static boolean bool(String text, Origin origin) {
        String v = text.trim();
        if (v.equals("true")) {
            return true;
        }
        if (v.equals("false")) {
            return false;
        }
        throw new SpecValueException(origin, "'" + text + "' is not a boolean. Use true or false (kata-deploy would read"
                + " anything but the exact word true as false; kdeploy refuses to guess).");
    }

    /** Comma-separated names, trimmed, blanks dropped. */
    static List<String> names(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
