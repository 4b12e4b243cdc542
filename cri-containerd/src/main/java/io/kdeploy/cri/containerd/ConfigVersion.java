package io.kdeploy.cri.containerd;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.toml.KeyPath;
import io.kdeploy.core.toml.TomlDocument;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a containerd configuration file says about how to extend it: its schema {@code version} and its root
 * {@code imports}.
 *
 * @param present false when the file does not exist
 * @param schema the file's {@code version}: 0 when the file is absent, 1 when it has no {@code version} key (containerd's
 *     reading), else the number
 * @param imports the root {@code imports} entries, in file order
 */
record ConfigVersion(boolean present, int schema, List<String> imports) {
    static final KeyPath VERSION = KeyPath.of("version");
    static final KeyPath IMPORTS = KeyPath.of("imports");

    ConfigVersion {
        imports = List.copyOf(requireNonNull(imports, "imports"));
    }

    /**
     * Reads a configuration file's version and imports.
     *
     * @throws io.kdeploy.core.MalformedConfigException when the file is not valid TOML
     */
    static ConfigVersion of(String nodePath, @Nullable Bytes content) {
        if (content == null) {
            return new ConfigVersion(false, 0, List.of());
        }
        return of(TomlDocument.parse(nodePath, content));
    }

    /** Reads an already parsed document. */
    static ConfigVersion of(TomlDocument doc) {
        Optional<Object> v = doc.get(VERSION);
        int schema = v.isPresent() && v.get() instanceof Long n ? (int) Math.max(1, Math.min(n, 99)) : 1;
        List<String> imports = new ArrayList<>();
        Optional<Object> im = doc.get(IMPORTS);
        if (im.isPresent() && im.get() instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof String s) {
                    imports.add(s);
                }
            }
        }
        return new ConfigVersion(true, schema, imports);
    }

    /** True when an {@code imports} entry points into {@code dir} (a file in it or a glob over it). */
    boolean importsDir(String dir) {
        return imports.stream().anyMatch(i -> parentOf(i).equals(dir));
    }

    /** True when an {@code imports} entry names {@code nodePath} itself or a glob in its directory that matches its name. */
    boolean imports(String nodePath) {
        Path file = Path.of(nodePath);
        String dir = parentOf(nodePath);
        for (String entry : imports) {
            if (entry.equals(nodePath)) {
                return true;
            }
            if (parentOf(entry).equals(dir)) {
                String pattern = entry.substring(dir.length() + 1);
                if (FileSystems.getDefault().getPathMatcher("glob:" + pattern).matches(file.getFileName())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String parentOf(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        int slash = p.lastIndexOf('/');
        return slash <= 0 ? "/" : p.substring(0, slash);
    }
}
