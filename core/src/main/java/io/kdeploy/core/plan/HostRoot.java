package io.kdeploy.core.plan;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.KdeployException;
import io.kdeploy.core.UnsafePathException;
import io.kdeploy.core.spi.NodeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A host root directory (the node's {@code /}, e.g. {@code /host} inside a DaemonSet pod, or a temporary directory in
 * tests). Every node path is resolved under it one component at a time; a symlink is followed only while it stays inside
 * the root: an absolute target is read as a node path (under the root, as the node itself would see it), a relative target
 * whose {@code ..} climbs above the root is refused with {@link UnsafePathException}.
 */
public final class HostRoot implements NodeFiles {
    private static final int MAX_LINKS = 40;
    private final Path root;

    private HostRoot(Path root) {
        this.root = root;
    }

    /**
     * The host root at {@code root}, which must be an existing directory.
     *
     * @throws KdeployException when it is not a directory
     */
    public static HostRoot of(Path root) {
        requireNonNull(root, "root");
        try {
            return new HostRoot(root.toRealPath());
        } catch (IOException e) {
            throw new KdeployException("host root " + root + " cannot be read (" + e.getMessage() + "); pass an existing"
                    + " directory with --host-root.", e);
        }
    }

    /** The real path of the root directory. */
    public Path path() {
        return root;
    }

    /**
     * The real location of a node path under the root, with every symlink on the way resolved inside the root. The last
     * components need not exist.
     *
     * @throws UnsafePathException when the path is not absolute, contains {@code ..}, or a symlink on it leads out of the
     *     root (or loops)
     */
    public Path resolve(String nodePath) {
        requireNonNull(nodePath, "nodePath");
        if (!nodePath.startsWith("/")) {
            throw new UnsafePathException("node path '" + nodePath + "' is not absolute; node paths start with '/'.");
        }
        Deque<String> todo = new ArrayDeque<>(components(nodePath));
        if (todo.contains("..")) {
            throw new UnsafePathException("node path '" + nodePath + "' contains '..'; use a path without it.");
        }
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.removeFirst();
            if (c.equals("..")) {
                if (done.isEmpty()) {
                    throw new UnsafePathException("node path '" + nodePath + "' leads out of the host root " + root
                            + " through a symlink; kdeploy does not follow links out of the host root. Replace the link"
                            + " with the file or a link inside the host.");
                }
                done.remove(done.size() - 1);
                continue;
            }
            Path next = join(done).resolve(c);
            if (!Files.isSymbolicLink(next)) {
                done.add(c);
                continue;
            }
            if (++links > MAX_LINKS) {
                throw new UnsafePathException("node path '" + nodePath + "' has a symlink loop under " + root + ".");
            }
            String target;
            try {
                target = Files.readSymbolicLink(next).toString();
            } catch (IOException e) {
                throw new KdeployException("cannot read symlink " + next + ": " + e.getMessage(), e);
            }
            List<String> t = components(target);
            for (int i = t.size() - 1; i >= 0; i--) {
                todo.addFirst(t.get(i));
            }
            if (target.startsWith("/")) {
                done.clear();
            }
        }
        return join(done);
    }

    private Path join(List<String> parts) {
        Path p = root;
        for (String s : parts) {
            p = p.resolve(s);
        }
        return p;
    }

    private static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty() && !s.equals(".")) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public Optional<Bytes> read(String nodePath) {
        Path p = resolve(nodePath);
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Bytes.of(Files.readAllBytes(p)));
        } catch (IOException e) {
            throw new KdeployException("cannot read " + nodePath + " (" + p + "): " + e.getMessage()
                    + ". Check the file's permissions.", e);
        }
    }

    /**
     * True when a regular file or a directory is at the node path, symlinks resolved inside the root as for
     * {@link #read}; one metadata lookup, no content read. A path that cannot be looked at does not exist.
     *
     * @throws UnsafePathException when a symlink on the path leads out of the root (or loops)
     */
    @Override
    public boolean exists(String nodePath) {
        Path p = resolve(nodePath);
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() || a.isDirectory();
        } catch (IOException missingOrNotADirectory) {
            return false;
        }
    }

    @Override
    public boolean isDirectory(String nodePath) {
        return Files.isDirectory(resolve(nodePath), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public List<String> list(String nodeDir) {
        Path p = resolve(nodeDir);
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.map(x -> x.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new KdeployException("cannot list " + nodeDir + " (" + p + "): " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "HostRoot[" + root + "]";
    }
}
