package io.kdeploy.core.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Streams, not buffers: a 1 GiB file (sparse, so it costs no disk) installs in a child JVM limited to a 64 MiB heap, from a
 * directory and from a {@code .tar.zst} archive, and the copy stays sparse.
 */
class LargeInstallTest {
    private static final long GIB = 1L << 30;

    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aOneGibibyteTreeInstallsWithA64MebibyteHeap(boolean archive) throws IOException, InterruptedException {
        BundleBuilder bundle = BundleBuilder.standard().sparseFile("share/kata-containers/kata-containers-large.img", GIB);
        Path src = archive ? bundle.writeArchive(Files.createDirectories(work.resolve("archive")),
                BundleBuilder.Compression.ZSTD) : bundle.writeTo(work.resolve("src"));
        Path host = Files.createDirectories(work.resolve("host"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx64m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), LargeInstallMain.class.getName(), src.toString(), host.toString()))
                .redirectErrorStream(true)
                .start();
        boolean finished = p.waitFor(120, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            p.destroyForcibly();
        }

        assertThat(finished).as("finished in time: " + out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Matcher m = Pattern.compile("written=(\\d+) bytes=(\\d+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        assertThat(Long.parseLong(m.group(2))).isGreaterThan(GIB);
        Path big = host.resolve("opt/kata/share/kata-containers/kata-containers-large.img");
        assertThat(Files.size(big)).isEqualTo(GIB);
        Process du = new ProcessBuilder("du", "-k", big.toString()).start();
        String usage = new String(du.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).split("\\s")[0];
        assertThat(du.waitFor()).isZero();
        assertThat(Long.parseLong(usage)).as("KiB allocated: the copy stays sparse").isLessThan(1024);
        assertThat(KataArtifactInstallerTest.readManifest(host.resolve("opt/kata")).byPath()
                .get("share/kata-containers/kata-containers-large.img").sha256())
                .as("sha256 of 1 GiB of zeros")
                .isEqualTo("49bc20df15e412a64472421e13fe86ff1c5165e18b2afccf160d4dc19fe68a14");
    }
}
