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

/** The rendered diff is the Myers diff of the whole files, though only what follows their common start is searched. */
class ConfigPlanDiffPropertiesTest {

    @Property(tries = 2000)
    void rendersTheSameHunksAsADiffOfTheWholeFiles(@ForAll("lines") List<String> before, @ForAll("lines") List<String> tail) {
        List<String> after = new ArrayList<>(before.subList(0, before.size() / 2));
        after.addAll(tail);
        String a = String.join("\n", before) + "\n";
        String b = String.join("\n", after) + "\n";
        ConfigPlan plan = new ConfigPlan(List.of(new FileEdit("/f", Bytes.utf8(a), Bytes.utf8(b), null, 0644, List.of())),
                null, null, List.of(), List.of());
        List<String> whole = UnifiedDiffUtils.generateUnifiedDiff("a/f", "b/f", lines(a), DiffUtils.diff(lines(a), lines(b)), 3);
        if (a.equals(b)) {
            assertThat(plan.toUnifiedDiff()).isEmpty();
        } else {
            assertThat(plan.toUnifiedDiff()).isEqualTo(String.join("\n", whole) + "\n");
        }
    }

    @Provide
    Arbitrary<List<String>> lines() {
        return Arbitraries.of("a", "b", "c", "", "  x = 1").list().ofMaxSize(14);
    }

    private static List<String> lines(String s) {
        return List.of(s.substring(0, s.length() - 1).split("\n", -1));
    }
}
