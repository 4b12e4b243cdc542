package io.kdeploy.core.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staging through the per-thread direct buffer: every byte written and digested once, runs of zeros as holes. */
class AtomicFilesTest {
    private static final int B = AtomicFiles.BUFFER;

    @TempDir
    Path dir;

    @Test
    void dataAZeroChunkDataAndAShortZeroTailAreWrittenAndDigestedExactly() throws IOException {
        byte[] content = new byte[B + B + 1000 + 700];
        Random random = new Random(3);
        byte[] data = new byte[B];
        random.nextBytes(data);
        System.arraycopy(data, 0, content, 0, B);
        random.nextBytes(data);
        System.arraycopy(data, 0, content, 2 * B, 1000);
        byte[] zeroTail = new byte[B + 500];
        System.arraycopy(data, 0, zeroTail, 0, B);
        byte[][] contents = {content, zeroTail};
        for (int i = 0; i < contents.length; i++) {
            Path source = Files.write(dir.resolve("source-" + i), contents[i]);
            try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
                assertStaged(AtomicFiles.stage(in, dir.resolve("target-" + i), 0755, null, n -> { }), contents[i]);
            }
        }
    }

    @Test
    void aStreamSourceAndAFileOfZerosKeepTheirSize() throws IOException {
        byte[] zeros = new byte[3 * B];
        AtomicFiles.Staged staged = AtomicFiles.stage(Channels.newChannel(new ByteArrayInputStream(zeros)),
                dir.resolve("zeros"), 0644, FileTime.fromMillis(1_700_000_000_000L), n -> { });

        assertStaged(staged, zeros);
        assertThat(Files.getLastModifiedTime(staged.temp())).isEqualTo(FileTime.fromMillis(1_700_000_000_000L));
        assertStaged(AtomicFiles.stage(Channels.newChannel(new ByteArrayInputStream(new byte[0])), dir.resolve("empty"),
                0644, null, n -> { }), new byte[0]);
    }

    private void assertStaged(AtomicFiles.Staged staged, byte[] content) throws IOException {
        assertThat(Files.readAllBytes(staged.temp())).isEqualTo(content);
        assertThat(staged.sha256()).isEqualTo(sha256(content));
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
