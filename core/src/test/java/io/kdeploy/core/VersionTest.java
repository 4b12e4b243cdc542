package io.kdeploy.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VersionTest {

    @ParameterizedTest
    @CsvSource({
        "1.7.22, 1, 7, 22",
        "v2.0, 2, 0, 0",
        "2, 2, 0, 0",
        "1.7.22-k3s1, 1, 7, 22",
        "1.6.20~ds1, 1, 6, 20",
        "' 1.31.1 ', 1, 31, 1"
    })
    void parsesTheLeadingNumbers(String text, int major, int minor, int patch) {
        assertThat(Version.parse(text)).isEqualTo(new Version(major, minor, patch));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "k3s1", "-1.2"})
    void rejectsTextWithoutALeadingNumber(String text) {
        assertThatThrownBy(() -> Version.parse(text))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("e.g. 1.7.22");
    }

    @Test
    void rejectsNegativeComponents() {
        assertThatThrownBy(() -> new Version(1, -1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ordersByMajorMinorPatch() {
        List<Version> versions = new ArrayList<>(List.of(Version.parse("2.0.0"), Version.parse("1.7.22"),
                Version.parse("1.10.0"), Version.parse("1.7.3")));
        Collections.sort(versions);
        assertThat(versions).extracting(Version::toString).containsExactly("1.7.3", "1.7.22", "1.10.0", "2.0.0");
    }

    @Test
    void atLeastComparesMajorAndMinorOnly() {
        Version v = Version.parse("1.7.0");
        assertThat(v.atLeast(1, 7)).isTrue();
        assertThat(v.atLeast(1, 6)).isTrue();
        assertThat(v.atLeast(0, 99)).isTrue();
        assertThat(v.atLeast(1, 8)).isFalse();
        assertThat(v.atLeast(2, 0)).isFalse();
    }
}
