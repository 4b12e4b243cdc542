package io.kdeploy.core.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.artifacts.ArtifactAction.Op;
import io.kdeploy.core.artifacts.ManifestEntry.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** How the copy work is split between the copy threads. */
class CopyLanesTest {

    @Test
    void aDirectoryOfSmallFilesStaysInOneLaneAndLargeFilesBalanceTheBytes() {
        List<ArtifactAction> files = new ArrayList<>();
        for (int d = 1; d <= 4; d++) {
            for (int f = 1; f <= 50; f++) {
                files.add(file("share/qemu/d" + d + "/f" + f + ".bin", 4096));
            }
        }
        files.add(file("share/kata-containers/image", 150_000_000));
        files.add(file("bin/qemu", 60_000_000));
        files.add(file("share/kata-containers/vmlinux", 40_000_000));
        files.add(file("bin/containerd-shim-kata-v2", 30_000_000));
        files.add(file("runtime-rs/bin/containerd-shim-kata-v2", 20_000_000));

        List<List<ArtifactAction>> lanes = CopyLanes.split(files, 2);

        for (int d = 1; d <= 4; d++) {
            String dir = "share/qemu/d" + d + "/";
            assertThat(lanes).filteredOn(l -> l.stream().anyMatch(a -> a.path().startsWith(dir))).hasSize(1);
        }
        assertThat(lanes.get(0)).extracting(ArtifactAction::path)
                .containsSubsequence("share/qemu/d1/f1.bin", "share/kata-containers/image");
        assertThat(lanes.get(1)).extracting(ArtifactAction::path)
                .containsSubsequence("share/qemu/d2/f1.bin", "bin/qemu", "share/kata-containers/vmlinux",
                        "bin/containerd-shim-kata-v2", "runtime-rs/bin/containerd-shim-kata-v2");
        assertThat(bytes(lanes.get(0))).isEqualTo(150_000_000 + 100 * 4096);
        assertThat(bytes(lanes.get(1))).isEqualTo(150_000_000 + 100 * 4096);
    }

    @Test
    void smallFilesComeBeforeLargeOnesInEveryLane() {
        List<List<ArtifactAction>> lanes = CopyLanes.split(List.of(file("big", CopyLanes.LARGE), file("a/small", 1),
                file("b/small", CopyLanes.LARGE - 1), file("huge", 3 * CopyLanes.LARGE)), 2);

        for (List<ArtifactAction> lane : lanes) {
            boolean seenLarge = false;
            for (ArtifactAction a : lane) {
                seenLarge |= a.size() >= CopyLanes.LARGE;
                assertThat(seenLarge && a.size() < CopyLanes.LARGE).as(a.path()).isFalse();
            }
        }
    }

    @Test
    void atLeastOneLane() {
        assertThat(CopyLanes.split(List.of(file("a", 1)), 1)).containsExactly(List.of(file("a", 1)));
        assertThatThrownBy(() -> CopyLanes.split(List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 300)
    void everyFileIsInExactlyOneLaneAndNoDirectoryOfSmallFilesIsSplit(
            @ForAll @Size(max = 60) List<@IntRange(max = 7) Integer> dirs,
            @ForAll @Size(max = 60) List<@LongRange(max = 3 << 20) Long> sizes,
            @ForAll @IntRange(min = 1, max = 4) int laneCount) {
        List<ArtifactAction> files = new ArrayList<>();
        for (int i = 0; i < Math.min(dirs.size(), sizes.size()); i++) {
            files.add(file("d" + dirs.get(i) + "/f" + i, sizes.get(i)));
        }

        List<List<ArtifactAction>> lanes = CopyLanes.split(files, laneCount);

        assertThat(lanes).hasSize(laneCount);
        assertThat(lanes.stream().flatMap(List::stream)).containsExactlyInAnyOrderElementsOf(files);
        Set<String> seen = new HashSet<>();
        for (List<ArtifactAction> lane : lanes) {
            Set<String> mine = new HashSet<>();
            lane.stream().filter(a -> a.size() < CopyLanes.LARGE).forEach(a -> mine.add(a.path().split("/")[0]));
            for (String d : mine) {
                assertThat(seen.add(d)).as("directory %s in two lanes", d).isTrue();
            }
        }
    }

    private static long bytes(List<ArtifactAction> lane) {
        return lane.stream().mapToLong(ArtifactAction::size).sum();
    }

    private static ArtifactAction file(String path, long size) {
        return new ArtifactAction(path, Op.WRITE, Type.FILE, size, 0644, null, null, null, null, null, "new");
    }
}
