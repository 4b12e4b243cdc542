package io.kdeploy.core.toml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The comparison that verifies an edit's result ({@code TomlDocument.compare}) decides exactly as {@code equals} does, and
 * what it shares with the intended model leaves the read meaning equal, in the same order, to what was read.
 */
class TomlModelComparePropertiesTest {

    @Provide
    Arbitrary<String> documents() {
        return new TomlReaderOracleTest().documents();
    }

    @Property(tries = 1500)
    void decidesAsEqualsAndKeepsTheReadMeaning(@ForAll("documents") String a, @ForAll("documents") String b,
            @ForAll long seed) {
        Map<String, Object> intended = TomlOracle.reader(a);
        Assume.that(intended != null);
        Random rnd = new Random(seed);
        String other = switch (rnd.nextInt(3)) {
            case 0 -> a;
            case 1 -> TomlReaderOracleTest.mutate(a, rnd);
            default -> b;
        };
        Map<String, Object> got = TomlOracle.reader(other);
        Assume.that(got != null);
        TomlDocument.Owned owned = new TomlDocument.Owned();
        if (rnd.nextBoolean()) {
            owned.add(intended);
        }
        boolean equal = got.equals(intended);
        String before = deep(got);
        assertThat(TomlDocument.compare(got, intended, owned) != TomlDocument.DIFFERENT).isEqualTo(equal);
        assertThat(deep(got)).as("same entries in the same order").isEqualTo(before);
    }

    /** Every table's entries in their order, every array's elements, and the types of the scalars. */
    private static String deep(Object v) {
        if (v instanceof Map<?, ?> m) {
            List<String> out = new ArrayList<>();
            m.forEach((k, x) -> out.add(k + "=" + deep(x)));
            return "{" + String.join(",", out) + "}";
        }
        if (v instanceof List<?> l) {
            List<String> out = new ArrayList<>();
            l.forEach(x -> out.add(deep(x)));
            return "[" + String.join(",", out) + "]";
        }
        return v.getClass().getSimpleName() + ":" + v;
    }
}
