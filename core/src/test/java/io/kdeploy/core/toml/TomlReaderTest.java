package io.kdeploy.core.toml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Hand-written cases for each TOML 1.0 rule: the reader agrees with tomlj, and gives the values TOML means. */
class TomlReaderTest {

    static List<String> rules() {
        return List.of(
          "[a.b.c]\n[a]\nb.x = 1\n", "[a.b.c]\nz=9\n[a]\nb.c.t = 1\n", "[a]\nb.c = 1\n[a.b]\n", "[a]\nb.c = 1\n[a.b.d]\nx=1\n",
          "a = {b = 1}\n[a.c]\n", "a = {b = 1}\n[a]\n", "a = {b = 1}\na.c = 1\n", "[[a]]\n[a.b]\nx=1\n[[a]]\n[a.b]\nx=2\n",
          "[a]\n[[a]]\n", "[[a]]\n[a]\n", "a = [1]\n[[a]]\n", "a = [{}]\n[a.b]\n", "\"\" = 1\n", "[\"\"]\n", "x = 0xFFFFFFFFFFFFFFFF\n",
          "x = 0x7FFFFFFFFFFFFFFF\n", "x = 9223372036854775808\n", "x = -9223372036854775808\n", "x = 1e400\n", "x = 1e-400\n",
          "x = 1979-05-27T07:32:00.1234567891Z\n", "x = 1979-05-27T07:32:60Z\n", "x = 1979-05-27T07:32:00+24:00\n", "x = 1979-05-27T07:32:00+18:00\n",
          "x = 1979-05-27T07:32:00+19:00\n", "x = 1979-05-27 07:32:00\n", "x = 0000-01-01\n", "x = \"\\uD800\"\n", "x = \"\\U00110000\"\n",
          "x = \"a\u0001\"\n", "x = 1 \r\n", "x = 1\ry = 2\n", "# \u007f\n", "x = [1, 'a']\n", "x = [[1], ['a']]\n", "x = -nan\n",
          "x = +0.0\n", "x = -0.0\n", "x = 1_2.3_4e5_6\n", "x = 0e0\n", "x = 00e0\n", "x = 0.0e-0\n", "x = 1.0E+2\n",
          "x = \"\"\"\\  \n  a\"\"\"\n", "x = \"\"\"a\\ b\"\"\"\n", "x = \"\"\"\"\"\"\"\n", "x = '''''''\n", "x = ''''''''\n",
          "x = \"\"\"a\r\nb\"\"\"\n", "x = '''a\rb'''\n", "x = {a = 1,\n b = 2}\n", "x = {a = [1,\n2]}\n", "x = { a.b = 1, a.c = 2 }\n",
          "x = { a = {b = 1}, a.c = 2 }\n", "[a]\nx.y = 1\n[a.x.z]\n", "a.b = 1\n[a.c]\n", "a.b = 1\n[a]\n",
          "[a.b]\n[a]\n[a]\n", "[a.b]\n[a]\nb = 1\n", "[a]\n b = 1\n[a.b]\n", "x = 1979-05-27T07:32:00.Z\n", "x = 07:32:00.5\n",
          "x = 7:32:00\n", "x = 1979-5-27\n", "x = 1979-05-27T07:32\n", "x = 2000-02-29\n", "x = 1900-02-29\n", "x = 1979-05-27 \n",
          "x = 1979-05-27 # c\n", "[ a ]\n", "[a . b]\n", "[[ a ]]\n", "x=1\n", "x\t=\t1\n", "a.b.c = 1\na.b.d = 2\n", "a.b = 1\na.b.c = 2\n",
          "x = [ 1,\n 2,\n]\n", "x = [\n# c\n]\n", "x = [ # c\n 1 ]\n", "x = true\ny = truex\n", "x = 1__2\n", "x = _1\n", "x = 1_\n", "x = 0b\n",
          "x = 0o8\n", "x = 0B1\n", "x = 0x_1\n", "x = 0x1_\n", "x = +inf\n", "x = infinity\n", "x = nan.0\n", "x = 1e_1\n", "x = 1.e1\n",
          "x = 1e1.5\n", "\ufeffx = 1\n", "x = \"\\e\"\n", "x = \"\\x41\"\n", "x = 'a\tb'\n", "x = \"a\tb\"\n", "x = 1 # \t ok\n",
          "[a]\n[a.b]\n[a.b.c]\n[a.b]\n", "[[a.b]]\n[a]\n", "[[a.b]]\n[a.b.c]\n[[a.b]]\n", "a = 1\n[a.b]\n", "a = []\n[[a]]\n",
          "x = [{a=1}]\n[x.b]\n", "[a]\nb = {c = 1}\n[a.b.d]\n", "[tbl]\n[[tbl.arr]]\n[tbl.arr.sub]\n", "x = { }\n", "x = {a=1 b=2}\n",
          "x = 1979-05-27T00:00:00-00:00\n", "x = 1979-05-27T07:32:00z\n", "x = 1979-05-27t07:32:00\n", "x = 1979-05-27T07:32:00.000\n");
    }

