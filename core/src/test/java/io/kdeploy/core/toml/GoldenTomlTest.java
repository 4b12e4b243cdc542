package io.kdeploy.core.toml;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.plan.Bytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden cases under {@code src/corpus/toml/<case>/}: {@code input.toml}, {@code edits} (one edit a line) and
 * {@code expected.toml}. Each case also checks that the edits are idempotent and that the recorded undo restores the input
 * byte for byte. {@code -Dgolden.update=true} rewrites the expected files.
 */
class GoldenTomlTest {

    static Stream<String> cases() throws IOException {
        try (Stream<Path> dirs = Files.list(corpus())) {
            return dirs.filter(d -> Files.exists(d.resolve("edits"))).map(d -> d.getFileName().toString()).sorted()
                    .toList().stream();
        }
    }

    static Path corpus() {
        return Path.of(System.getProperty("kdeploy.corpus", "../src/corpus"), "toml");
    }

    /** Parses the edits format: {@code ensure-table K}, {@code set K = V}, {@code remove-key K}, {@code remove-table K},
     *  {@code append K = V}, {@code remove-from-array K = V}; blank lines and {@code #} comments are skipped. */
    static List<TomlEdit> edits(Path file) throws IOException {
        List<TomlEdit> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] opRest = l.split(" ", 2);
            String rest = opRest[1];
            int eq = rest.indexOf(" = ");
            KeyPath key = KeyPath.parse(eq < 0 ? rest : rest.substring(0, eq));
            String value = eq < 0 ? "" : rest.substring(eq + 3);
            switch (opRest[0]) {
                case "ensure-table" -> out.add(new TomlEdit.EnsureTable(key));
                case "set" -> out.add(new TomlEdit.SetValue(key, value));
                case "remove-key" -> out.add(new TomlEdit.RemoveKey(key));
                case "remove-table" -> out.add(new TomlEdit.RemoveTable(key));
                case "append" -> out.add(new TomlEdit.AppendToArray(key, value));
                case "remove-from-array" -> out.add(new TomlEdit.RemoveFromArray(key, value));
                default -> throw new IllegalArgumentException(file + ": unknown edit " + opRest[0]);
            }
        }
        return out;
    }

    /** Edits whose undo must restore the bytes exactly (removals are undone by content only). */
    static boolean additive(TomlEdit e) {
        return e instanceof TomlEdit.EnsureTable || e instanceof TomlEdit.SetValue || e instanceof TomlEdit.AppendToArray;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void goldenCase(String name) throws IOException {
        Path dir = corpus().resolve(name);
        Path inputFile = dir.resolve("input.toml");
        Bytes input = Files.exists(inputFile) ? Bytes.of(Files.readAllBytes(inputFile)) : null;
        List<TomlEdit> edits = edits(dir.resolve("edits"));

        TomlDocument result = TomlDocument.parse("/" + name + ".toml", input).applyAll(edits);

        Path expectedFile = dir.resolve("expected.toml");
        if (Boolean.getBoolean("golden.update")) {
            Files.write(expectedFile, result.bytes().toArray());
        }
        assertThat(result.bytes().asUtf8()).isEqualTo(Bytes.of(Files.readAllBytes(expectedFile)).asUtf8());
        assertThat(result.bytes()).isEqualTo(Bytes.of(Files.readAllBytes(expectedFile)));

        TomlDocument stepwise = TomlDocument.parse("/" + name + ".toml", input);
        for (TomlEdit e : edits) {
            stepwise = stepwise.apply(e);
        }
        assertThat(stepwise.bytes()).as("verifying edit by edit gives the same file").isEqualTo(result.bytes());

        TomlDocument again = TomlDocument.parse("/again.toml", result.bytes()).applyAll(edits);
        assertThat(again.bytes()).as("applying the edits to the expected output changes nothing").isEqualTo(result.bytes());
        assertThat(again.undo()).isEmpty();

        TomlDocument reverted = result.applyAll(result.undo());
        Bytes original = input == null ? Bytes.utf8("") : input;
        if (!edits.stream().allMatch(GoldenTomlTest::additive)) {
            assertThat(reverted.model()).as("undo of removals restores the content")
                    .isEqualTo(TomlDocument.parse("/in.toml", input).model());
            return;
        }
        assertThat(reverted.bytes().asUtf8()).isEqualTo(original.asUtf8());
        assertThat(reverted.bytes()).as("undo restores the input byte for byte").isEqualTo(original);

        TomlDocument structural = TomlDocument.parse("/undo.toml", result.bytes()).applyAll(result.undo());
        assertThat(structural.bytes()).as("undo also works on the re-read file").isEqualTo(original);
    }
}
