package io.kdeploy.core.plan;

import io.kdeploy.core.KdeployException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Atomic file replacement: temp file in the same directory, force, atomic rename, fsync of the directory. */
final class AtomicFiles {
    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
    };

    private static final String TEMP_SUFFIX = ".kdeploy-tmp";

    private AtomicFiles() {}

    /** Writes {@code content} to {@code target} atomically, or deletes it when {@code content} is null. */
    static void put(Path target, @Nullable Bytes content, int modeForNew) {
        try {
            Path dir = target.getParent();
            if (content == null) {
                if (Files.deleteIfExists(target)) {
                    fsyncDirectory(dir);
                }
                return;
            }
            Files.createDirectories(dir);
            PosixFileAttributes old = Files.exists(target, LinkOption.NOFOLLOW_LINKS)
                    ? Files.readAttributes(target, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    : null;
            removeStaleTemps(target);
            Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", TEMP_SUFFIX);
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer buf = ByteBuffer.wrap(content.toArray());
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    ch.force(true);
                }
                PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
                if (old != null) {
                    view.setPermissions(old.permissions());
                    view.setGroup(old.group());
                    view.setOwner(old.owner());
                } else {
                    view.setPermissions(permissions(modeForNew));
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            fsyncDirectory(dir);
        } catch (IOException e) {
            throw new KdeployException("cannot write " + target + ": " + e.getMessage()
                    + ". Check that the host root is writable and has free space.", e);
        }
    }

    /**
     * Deletes the temporary files an earlier write of {@code target} left when its process was killed before the rename.
     * Callers hold the node lock, so no other write of the same target is under way.
     */
    private static void removeStaleTemps(Path target) throws IOException {
        String prefix = "." + target.getFileName() + ".";
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(target.getParent(),
                p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(TEMP_SUFFIX))) {
            for (Path stale : temps) {
                Files.deleteIfExists(stale);
            }
        }
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BITS.length; i++) {
            if ((mode & (1 << i)) != 0) {
                out.add(BITS[i]);
            }
        }
        return out;
    }
}
