package io.kdeploy.core.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.MalformedConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The second thread's answers: attributes, absence, or "not known" (the planner then looks itself). */
class DestinationStatsTest {
    @TempDir
    Path dest;

    @Test
    void readsTheManifestThenAnswersEachOfItsFilesOnceWithItsAttributesOrItsAbsence()
            throws IOException, InterruptedException {
        Files.createDirectories(dest.resolve("bin"));
        Files.writeString(dest.resolve("bin/shim"), "12345");
        Manifest manifest = manifest("bin/shim", "bin/gone", "bin/shim/under-a-file");

        try (DestinationStats stats = DestinationStats.afterManifest(dest, () -> manifest, true)) {
            assertThat(stats.manifest()).isSameAs(manifest);
            Object shim = waitFor(stats, "bin/shim");
            assertThat(shim).isInstanceOfSatisfying(PosixFileAttributes.class, a -> assertThat(a.size()).isEqualTo(5));
            assertThat(waitFor(stats, "bin/gone")).isEqualTo(DestinationStats.Lookup.ABSENT);
            assertThat(stats.take("bin/shim")).as("given once").isNull();
            Thread.sleep(50);
            assertThat(stats.take("bin/shim/under-a-file")).as("an error is left to the planner").isNull();
            assertThat(stats.take("never/asked")).isNull();
        }
    }

    @Test
    void aSmallManifestNoManifestOrVerifyLooksNothingUp() throws InterruptedException {
        Manifest small = new Manifest(Manifest.FORMAT, "/opt/kata", List.of(file("bin/shim")));
        Manifest big = manifest("bin/shim");
        for (DestinationStats stats : List.of(DestinationStats.afterManifest(dest, () -> small, true),
                DestinationStats.afterManifest(dest, () -> null, true), DestinationStats.afterManifest(dest, () -> big,
                        false))) {
            try (stats) {
                stats.manifest();
                Thread.sleep(50);
                assertThat(stats.take("bin/shim")).isNull();
            }
        }
    }

    @Test
    void whatReadingTheManifestThrewIsThrownToTheCaller() {
        MalformedConfigException bad = new MalformedConfigException("/opt/kata/.kdeploy-manifest.json", 1, 1, "bad", null);
        try (DestinationStats stats = DestinationStats.afterManifest(dest, () -> {
            throw bad;
        }, true)) {
            assertThatThrownBy(stats::manifest).isSameAs(bad);
        }
    }

    /** A manifest listing {@code paths} padded to a size worth the thread. */
    private static Manifest manifest(String... paths) {
        List<ManifestEntry> entries = new ArrayList<>();
        for (String p : paths) {
            entries.add(file(p));
        }
        for (int i = entries.size(); i < DestinationStats.WORTH_A_THREAD; i++) {
            entries.add(file("pad/f" + i));
        }
        return new Manifest(Manifest.FORMAT, "/opt/kata", entries);
    }

    private static ManifestEntry file(String path) {
        return new ManifestEntry(path, ManifestEntry.Type.FILE, 5, "00", 0644, null, null, false);
    }

    private static Object waitFor(DestinationStats stats, String path) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            Object v = stats.take(path);
            if (v != null) {
                return v;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(path + " was never looked up");
    }
}
