package io.kdeploy.core.toml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.IdentityHashMap;
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
        List<Object> ownedOnes = new ArrayList<>();
        Map<Object, Object> parents = new IdentityHashMap<>();
        for (Object part : parts(intended, parents, new ArrayList<>())) {
            if (rnd.nextInt(4) == 0) {
                // what an edit makes, it makes with its parents (copy on write): an owned table's parents are owned too
                for (Object o = part; o != null && o != intended; o = parents.get(o)) {
                    owned.add(o);
                    ownedOnes.add(o);
                }
            }
        }
        boolean equal = got.equals(intended);
        String before = deep(got);
        assertThat(TomlDocument.compare(got, intended, owned) != TomlDocument.DIFFERENT).isEqualTo(equal);
        assertThat(deep(got)).as("same entries in the same order").isEqualTo(before);
        List<Object> inGot = parts(got, new IdentityHashMap<>(), new ArrayList<>());
        for (Object o : ownedOnes) {
            assertThat(inGot).as("an owned table or array is never taken into the read meaning")
                    .noneMatch(g -> g == o);
        }
    }

    /** Every table and array below {@code v}, depth first, each with its parent in {@code parents}. */
    private static List<Object> parts(Object v, Map<Object, Object> parents, List<Object> out) {
        Iterable<?> children = v instanceof Map<?, ?> m ? m.values() : v instanceof List<?> l ? l : List.of();
        for (Object x : children) {
            if (x instanceof Map || x instanceof List) {
                out.add(x);
                parents.put(x, v);
                parts(x, parents, out);
            }
        }
        return out;
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
