package io.kdeploy.core.artifacts;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Walks a source tree or streams an archive, entry by entry, checking every name and link on the way. */
final class SourceReader {
    private static final int BUFFER = 1 << 16;

    /** Receives the entries of a source in order. */
    @FunctionalInterface
    interface Visitor {
        /**
         * One entry. {@code content} is readable only for a file: an archive entry's only during the call (an archive is a
         * single stream), a directory entry's at any time (it opens the file by its path).
         */
        void visit(SourceEntry entry, Content content) throws IOException;
    }

    /** Opens a file entry's content. */
    @FunctionalInterface
    interface Content {
        /** The content; the caller closes it (closing an archive entry's stream leaves the archive open). */
        InputStream open() throws IOException;
    }

    private SourceReader() {
    }

    /** Visits every entry of the source (the manifest of an installed tree used as a source is skipped). */
    static void scan(ArtifactSource source, Visitor visitor) throws IOException {
        if (source.kind() == ArtifactSource.Kind.DIRECTORY) {
            scanDirectory(source.path(), visitor);
        } else {
            try (InputStream raw = Files.newInputStream(source.path());
                    InputStream decoded = decoder(source.kind(), new BufferedInputStream(raw, BUFFER));
                    TarArchiveInputStream tar = new TarArchiveInputStream(decoded)) {
                scanTar(source.path().toString(), tar, visitor);
            }
        }
    }

    /** Opens a file of a directory source by its relative path, without following a link. */
    static FileChannel openFile(ArtifactSource source, String path) throws IOException {
        return FileChannel.open(source.path().resolve(path), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    private static InputStream decoder(ArtifactSource.Kind kind, InputStream in) throws IOException {
        switch (kind) {
            case TAR:
                return in;
            case TAR_GZ:
                return new GZIPInputStream(in, BUFFER);
            case TAR_ZST:
                return new BufferedInputStream(new ZstdInputStreamNoFinalizer(in), BUFFER);
            default:
                throw new AssertionError(kind);
        }
    }

    private static void scanTar(String name, TarArchiveInputStream tar, Visitor visitor) throws IOException {
        InputStream shield = new FilterInputStream(tar) {
            @Override
            public void close() {
                // the archive stays open for the next entry
            }
        };
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            String raw = e.getName();
            String path = EntryNames.normalise(name, raw);
            if (path.isEmpty() || Manifest.isManifestFile(path)) {
                continue;
            }
            int mode = e.getMode() & 0777;
            SourceEntry entry;
            if (e.isBlockDevice() || e.isCharacterDevice() || e.isFIFO()) {
                throw EntryNames.unsafe(name, raw, "is a device, fifo or other special file; an artifact tree holds only"
                        + " files, directories and links");
            } else if (e.isSymbolicLink()) {
                entry = new SourceEntry(path, SourceEntry.Kind.SYMLINK, 0, 0, null,
                        EntryNames.linkTarget(name, path, e.getLinkName()));
            } else if (e.isLink()) {
                String target = e.getLinkName();
                if (target.startsWith("/") || ("/" + target + "/").contains("/../")) {
                    throw EntryNames.unsafe(name, raw, "is a hard link to '" + target + "', outside the tree");
                }
                entry = new SourceEntry(path, SourceEntry.Kind.HARDLINK, 0, mode, e.getLastModifiedTime(),
                        EntryNames.normalise(name, target));
            } else if (e.isDirectory()) {
                entry = new SourceEntry(path, SourceEntry.Kind.DIRECTORY, 0, mode, null, null);
            } else if (e.isFile()) {
                entry = new SourceEntry(path, SourceEntry.Kind.FILE, e.getSize(), mode, e.getLastModifiedTime(), null);
            } else {
                throw EntryNames.unsafe(name, raw, "is a device, fifo or other special file; an artifact tree holds only"
                        + " files, directories and links");
            }
            visitor.visit(entry, () -> shield);
        }
    }

    /**
     * Depth-first over the tree, directories before their content, never following a link. Each entry costs one
     * {@code lstat} (its POSIX attributes carry type, size, mode and mtime; {@link Files#walkFileTree} would stat twice).
     */
    private static void scanDirectory(Path root, Visitor visitor) throws IOException {
        walk(root.toRealPath(), "", root.toString(), visitor);
    }

    private static void walk(Path dir, String relDir, String name, Visitor visitor) throws IOException {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                PosixFileAttributes attrs = Files.readAttributes(child, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String file = child.getFileName().toString();
                String path = relDir.isEmpty() ? file : relDir + "/" + file;
                if (attrs.isDirectory()) {
                    visitor.visit(new SourceEntry(path, SourceEntry.Kind.DIRECTORY, 0, bits(attrs.permissions()), null, null),
                            () -> {
                                throw new IOException("a directory has no content");
                            });
                    walk(child, path, name, visitor);
                } else if (Manifest.isManifestFile(path)) {
                    continue;
                } else if (attrs.isSymbolicLink()) {
                    visitor.visit(new SourceEntry(path, SourceEntry.Kind.SYMLINK, 0, 0, null,
                            EntryNames.linkTarget(name, path, Files.readSymbolicLink(child).toString())), () -> {
                                throw new IOException("a symlink has no content");
                            });
                } else if (attrs.isRegularFile()) {
                    visitor.visit(new SourceEntry(path, SourceEntry.Kind.FILE, attrs.size(), bits(attrs.permissions()),
                            attrs.lastModifiedTime(), null), () -> Files.newInputStream(child, LinkOption.NOFOLLOW_LINKS));
                } else {
                    throw EntryNames.unsafe(name, path, "is a device, fifo or socket; an artifact tree holds only files,"
                            + " directories and links");
                }
            }
        }
    }

    static int mode(Path p) throws IOException {
        return bits(Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).permissions());
    }

    static int bits(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) {
            m |= 1 << (8 - p.ordinal());
        }
        return m;
    }

    static Set<PosixFilePermission> perms(int mode) {
        Set<PosixFilePermission> out = java.util.EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((mode & (1 << (8 - p.ordinal()))) != 0) {
                out.add(p);
            }
        }
        return out;
    }
}
