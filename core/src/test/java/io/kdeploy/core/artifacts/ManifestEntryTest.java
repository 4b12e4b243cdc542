package io.kdeploy.core.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.artifacts.ManifestEntry.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestEntryTest {
    private static final ManifestEntry FILE = new ManifestEntry("bin/x", Type.FILE, 10, "ab", 0755, null,
            "2026-01-01T00:00:00Z", false);

    @Test
    void equalWhenEveryFieldIsEqual() {
        ManifestEntry same = new ManifestEntry("bin/x", Type.FILE, 10, "ab", 0755, null, "2026-01-01T00:00:00Z", false);
        assertThat(same).isEqualTo(FILE).hasSameHashCodeAs(FILE);
        assertThat(new Manifest(1, "/opt/kata", List.of(same))).isEqualTo(new Manifest(1, "/opt/kata", List.of(FILE)))
                .hasSameHashCodeAs(new Manifest(1, "/opt/kata", List.of(FILE)));
    }

    @Test
    void everyFieldCounts() {
        List<ManifestEntry> others = List.of(
                new ManifestEntry("bin/y", Type.FILE, 10, "ab", 0755, null, "2026-01-01T00:00:00Z", false),
                new ManifestEntry("bin/x", Type.SYMLINK, 10, "ab", 0755, "t", "2026-01-01T00:00:00Z", false),
                new ManifestEntry("bin/x", Type.FILE, 11, "ab", 0755, null, "2026-01-01T00:00:00Z", false),
                new ManifestEntry("bin/x", Type.FILE, 10, "ac", 0755, null, "2026-01-01T00:00:00Z", false),
                new ManifestEntry("bin/x", Type.FILE, 10, "ab", 0644, null, "2026-01-01T00:00:00Z", false),
                new ManifestEntry("bin/x", Type.FILE, 10, "ab", 0755, "t", "2026-01-01T00:00:00Z", false),
                new ManifestEntry("bin/x", Type.FILE, 10, "ab", 0755, null, "2026-01-01T00:00:01Z", false),
                new ManifestEntry("bin/x", Type.FILE, 10, "ab", 0755, null, null, false),
                new ManifestEntry("bin/x", Type.FILE, 10, "ab", 0755, null, "2026-01-01T00:00:00Z", true));
        for (ManifestEntry o : others) {
            assertThat(o).isNotEqualTo(FILE);
            assertThat(FILE).isNotEqualTo(o);
        }
        ManifestEntry fileWithLink = new ManifestEntry("bin/x", Type.FILE, 10, "ab", 0755, "t", null, false);
        ManifestEntry symlink = new ManifestEntry("bin/x", Type.SYMLINK, 10, "ab", 0755, "t", null, false);
        assertThat(symlink).as("only the type differs").isNotEqualTo(fileWithLink);
        assertThat(new Manifest(1, "/opt/kata", List.of(FILE))).isNotEqualTo(new Manifest(1, "/opt/kata-b", List.of(FILE)))
                .isNotEqualTo(new Manifest(2, "/opt/kata", List.of(FILE))).isNotEqualTo(new Manifest(1, "/opt/kata",
                        List.of(others.get(0))));
    }
}
