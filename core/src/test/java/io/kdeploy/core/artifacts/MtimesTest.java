package io.kdeploy.core.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class MtimesTest {

    @Property(tries = 5000)
    void formatIsInstantToString(@ForAll("times") FileTime time) {
        assertThat(Mtimes.format(time)).isEqualTo(time.toInstant().toString());
    }

    @Property(tries = 5000)
    void parseIsInstantParse(@ForAll("times") FileTime time) {
        String text = time.toInstant().toString();
        assertThat(Mtimes.parse(text)).isEqualTo(FileTime.from(Instant.parse(text)));
    }

    /**
     * Texts near the shape of the fast path (a character replaced, inserted or removed): whatever Instant.parse makes of
     * them, parse makes the same or fails alike.
     */
    @Property(tries = 5000)
    void parseAgreesWithInstantParseOnMutatedTexts(@ForAll("times") FileTime time, @ForAll("edits") int edit,
            @ForAll("replacements") char c, @ForAll("operations") int op) {
        StringBuilder b = new StringBuilder(time.toInstant().toString());
        int at = Math.floorMod(edit, b.length());
        if (op == 0) {
            b.setCharAt(at, c);
        } else if (op == 1) {
            b.insert(at, c);
        } else {
            b.deleteCharAt(at);
        }
        String text = b.toString();
        Instant expected;
        try {
            expected = Instant.parse(text);
        } catch (DateTimeParseException e) {
            assertThatThrownBy(() -> Mtimes.parse(text)).isInstanceOf(DateTimeParseException.class);
            return;
        }
        assertThat(Mtimes.parse(text)).isEqualTo(FileTime.from(expected));
    }

    @Test
    void edgesOfTheDirectPath() {
        int refused = 0;
        for (String t : new String[] {"1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000000001Z", "2000-02-29T23:59:59.5Z",
            "9999-12-31T23:59:59.999999999Z", "1969-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "2024-06-30T12:00:00.120Z",
            "2024-02-29T00:00:00Z", "2025-12-07t16:00:00z", "1969-12-31T23:59:59.5Z",
            "2023-02-29T00:00:00Z", "2025-13-01T00:00:00Z", "2025-12-07T24:00:00Z", "2025-12-07T16:00:60Z",
            "2025-12-07T16:00:00.Z", "2025-12-07T16:00:00.1234567891Z", "2025-12-07T16:00Z", "2025-12-07T16:0a:00Z"}) {
            Instant expected;
            try {
                expected = Instant.parse(t);
            } catch (DateTimeParseException e) {
                assertThatThrownBy(() -> Mtimes.parse(t)).as(t).isInstanceOf(DateTimeParseException.class);
                refused++;
                continue;
            }
            assertThat(Mtimes.parse(t)).as(t).isEqualTo(FileTime.from(expected));
            assertThat(Mtimes.format(FileTime.from(expected))).as(t).isEqualTo(expected.toString());
        }
        assertThat(refused).as("texts Instant.parse refuses").isGreaterThanOrEqualTo(6);
    }

    @Provide
    Arbitrary<FileTime> times() {
        Arbitrary<Long> seconds = Arbitraries.oneOf(Arbitraries.longs().between(-10_000_000_000L, 300_000_000_000L),
                Arbitraries.longs().between(1_600_000_000L, 1_900_000_000L));
        Arbitrary<Integer> nanos = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 999).map(
                n -> n * 1_000_000), Arbitraries.integers().between(0, 999_999).map(n -> n * 1_000),
                Arbitraries.integers().between(0, 999_999_999));
        return seconds.flatMap(s -> nanos.map(n -> FileTime.from(Instant.ofEpochSecond(s, n))))
                .injectDuplicates(0.01).edgeCases(e -> e.add(FileTime.from(0, TimeUnit.SECONDS)));
    }

    @Provide
    Arbitrary<Integer> edits() {
        return Arbitraries.integers().between(0, 40);
    }

    @Provide
    Arbitrary<Integer> operations() {
        return Arbitraries.integers().between(0, 2);
    }

    @Provide
    Arbitrary<Character> replacements() {
        return Arbitraries.of('0', '1', '2', '5', '9', 'x', '-', ':', '.', 'T', 'Z', 't', 'z', '+', ' ');
    }
}