    @ParameterizedTest
    @MethodSource("rules")
    void agreesWithTomljOnEachRule(String text) {
        TomlOracle.agree(text);
    }

    @Test
    void givesTheValueTypesTomljGives() {
        assertThat(TomlOracle.reader("i = -0x1\n")).as("hex has no sign").isNull();
        String text = String.join("\n",
                "int = 1_000",
                "hex = 0xDEAD_beef",
                "oct = 0o755",
                "bin = 0b1101",
                "flt = 6.02e+23",
                "neg = -inf",
                "odt = 1979-05-27T07:32:00.5-07:00",
                "ldt = 1979-05-27 07:32:00",
                "ld = 1979-05-27",
                "lt = 00:32:00.999999",
                "s = \"tab\\there \\u00e9 \\U0001F600\"",
                "ml = \"\"\"",
                "  one \\",
                "  two\"\"\"",
                "lit = 'C:\\x'",
                "");
        Map<String, Object> m = TomlOracle.reader(text);
        assertThat(m).containsEntry("int", 1000L).containsEntry("hex", 0xDEADBEEFL).containsEntry("oct", 493L)
                .containsEntry("bin", 13L).containsEntry("flt", 6.02e23).containsEntry("neg", Double.NEGATIVE_INFINITY)
                .containsEntry("odt", OffsetDateTime.of(1979, 5, 27, 7, 32, 0, 500_000_000, ZoneOffset.ofHours(-7)))
                .containsEntry("ldt", LocalDateTime.of(1979, 5, 27, 7, 32))
                .containsEntry("ld", LocalDate.of(1979, 5, 27))
                .containsEntry("lt", LocalTime.of(0, 32, 0, 999_999_000))
                .containsEntry("s", "tab\there \u00e9 " + new String(Character.toChars(0x1F600)))
                .containsEntry("ml", "  one two")
                .containsEntry("lit", "C:\\x");
        TomlOracle.agree(text);
    }

    @Test
    void refusesAHeaderThatExtendsAnInlineTableWhichTomljAccepts() {
        String text = "a = { b = 1 }\n[a.c]\n";
        assertThat(TomljOracle.parse(text)).isNotNull();
        assertThat(TomlOracle.reader(text)).isNull();
        assertThat(TomlOracle.refusedAsHeaderInInlineTable(text)).isTrue();
        assertThat(TomlOracle.refusedAsHeaderInInlineTable("a = { b = 1 }\n[a]\n")).isFalse();
    }

    @Test
    void readsStatementsWithOffsets() {
        String text = "a = 1\n# c\n[ x . \"y.z\" ]  # h\n'k'.m = \"\"\"\n[not]\n\"\"\"\n[[arr]]\nv = [1,\n 2]\n";
        List<TomlScanner.Stmt> s = TomlOracle.statements(text);
        assertThat(s).extracting(TomlScanner.Stmt::kind).containsExactly(TomlScanner.Kind.KEYVAL, TomlScanner.Kind.TRIVIA,
                TomlScanner.Kind.HEADER, TomlScanner.Kind.KEYVAL, TomlScanner.Kind.ARRAY_HEADER, TomlScanner.Kind.KEYVAL);
        assertThat(s.get(3).fullPath()).containsExactly("x", "y.z", "k", "m");
        assertThat(text.substring(s.get(3).valueStart(), s.get(3).valueEnd())).isEqualTo("\"\"\"\n[not]\n\"\"\"");
        assertThat(s).isEqualTo(TomlScanner.scan(text));
    }

    /** The reader's character array is kept between reads: a short text read after a long one sees only its own. */
    @Test
    void aShortTextReadAfterALongOneSeesOnlyItsOwnCharacters() throws TomlReader.Rejected {
        TomlReader.read("x = \"abcdef\"\ny = 1234567\n" + "#".repeat(9000) + "\n");

        assertThat(TomlReader.read("y = 12").model()).containsEntry("y", 12L);
        assertThatThrownBy(() -> TomlReader.read("x = \"abc")).isInstanceOf(TomlReader.Rejected.class);
    }
}
