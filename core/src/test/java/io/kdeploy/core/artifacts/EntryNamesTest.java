package io.kdeploy.core.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.UnsafePathException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class EntryNamesTest {

    /** The one-pass check agrees with the long way: a name is normal exactly when normalising it changes nothing. */
    @Property(tries = 3000)
    void isNormalIsExactlyWhatNormaliseLeavesAlone(@ForAll("rawNames") String name) {
        boolean unchanged;
        try {
            unchanged = !name.isEmpty() && EntryNames.normalise("t", name).equals(name);
        } catch (UnsafePathException e) {
            unchanged = false;
        }
        assertThat(EntryNames.isNormal(name)).as("'%s'", name).isEqualTo(unchanged);
    }

    @Provide
    Arbitrary<String> rawNames() {
        return Arbitraries.strings().withChars('a', 'b', '.', '/', '\0').ofMinLength(0).ofMaxLength(12);
    }


    @Test
    void namesAreNormalised() {
        assertThat(EntryNames.normalise("t", "./bin//kata-runtime")).isEqualTo("bin/kata-runtime");
        assertThat(EntryNames.normalise("t", "./")).isEmpty();
        assertThat(EntryNames.normalise("t", "share/./defaults/")).isEqualTo("share/defaults");
    }

    @Test
    void dangerousNamesAreRefusedByName() {
        assertThatThrownBy(() -> EntryNames.normalise("a.tar", "bin/../../x"))
                .isInstanceOf(UnsafePathException.class).hasMessageContaining("a.tar: entry 'bin/../../x'");
        assertThatThrownBy(() -> EntryNames.normalise("a.tar", "/etc/passwd")).isInstanceOf(UnsafePathException.class);
    }

    @Test
    void absoluteTargetsUnderOptKataBecomeRelative() {
        assertThat(EntryNames.linkTarget("t", "share/kata-containers/kata-containers.img",
                "/opt/kata/share/kata-containers/kata-ubuntu.image")).isEqualTo("kata-ubuntu.image");
        assertThat(EntryNames.linkTarget("t", "bin/qemu", "/opt/kata/libexec/qemu")).isEqualTo("../libexec/qemu");
        assertThat(EntryNames.linkTarget("t", "root-link", "/opt/kata")).isEqualTo(".");
        assertThatThrownBy(() -> EntryNames.linkTarget("t", "bin/x", "/opt/katalyst/bin/x"))
                .isInstanceOf(UnsafePathException.class);
    }

    @Property(tries = 2000)
    void anAcceptedLinkNeverLeavesTheTree(@ForAll("paths") List<String> entry, @ForAll("targets") List<String> target) {
        String entryPath = String.join("/", entry);
        String raw = String.join("/", target);
        String result;
        try {
            result = EntryNames.linkTarget("t", entryPath, raw);
        } catch (UnsafePathException e) {
            return;
        }
        Deque<String> at = new ArrayDeque<>(entry.subList(0, entry.size() - 1));
        for (String seg : result.split("/")) {
            if (seg.equals("..")) {
                assertThat(at).as(entryPath + " -> " + raw + " became " + result).isNotEmpty();
                at.removeLast();
            } else if (!seg.equals(".")) {
                assertThat(seg).isNotEqualTo("..");
                at.addLast(seg);
            }
        }
        assertThat(result).doesNotStartWith("/");
    }

    @Provide
    Arbitrary<List<String>> paths() {
        return Arbitraries.of("a", "b", "bin").list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<String>> targets() {
        Arbitrary<List<String>> relative = Arbitraries.of("a", "b", "..", ".", "").list().ofMinSize(1).ofMaxSize(6);
        return Arbitraries.oneOf(relative, relative.map(l -> {
            List<String> abs = new java.util.ArrayList<>(List.of("", "opt", "kata"));
            abs.addAll(l);
            return abs;
        }));
    }
}
