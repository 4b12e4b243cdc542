package io.kdeploy.core.artifacts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Splits the files to copy into one lane per copy thread. Two threads creating files in one directory spin on that
 * directory's lock, so the small files go by whole directories; they come first in each lane, so their creates do not queue
 * behind the journal commits of the large files' data. Large files follow, largest first, each to the lane with the
 * fewest bytes so far, so the lanes end together.
 */
final class CopyLanes {
    /** From this size on a file is large: its copy time is its bytes, not its create. */
    static final long LARGE = 1 << 20;
    /** What creating, renaming and setting the metadata of one small file costs, counted in bytes copied. */
    static final long SMALL_FILE_COST = 64 << 10;

    private CopyLanes() {}

    /** The files in {@code lanes} lists; every file is in exactly one, directories of small files are never split. */
    static List<List<ArtifactAction>> split(List<ArtifactAction> files, int lanes) {
        if (lanes < 1) {
            throw new IllegalArgumentException("lanes must be at least 1, not " + lanes);
        }
        Map<String, List<ArtifactAction>> smallByDir = new TreeMap<>();
        List<ArtifactAction> large = new ArrayList<>();
        for (ArtifactAction a : files) {
            if (a.size() >= LARGE) {
                large.add(a);
            } else {
                int slash = a.path().lastIndexOf('/');
                smallByDir.computeIfAbsent(slash < 0 ? "" : a.path().substring(0, slash), d -> new ArrayList<>()).add(a);
            }
        }
        large.sort(Comparator.comparingLong(ArtifactAction::size).reversed().thenComparing(ArtifactAction::path));
        List<List<ArtifactAction>> out = new ArrayList<>();
        long[] load = new long[lanes];
        for (int i = 0; i < lanes; i++) {
            out.add(new ArrayList<>());
        }
        for (List<ArtifactAction> dir : smallByDir.values()) {
            int l = lightest(load);
            out.get(l).addAll(dir);
            for (ArtifactAction a : dir) {
                load[l] += a.size() + SMALL_FILE_COST;
            }
        }
        for (ArtifactAction a : large) {
            int l = lightest(load);
            out.get(l).add(a);
            load[l] += a.size();
        }
        return out;
    }

    private static int lightest(long[] load) {
        int min = 0;
        for (int i = 1; i < load.length; i++) {
            if (load[i] < load[min]) {
                min = i;
            }
        }
        return min;
    }
}
