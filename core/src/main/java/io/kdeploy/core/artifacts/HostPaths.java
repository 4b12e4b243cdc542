package io.kdeploy.core.artifacts;

import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.UnsafePathException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Resolves node paths under a host root the way the node itself would see them: symlinks are followed one component at a
 * time, an absolute link target is taken relative to the host root (as it would be on the node), and a link whose
 * {@code ..} would climb above the host root is refused. Package-private until it is unified with the plan module's host
 * root type.
 */
final class HostPaths {
    private static final int MAX_LINKS = 40;

    private final Path root;

    HostPaths(Path hostRoot) {
        try {
            this.root = hostRoot.toRealPath();
        } catch (IOException e) {
            throw new InvalidSpecException("Host root " + hostRoot + " cannot be read (" + e.getMessage() + "). Pass"
                    + " --host-root with the directory the node's / is mounted at.", e);
        }
        if (!Files.isDirectory(root)) {
            throw new InvalidSpecException("Host root " + hostRoot + " is not a directory. Pass --host-root with the directory"
                    + " the node's / is mounted at.");
        }
    }

    /** The host root, symlinks resolved. */
    Path root() {
        return root;
    }

    /**
     * The path on this machine of a node path, every existing symlink on the way resolved under the host root; components
     * that do not exist yet are appended as they are.
     *
     * @throws UnsafePathException when a symlink leads out of the host root or links loop
     */
    Path resolve(String nodePath) {
        if (!nodePath.startsWith("/")) {
            throw new IllegalArgumentException("not a node path: " + nodePath);
        }
        Deque<String> pending = new ArrayDeque<>();
        pushFront(pending, nodePath);
        Path current = root;
        int links = 0;
        boolean missing = false;
        while (!pending.isEmpty()) {
            String seg = pending.pop();
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (current.equals(root)) {
                    throw new UnsafePathException("Node path " + nodePath + " leads out of the host root " + root + " through"
                            + " '..' (a symlink on the way points above /). Replace that symlink with a directory or a link"
                            + " inside the node's file system.");
                }
                current = current.getParent();
                continue;
            }
            Path next = current.resolve(seg);
            if (!missing && Files.isSymbolicLink(next)) {
                if (++links > MAX_LINKS) {
                    throw new UnsafePathException("Node path " + nodePath + " goes through more than " + MAX_LINKS
                            + " symlinks (a loop at " + next + "?). Fix the links on the host.");
                }
                String target = readLink(next);
                pushFront(pending, target);
                if (target.startsWith("/")) {
                    current = root;
                }
                continue;
            }
            missing = missing || !Files.exists(next);
            current = next;
        }
        return current;
    }

    private static void pushFront(Deque<String> pending, String path) {
        String[] segs = path.split("/");
        for (int i = segs.length - 1; i >= 0; i--) {
            pending.push(segs[i]);
        }
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read symlink " + link, e);
        }
    }
}
