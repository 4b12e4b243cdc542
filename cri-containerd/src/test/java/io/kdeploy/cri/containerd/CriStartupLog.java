package io.kdeploy.cri.containerd;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what containerd 1.x's CRI plugin loaded from its startup log line
 * ({@code msg="Start cri plugin with config {PluginConfig:{ContainerdConfig:{... Runtimes:map[name:{Type:... Path:...
 * Options:map[k:v] ...}] ...} SandboxImage:... }"}), which Go prints with {@code %+v}.
 */
final class CriStartupLog {
    static final String MARKER = "Start cri plugin with config ";
    private static final Pattern SANDBOX_IMAGE = Pattern.compile("SandboxImage:(\\S*)");

    private CriStartupLog() {}

    /** One entry of the CRI plugin's runtimes map. */
    record CriRuntime(String type, String path, Map<String, String> options, List<String> podAnnotations,
            List<String> containerAnnotations, boolean privilegedWithoutHostDevices) {
        CriRuntime {
            requireNonNull(type, "type");
            requireNonNull(path, "path");
            options = Map.copyOf(options);
            podAnnotations = List.copyOf(podAnnotations);
            containerAnnotations = List.copyOf(containerAnnotations);
        }
    }

    /** The first startup line in a containerd log, if the CRI plugin got that far. */
    static Optional<String> find(String log) {
        return log.lines().filter(l -> l.contains(MARKER)).findFirst();
    }

    /** The runtimes map of a startup line, by handler name. */
    static Map<String, CriRuntime> runtimes(String line) {
        int start = line.indexOf("Runtimes:map[");
        if (start < 0) {
            throw new IllegalArgumentException("no Runtimes:map[ in: " + line);
        }
        int i = start + "Runtimes:map[".length();
        Map<String, CriRuntime> out = new TreeMap<>();
        while (i < line.length() && line.charAt(i) != ']') {
            int colon = line.indexOf(":{", i);
            String name = line.substring(i, colon);
            int end = closing(line, colon + 1);
            out.put(name, runtime(line.substring(colon + 2, end)));
            i = end + 1;
            if (i < line.length() && line.charAt(i) == ' ') {
                i++;
            }
        }
        return out;
    }

    /** The sandbox (pause) image the CRI plugin uses. */
    static String sandboxImage(String line) {
        Matcher m = SANDBOX_IMAGE.matcher(line);
        if (!m.find()) {
            throw new IllegalArgumentException("no SandboxImage in: " + line);
        }
        return m.group(1);
    }

    private static CriRuntime runtime(String body) {
        Map<String, String> options = new TreeMap<>();
        for (String kv : list(body, "Options:map[")) {
            int c = kv.indexOf(':');
            options.put(kv.substring(0, c), kv.substring(c + 1));
        }
        return new CriRuntime(field(body, "Type:"), field(body, "Path:"), options, list(body, "PodAnnotations:["),
                list(body, "ContainerAnnotations:["), Boolean.parseBoolean(field(body, "PrivilegedWithoutHostDevices:")));
    }

    private static String field(String body, String name) {
        Matcher m = Pattern.compile("(?:^| )" + Pattern.quote(name) + "(\\S*)").matcher(body);
        return m.find() ? m.group(1) : "";
    }

    private static List<String> list(String body, String opener) {
        int s = body.indexOf(opener);
        if (s < 0) {
            return List.of();
        }
        int from = s + opener.length();
        String inner = body.substring(from, body.indexOf(']', from)).trim();
        return inner.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(inner.split(" ")));
    }

    private static int closing(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unbalanced braces from " + open + " in: " + s);
    }
}
