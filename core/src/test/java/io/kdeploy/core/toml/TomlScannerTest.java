package io.kdeploy.core.toml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TomlScannerTest {

    @Test
    void splitsStatementsWithExactOffsetsAndKeys() {
        String text = "a = 1\n# c\n[ x . \"y.z\" ]  # h\n'k'.m = \"\"\"\n[not]\n\"\"\"\n[[arr]]\nv = [1,\n 2]\n";
        List<TomlScanner.Stmt> s = TomlScanner.scan(text);
        assertThat(s).extracting(TomlScanner.Stmt::kind).containsExactly(TomlScanner.Kind.KEYVAL, TomlScanner.Kind.TRIVIA,
                TomlScanner.Kind.HEADER, TomlScanner.Kind.KEYVAL, TomlScanner.Kind.ARRAY_HEADER, TomlScanner.Kind.KEYVAL);
        assertThat(s.get(2).table()).containsExactly("x", "y.z");
        assertThat(s.get(3).fullPath()).containsExactly("x", "y.z", "k", "m");
        assertThat(text.substring(s.get(3).valueStart(), s.get(3).valueEnd())).isEqualTo("\"\"\"\n[not]\n\"\"\"");
        assertThat(s.get(5).inArrayTable()).isTrue();
        assertThat(s.get(5).end()).isEqualTo(text.length());
    }

    @Test
    void findsArrayElementsAndCommas() {
        String text = "[ \"a\", # c\n  'b' ,\n]";
        TomlScanner.ArrayLayout a = TomlScanner.array(text, 0);
        assertThat(a.elements()).hasSize(2);
        assertThat(text.substring(a.elements().get(1).start(), a.elements().get(1).end())).isEqualTo("'b'");
        assertThat(a.elements().get(1).commaEnd()).isEqualTo(text.indexOf(",\n]") + 1);
        assertThat(a.close()).isEqualTo(text.length() - 1);
    }

    @Test
    void givesUpOnTextThatIsNotToml() {
        assertThatThrownBy(() -> TomlScanner.array("[1, ", 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> TomlScanner.array("[ , ]", 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> TomlScanner.scan("a = 'open\n")).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> TomlScanner.scan("a = { b = 1\n")).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
