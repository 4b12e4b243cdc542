package io.kdeploy.cri.crio;

import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.spi.NodeFiles;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a node's CRI-O configuration the way CRI-O does: {@code /etc/crio/crio.conf} first, then every regular file under
 * {@code /etc/crio/crio.conf.d} (any name, no extension needed; subdirectories included) in lexical byte order, each
 * later file overriding the earlier ones.
 */
final class CrioConfigScan {
    private static final System.Logger LOG = System.getLogger(CrioConfigScan.class.getName());
    /** Deeper nesting than this under crio.conf.d is not followed (guards against a directory symlink loop). */
    private static final int MAX_DEPTH = 8;

    private CrioConfigScan() {}

    /**
     * The node's configuration files in CRI-O's reading order, without the paths in {@code skip}.
     *
     * @throws io.kdeploy.core.MalformedConfigException naming the file, line and column of the first file that is not TOML
     */
    static List<CrioConfigFile> scan(NodeFiles files, Set<String> skip) {
        List<CrioConfigFile> out = new ArrayList<>();
        if (!skip.contains(CrioFiles.MAIN_CONFIG)) {
            files.read(CrioFiles.MAIN_CONFIG).ifPresent(b -> out.add(CrioConfigFile.parse(CrioFiles.MAIN_CONFIG, null, b)));
        }
        walk(files, CrioFiles.DROP_IN_DIR, null, 0, skip, out);
        return List.copyOf(out);
    }

    private static void walk(NodeFiles files, String dir, @Nullable String top, int depth, Set<String> skip,
            List<CrioConfigFile> out) {
        if (depth > MAX_DEPTH) {
            LOG.log(Level.WARNING, () -> "not reading " + dir + ": nested deeper than " + MAX_DEPTH + " directories");
            return;
        }
        List<String> names = new ArrayList<>(files.list(dir));
        names.sort(CrioFiles::compareNames);
        for (String name : names) {
            String path = dir + "/" + name;
            String entry = top == null ? name : top;
            if (files.isDirectory(path)) {
                walk(files, path, entry, depth + 1, skip, out);
            } else if (!skip.contains(path)) {
                Optional<Bytes> content = files.read(path);
                content.ifPresent(b -> out.add(CrioConfigFile.parse(path, entry, b)));
            }
        }
    }
}
