package io.kdeploy.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @Test
    void aWriteRemovesTheTempFilesAKilledEarlierWriteOfTheSameTargetLeft(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("default.json");
        Path stale = Files.writeString(dir.resolve(".default.json.12345.kdeploy-tmp"), "half a record");
        Path otherTargets = Files.writeString(dir.resolve(".other.json.12345.kdeploy-tmp"), "not ours to judge");
        Path foreign = Files.writeString(dir.resolve("default.json.bak"), "the admin's");

        AtomicFiles.put(target, Bytes.utf8("{}"), 0600);

        assertThat(target).hasContent("{}");
        assertThat(stale).doesNotExist();
        assertThat(otherTargets).exists();
        assertThat(foreign).hasContent("the admin's");
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("default.json", ".other.json.12345.kdeploy-tmp", "default.json.bak");
        }
    }
}
