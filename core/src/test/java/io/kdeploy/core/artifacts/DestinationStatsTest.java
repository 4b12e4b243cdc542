package io.kdeploy.core.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

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
    void answersEachPathOnceWithItsAttributesOrItsAbsence() throws IOException, InterruptedException {
        Files.createDirectories(dest.resolve("bin"));
        Files.writeString(dest.resolve("bin/shim"), "12345");
        List<String> paths = new ArrayList<>(List.of("bin/shim", "bin/gone", "bin/shim/under-a-file"));

        try (DestinationStats stats = DestinationStats.start(dest, paths)) {
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
    void noneKnowsNothing() {
        assertThat(DestinationStats.none().take("bin/shim")).isNull();
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
