package io.kdeploy.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The rendered diff is the Myers diff of all the files' lines, though only what follows their common start is searched,
 * lines are cut out of the texts only when read, and the lines both files end with are split once and shared.
 */
class ConfigPlanDiffPropertiesTest {

    @Property(tries = 3000)
    void rendersTheSameHunksAsADiffOfAllTheLines(@ForAll("lines") List<String> before, @ForAll("lines") List<String> tail,
            @ForAll("breaks") String nl, @ForAll boolean lastBreakA, @ForAll boolean lastBreakB) {
        List<String> after = new ArrayList<>(before.subList(0, before.size() / 2));
        after.addAll(tail);
        assertRendersAsAWholeDiff(String.join(nl, before) + (lastBreakA ? nl : ""), String.join(nl, after)
                + (lastBreakB ? nl : ""));
    }

    @Property(tries = 3000)
    void rendersTheSameHunksWhenTheFilesAlsoEndAlike(@ForAll("lines") List<String> before, @ForAll("lines") List<String> middle,
            @ForAll int at, @ForAll int removed, @ForAll("breaks") String nl, @ForAll boolean lastBreak) {
        int from = Math.floorMod(at, before.size() + 1);
        int to = Math.min(before.size(), from + Math.floorMod(removed, 4));
        List<String> after = new ArrayList<>(before.subList(0, from));
        after.addAll(middle);
        after.addAll(before.subList(to, before.size()));
        assertRendersAsAWholeDiff(String.join(nl, before) + (lastBreak ? nl : ""),
                String.join(nl, after) + (lastBreak ? nl : ""));
    }

    private static void assertRendersAsAWholeDiff(String a, String b) {
        ConfigPlan plan = new ConfigPlan(List.of(new FileEdit("/f", Bytes.utf8(a), Bytes.utf8(b), null, 0644, List.of())),
                null, null, List.of(), List.of());
        List<String> la = lines(a);
        List<String> lb = lines(b);
        List<String> whole = UnifiedDiffUtils.generateUnifiedDiff("a/f", "b/f", la, DiffUtils.diff(la, lb), 3);
        if (a.equals(b)) {
            assertThat(plan.toUnifiedDiff()).isEmpty();
        } else if (whole.isEmpty()) {
            assertThat(plan.toUnifiedDiff()).endsWith("@@ line breaks or byte order mark only @@\n");
        } else {
            StringBuilder expected = new StringBuilder();
            for (String l : whole) {
                expected.append(l.startsWith("@@") ? l.replace(" -1,0 ", " -0,0 ").replace(" +1,0 ", " +0,0 ") : l)
                        .append('\n');
            }
            assertThat(plan.toUnifiedDiff()).isEqualTo(expected.toString());
        }
    }

    @Provide
    Arbitrary<List<String>> lines() {
        return Arbitraries.of("a", "b", "c", "", "  x = 1", "d\r").list().ofMaxSize(14);
    }

    @Provide
    Arbitrary<String> breaks() {
        return Arbitraries.of("\n", "\r\n");
    }

    /** The lines as a diff shows them: split at {@code \n}, a {@code \r} before it dropped, no empty last line. */
    private static List<String> lines(String s) {
        List<String> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int lf = s.indexOf('\n', from);
            if (lf < 0) {
                if (from < s.length()) {
                    out.add(s.substring(from));
                }
                return out;
            }
            out.add(s.substring(from, lf > from && s.charAt(lf - 1) == '\r' ? lf - 1 : lf));
            from = lf + 1;
        }
    }
}
