package io.kdeploy.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kdeploy.core.InvalidSpecException;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** YAML errors carry {@code file:line:column: key: message}. */
class SpecFileTest {
    private static final SpecLoader X86 = SpecLoader.forArch(Arch.X86_64);

    private static LoadedSpec load(String yaml) {
        return X86.load(Map.of(), Map.of(), SpecFile.parse("cfg.yaml", yaml));
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("debug: false\nshim: [qemu]\n", "cfg.yaml:2:1: shim: unknown key. Did you mean 'shims'?"
                        + " Known keys: shims, defaultShim, allowedHypervisorAnnotations"),
                Arguments.of("SHIMS_X86_64: qemu\n", "cfg.yaml:1:1: SHIMS_X86_64: unknown key. Did you mean 'shims'?"),
                Arguments.of("multi_install_suffix: blue\n", "cfg.yaml:1:1: multi_install_suffix: unknown key. Did you mean"
                        + " 'multiInstallSuffix'?"),
                Arguments.of("frobnicate: 1\n", "cfg.yaml:1:1: frobnicate: unknown key. Known keys:"),
                Arguments.of("shims: [qemu]\ndebug: false\nshims: [clh]\n", "cfg.yaml:3:1: shims: duplicate key (first at line 1)."
                        + " Keep only one of them."),
                Arguments.of("snapshotterHandlerMapping:\n  qemu-snp: nydus\n  qemu-snp: erofs\n",
                        "cfg.yaml:3:3: snapshotterHandlerMapping: duplicate key 'qemu-snp' (first at line 2)."),
                Arguments.of("debug: \"true\"\n", "cfg.yaml:1:8: debug: expected true or false, got 'true'. Write true or false"
                        + " without quotes."),
                Arguments.of("debug: yes\n", "cfg.yaml:1:8: debug: expected true or false, got 'yes'."),
                Arguments.of("debug: [true]\n", "cfg.yaml:1:8: debug: expected true or false, got a list."),
                Arguments.of("shims: {qemu: true}\n", "cfg.yaml:1:8: shims: expected a list of shim names or a string, got a"
                        + " mapping."),
                Arguments.of("shims: [qemu, [clh]]\n", "cfg.yaml:1:15: shims: expected a string, got a list."),
                Arguments.of("shims: []\n", "cfg.yaml:1:8: shims: the list is empty, but at least one shim is needed."),
                Arguments.of("shims: [qemu, \"\"]\n", "cfg.yaml:1:15: shims: empty list item."),
                Arguments.of("defaultShim: [qemu]\n", "cfg.yaml:1:14: defaultShim: expected a string, got a list."),
                Arguments.of("nodeName: true\n", "cfg.yaml:1:11: nodeName: expected a string, got a boolean 'true'. Quote the"
                        + " value"),
                Arguments.of("installationPrefix: {a: b}\n", "cfg.yaml:1:21: installationPrefix: expected a string, got a"
                        + " mapping."),
                Arguments.of("snapshotterHandlerMapping: [qemu-snp]\n", "cfg.yaml:1:28: snapshotterHandlerMapping: expected a"
                        + " mapping of shim names to values or a string, got a list."),
                Arguments.of("pullTypeMapping:\n  qemu-snp:\n", "cfg.yaml:2:12: pullTypeMapping: shim 'qemu-snp' has an empty"
                        + " value."),
                Arguments.of("agentHttpsProxy: [http://p]\n", "cfg.yaml:1:18: agentHttpsProxy: expected a mapping"),
                Arguments.of("snapshotterHandlerMapping: \"qemu-snp\"\n", "cfg.yaml:1:1: snapshotterHandlerMapping: entry"
                        + " 'qemu-snp' in 'qemu-snp' is not in the form shim:snapshotter."),
                Arguments.of("shims:\n  - qemu\n  - Qemu\n", "cfg.yaml:3:5: shims: shim name 'Qemu' is not valid"),
                Arguments.of("- shims\n- qemu\n", "cfg.yaml:1:1: (document): the document is a list, not a mapping of"
                        + " settings."),
                Arguments.of("[a]: b\n", "cfg.yaml:1:1: (key): a key must be a plain name, not a list."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void errorsHaveFileLineColumnAndKey(String yaml, String expectedStart) {
        SpecValueException e = catchThrowableOfType(SpecValueException.class, () -> load(yaml));
        assertThat(e).as("no error for %s", yaml).isNotNull();
        assertThat(e.getMessage()).startsWith(expectedStart);
        assertThat(e.origin().file()).isEqualTo("cfg.yaml");
        assertThat(e.exitCode()).isEqualTo(2);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("shims: [qemu\n", "cfg.yaml:2:1: malformed YAML"),
                Arguments.of("shims:\n  - qemu\n - clh\n", "cfg.yaml:3:2: malformed YAML"),
                Arguments.of("debug: false\n\tnodeName: x\n", "cfg.yaml:2:1: malformed YAML"),
                Arguments.of("nodeName: \"x\n", "cfg.yaml:2:1: malformed YAML"),
                Arguments.of("a: 1\n---\nb: 2\n", "cfg.yaml:2:1: malformed YAML"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedYamlNamesThePosition(String yaml, String expectedStart) {
        assertThatThrownBy(() -> SpecFile.parse("cfg.yaml", yaml))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageStartingWith(expectedStart)
                .hasMessageContaining("Fix the YAML syntax");
    }

    @Test
    void emptyDocumentAndNullValuesSetNothing() {
        assertThat(load("").sources().values()).allMatch(o -> o.source() == Origin.Source.DEFAULT);
        assertThat(load("# only a comment\n").sources().values()).allMatch(o -> o.source() == Origin.Source.DEFAULT);
        LoadedSpec s = load("shims:\nnodeName: ''\ndebug: ~\n");
        assertThat(s.sources().values()).allMatch(o -> o.source() == Origin.Source.DEFAULT);
    }

    @Test
    void stringsAreReadLikeTheVariables() {
        LoadedSpec s = load("shims: qemu clh qemu-snp\nsnapshotterHandlerMapping: qemu-snp:nydus\n"
                + "experimentalForceGuestPull: qemu-snp\nagentHttpsProxy: qemu=http://p:3128\n"
                + "allowedHypervisorAnnotations: enable_iommu clh:default_vcpus\n");
        assertThat(s.spec().shims()).containsExactly("qemu", "clh", "qemu-snp");
        assertThat(s.spec().snapshotterMapping()).containsEntry("qemu-snp", "nydus");
        assertThat(s.spec().forceGuestPull()).containsExactly("qemu-snp");
        assertThat(s.spec().agentHttpsProxy().forShim("qemu")).isEqualTo("http://p:3128");
        assertThat(s.spec().agentHttpsProxy().forShim("clh")).isEmpty();
        assertThat(s.spec().hypervisorAnnotations().forShim("clh")).isEqualTo("default_vcpus,enable_iommu");
    }

    @Test
    void numbersAreTakenAsTextWhereTextIsExpected() {
        LoadedSpec s = load("multiInstallSuffix: 2\nnodeName: 10.1\n");
        assertThat(s.spec().suffix()).isEqualTo("2");
        assertThat(s.spec().nodeName()).isEqualTo("10.1");
    }

    @Test
    void yamlOneTwoKeepsOnAndNoAsStrings() {
        assertThat(load("nodeName: on\n").spec().nodeName()).isEqualTo("on");
    }

    @Test
    void structuredEntriesPointAtTheirOwnLine() {
        SpecValueException e = catchThrowableOfType(SpecValueException.class, () -> load(
                "shims: [qemu, qemu-snp]\npullTypeMapping:\n  qemu-snp: guest-pull\n  qemu: guestpull\n"));
        assertThat(e).hasMessageStartingWith("cfg.yaml:4:3: pullTypeMapping: pull type 'guestpull' for shim 'qemu'");
        assertThat(e.origin().line()).isEqualTo(4);
        assertThat(e.origin().column()).isEqualTo(3);
    }

    @Test
    void noneAndNameAreReported() {
        assertThat(SpecFile.NONE.name()).isEmpty();
        assertThat(SpecFile.parse("x.yaml", "debug: true\n").name()).isEqualTo("x.yaml");
    }

    @Test
    void readStripsAByteOrderMark(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("bom.yaml");
        java.nio.file.Files.writeString(file, "\uFEFFshims: [qemu]\n");
        assertThat(X86.load(Map.of(), Map.of(), file).spec().shims()).containsExactly("qemu");
    }
}
