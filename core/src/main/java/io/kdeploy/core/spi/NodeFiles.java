package io.kdeploy.core.spi;

import io.kdeploy.core.plan.Bytes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Read access to a node's files by node path ({@code /etc/containerd/config.toml}); the host root is the implementation's
 * business. Configurers read through this and never write.
 */
public interface NodeFiles {

    /** The content of a regular file, or empty when there is none. */
    Optional<Bytes> read(String nodePath);

    /** True when the path is a directory. */
    boolean isDirectory(String nodePath);

    /** The names of the entries of a directory, sorted; empty when it is missing. */
    List<String> list(String nodeDir);

    /** True when anything exists at the path. */
    default boolean exists(String nodePath) {
        return read(nodePath).isPresent() || isDirectory(nodePath);
    }

    /** An in-memory node with these files (node path to content); directories are implied by the paths. */
    static NodeFiles of(Map<String, Bytes> files) {
        TreeMap<String, Bytes> copy = new TreeMap<>(files);
        return new NodeFiles() {
            @Override
            public Optional<Bytes> read(String nodePath) {
                return Optional.ofNullable(copy.get(nodePath));
            }

            @Override
            public boolean isDirectory(String nodePath) {
                String prefix = nodePath.endsWith("/") ? nodePath : nodePath + "/";
                return copy.keySet().stream().anyMatch(p -> p.startsWith(prefix));
            }

            @Override
            public List<String> list(String nodeDir) {
                String prefix = nodeDir.endsWith("/") ? nodeDir : nodeDir + "/";
                return copy.keySet().stream()
                        .filter(p -> p.startsWith(prefix))
                        .map(p -> p.substring(prefix.length()).split("/", 2)[0])
                        .distinct()
                        .sorted()
                        .toList();
            }
        };
    }
}
