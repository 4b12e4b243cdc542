package io.kdeploy.core.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Streaming, atomic file writes: content goes to a temp file in the target's directory, is fsynced, gets its mode and
 * modification time, and is renamed over the target (a new inode, so a running shim keeps the old one). Bounded buffers,
 * kept per thread; runs of zeros become holes, as {@code cp --sparse=auto} does.
 */
final class AtomicFiles {
    static final int BUFFER = 1 << 17;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(BUFFER).asReadOnlyBuffer();
    /** Buffers and a digest per thread: a tree of 2,000 small files must not allocate 2,000 buffers. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private AtomicFiles() {
    }

    /**
     * A thread's buffers and digest; the methods that take them never call each other. {@code direct} is the copy buffer:
     * file channels read into it and write from it without the pass through a temporary direct buffer that a heap array
     * costs on each side (the digest still reads it through a small heap array); {@code buffer} serves the hashing of
     * streams.
     */
    private static final class Scratch {
        final byte[] buffer = new byte[BUFFER];
        final ByteBuffer direct = ByteBuffer.allocateDirect(BUFFER);
        final MessageDigest digest = sha256();

        MessageDigest digest() {
            digest.reset();
            return digest;
        }
    }

    /** A file written under its temp name: complete, but neither durable nor visible yet. */
    record Staged(Path temp, Path target, String sha256) {
    }

    /**
     * Writes {@code in} to a temp file next to {@code target} with its mode and modification time; the caller makes it
     * durable ({@link #flush}, or one {@code syncfs} for many) and then {@link #publish}es it. Runs of zeros as long as the
     * buffer become holes.
     */
    static Staged stage(ReadableByteChannel in, Path target, int mode, @Nullable FileTime mtime, LongConsumer progress)
            throws IOException {
        Path tmp = temp(target);
        Scratch scratch = SCRATCH.get();
        MessageDigest md = scratch.digest();
        ByteBuffer buf = scratch.direct;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                long pos = 0;
                boolean holeAtEnd = false;
                int n;
                while ((n = fill(in, buf.clear())) > 0) {
                    buf.flip();
                    md.update(buf);
                    buf.rewind();
                    if (buf.mismatch(ZEROS.duplicate().limit(n)) < 0) {
                        holeAtEnd = true;
                    } else {
                        long at = pos;
                        while (buf.hasRemaining()) {
                            at += ch.write(buf, at);
                        }
                        holeAtEnd = false;
                    }
                    pos += n;
                    progress.accept(n);
                }
                if (holeAtEnd) {
                    ch.write(ByteBuffer.wrap(new byte[1]), pos - 1);
                }
            }
            Files.setPosixFilePermissions(tmp, SourceReader.perms(mode));
            if (mtime != null) {
                Files.setLastModifiedTime(tmp, mtime);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return new Staged(tmp, target, HexFormat.of().formatHex(md.digest()));
    }

    /** Reads from {@code in} until {@code buf} is full or the input ends; the number of bytes read, 0 at the end. */
    private static int fill(ReadableByteChannel in, ByteBuffer buf) throws IOException {
        int total = 0;
        while (buf.hasRemaining()) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /** Fsyncs a file: its data and metadata are on disk when this returns. */
    static void flush(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Renames a staged file, already made durable by the caller, over its target; on failure the temp file is removed. */
    static void publish(Staged staged) throws IOException {
        try {
            Files.move(staged.temp(), staged.target(), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(staged.temp());
            throw e;
        }
    }

    /** Writes small, generated content atomically. */
    static void write(byte[] content, Path target, int mode) throws IOException {
        Path tmp = temp(target);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer bb = ByteBuffer.wrap(content);
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
                ch.force(true);
            }
            finish(tmp, target, mode, null);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** Creates or replaces a symlink atomically (a temp link renamed over the target). */
    static void symlink(Path target, String linkTarget) throws IOException {
        Path tmp = temp(target);
        Files.createSymbolicLink(tmp, Path.of(linkTarget));
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** The SHA-256 of a stream, read to its end with one bounded buffer. */
    static String sha256(InputStream in) throws IOException {
        Scratch scratch = SCRATCH.get();
        MessageDigest md = scratch.digest();
        byte[] buf = scratch.buffer;
        int n;
        while ((n = in.read(buf)) > 0) {
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The SHA-256 of a file. */
    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        }
    }

    /** The SHA-256 of bytes. */
    static String sha256(byte[] content) {
        return HexFormat.of().formatHex(sha256().digest(content));
    }

    /** Flushes a directory's entries (renames, unlinks) to disk. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void finish(Path tmp, Path target, int mode, @Nullable FileTime mtime) throws IOException {
        Files.setPosixFilePermissions(tmp, SourceReader.perms(mode));
        if (mtime != null) {
            Files.setLastModifiedTime(tmp, mtime);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path temp(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".kdeploy-" + Long.toHexString(
                ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".tmp");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
