package io.kdeploy.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every validation error names the variable, the value, and what is allowed or how to fix it. */
class SpecValidationTest {
    private static final SpecLoader X86 = SpecLoader.forArch(Arch.X86_64);

    private static SpecValueException fail(Map<String, String> env) {
        return catchThrowableOfType(SpecValueException.class, () -> X86.load(Map.of(), env, SpecFile.NONE));
    }

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void mappingOfADisabledShimReadsExactlyAsTheStyleGuideSays() {
        SpecValueException e = fail(env("SHIMS_X86_64", "qemu clh", "SNAPSHOTTER_HANDLER_MAPPING_X86_64", "qemu-snp:nydus"));
        assertThat(e).hasMessage("SNAPSHOTTER_HANDLER_MAPPING_X86_64: shim 'qemu-snp' is not in SHIMS_X86_64 (qemu clh)."
                + " Add it to SHIMS_X86_64 or remove the mapping.");
        assertThat(e.origin()).isEqualTo(Origin.environment("SNAPSHOTTER_HANDLER_MAPPING_X86_64"));
        assertThat(e.exitCode()).isEqualTo(2);
    }

    /** Row: environment, the variable the message must start with, fragments it must contain (value and fix). */
    static Stream<Arguments> errors() {
        return Stream.of(
                row(env("SHIMS_X86_64", "qemu", "DEFAULT_SHIM_X86_64", "clh"), "DEFAULT_SHIM_X86_64",
                        "shim 'clh' is not in SHIMS_X86_64 (qemu)", "add 'clh' to SHIMS_X86_64"),
                row(env("SHIMS", "qemu", "DEFAULT_SHIM", "clh"), "DEFAULT_SHIM", "'clh' is not in SHIMS (qemu)",
                        "Set it to one of those shims"),
                row(env("SHIMS_X86_64", "qemu-foo"), "SHIMS_X86_64", "shim 'qemu-foo' is not a shim Kata Containers ships",
                        "Known shims: clh", "Fix the name"),
                row(env("SHIMS_X86_64", "Qemu"), "SHIMS_X86_64", "shim name 'Qemu' is not valid", "lowercase letters"),
                row(env("SHIMS_X86_64", "qemu clh qemu"), "SHIMS_X86_64", "shim 'qemu' is listed twice in 'qemu clh qemu'",
                        "List each shim once"),
                row(env("SHIMS_X86_64", "qemu", "PULL_TYPE_MAPPING_X86_64", "qemu-snp:guest-pull"), "PULL_TYPE_MAPPING_X86_64",
                        "shim 'qemu-snp' is not in SHIMS_X86_64 (qemu)", "remove the mapping"),
                row(env("PULL_TYPE_MAPPING_X86_64", "qemu-snp:guestpull"), "PULL_TYPE_MAPPING_X86_64",
                        "pull type 'guestpull' for shim 'qemu-snp'", "Allowed: guest-pull"),
                row(env("SHIMS_X86_64", "qemu", "EXPERIMENTAL_FORCE_GUEST_PULL_X86_64", "qemu,qemu-tdx"),
                        "EXPERIMENTAL_FORCE_GUEST_PULL_X86_64", "shim 'qemu-tdx' is not in SHIMS_X86_64 (qemu)",
                        "Add it to SHIMS_X86_64 or remove it from the list"),
                row(env("SHIMS_X86_64", "qemu", "ALLOWED_HYPERVISOR_ANNOTATIONS_X86_64", "clh:default_vcpus"),
                        "ALLOWED_HYPERVISOR_ANNOTATIONS_X86_64", "shim 'clh' is not in SHIMS_X86_64 (qemu)", "remove the entry"),
                row(env("SHIMS_X86_64", "qemu", "AGENT_HTTPS_PROXY", "clh=http://p:3128"), "AGENT_HTTPS_PROXY",
                        "shim 'clh' is not in SHIMS_X86_64 (qemu)", "Add it to SHIMS_X86_64"),
                row(env("SHIMS_X86_64", "qemu", "AGENT_NO_PROXY", "qemu=a;fc=b"), "AGENT_NO_PROXY",
                        "shim 'fc' is not in SHIMS_X86_64 (qemu)", "remove the entry"),
                row(env("AGENT_NO_PROXY", "qemu=a;qemu=b"), "AGENT_NO_PROXY", "shim 'qemu' has two values ('a' and 'b')",
                        "exactly one entry per shim"),
                row(env("AGENT_HTTPS_PROXY", "qemu=;clh=http://p"), "AGENT_HTTPS_PROXY", "entry 'qemu=' in 'qemu=;clh=http://p'",
                        "shim=value"),
                row(env("AGENT_HTTPS_PROXY", "=http://p"), "AGENT_HTTPS_PROXY", "entry '=http://p'", "shim=value"),
                row(env("AGENT_HTTPS_PROXY", "qemu=http://p;clh"), "AGENT_HTTPS_PROXY", "entry 'clh'", "separated by ';'"),
                row(env("SNAPSHOTTER_HANDLER_MAPPING_X86_64", "qemu-snp"), "SNAPSHOTTER_HANDLER_MAPPING_X86_64",
                        "entry 'qemu-snp' in 'qemu-snp' is not in the form shim:snapshotter", "e.g. qemu-snp:nydus"),
                row(env("SNAPSHOTTER_HANDLER_MAPPING_X86_64", "qemu-snp:nydus:x"), "SNAPSHOTTER_HANDLER_MAPPING_X86_64",
                        "entry 'qemu-snp:nydus:x'", "shim:snapshotter,shim:snapshotter"),
                row(env("SNAPSHOTTER_HANDLER_MAPPING_X86_64", ":nydus"), "SNAPSHOTTER_HANDLER_MAPPING_X86_64",
                        "entry ':nydus' in ':nydus' has an empty shim name", "shim:snapshotter"),
                row(env("SNAPSHOTTER_HANDLER_MAPPING_X86_64", "qemu-snp:"), "SNAPSHOTTER_HANDLER_MAPPING_X86_64",
                        "has an empty snapshotter", "shim:snapshotter"),
                row(env("SNAPSHOTTER_HANDLER_MAPPING_X86_64", "qemu-snp:nydus,,qemu-tdx:nydus"),
                        "SNAPSHOTTER_HANDLER_MAPPING_X86_64", "'qemu-snp:nydus,,qemu-tdx:nydus' has an empty entry",
                        "without empty entries"),
                row(env("SNAPSHOTTER_HANDLER_MAPPING_X86_64", "qemu-snp:nydus,qemu-snp:erofs"),
                        "SNAPSHOTTER_HANDLER_MAPPING_X86_64", "shim 'qemu-snp' is mapped twice ('nydus' and 'erofs')",
                        "exactly one entry per shim"),
                row(env("PULL_TYPE_MAPPING_X86_64", "qemu-snp"), "PULL_TYPE_MAPPING_X86_64", "shim:pulltype",
                        "qemu-snp:guest-pull"),
                row(env("ALLOWED_HYPERVISOR_ANNOTATIONS_X86_64", ":default_vcpus"), "ALLOWED_HYPERVISOR_ANNOTATIONS_X86_64",
                        "entry ':default_vcpus'", "has an empty shim name"),
                row(env("ALLOWED_HYPERVISOR_ANNOTATIONS_X86_64", "qemu:"), "ALLOWED_HYPERVISOR_ANNOTATIONS_X86_64",
                        "entry 'qemu:'", "has an empty annotation list"),
                row(env("INSTALLATION_PREFIX", "usr/local"), "INSTALLATION_PREFIX", "'usr/local' is not a valid installation prefix",
                        "absolute path", "e.g. /usr/local"),
                row(env("INSTALLATION_PREFIX", "/usr/local/"), "INSTALLATION_PREFIX", "'/usr/local/'", "trailing '/'"),
                row(env("INSTALLATION_PREFIX", "/a/../b"), "INSTALLATION_PREFIX", "'/a/../b'", "'..'"),
                row(env("MULTI_INSTALL_SUFFIX", "Blue"), "MULTI_INSTALL_SUFFIX", "'Blue' is not a valid multi-install suffix",
                        "lowercase letters"),
                row(env("MULTI_INSTALL_SUFFIX", "-blue"), "MULTI_INSTALL_SUFFIX", "'-blue'", "starting and ending"),
                row(env("MULTI_INSTALL_SUFFIX", "a".repeat(33)), "MULTI_INSTALL_SUFFIX", "'" + "a".repeat(33) + "'", "1-32"),
                row(env("DEBUG", "yes"), "DEBUG", "'yes' is not a boolean", "Use true or false"),
                row(env("DEBUG", "TRUE"), "DEBUG", "'TRUE' is not a boolean", "Use true or false"),
                row(env("DAEMONSET_NAME", "Kata_Deploy"), "DAEMONSET_NAME", "'Kata_Deploy' is not a valid DaemonSet name",
                        "e.g. kata-deploy"));
    }

    private static Arguments row(Map<String, String> env, String variable, String... fragments) {
        return Arguments.of(env, variable, List.of(fragments));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("errors")
    void errorNamesVariableValueAndFix(Map<String, String> env, String variable, List<String> fragments) {
        SpecValueException e = fail(env);
        assertThat(e).as("expected an error for %s", env).isNotNull();
        assertThat(e.getMessage()).startsWith(variable + ": ");
        assertThat(e.origin().key()).isEqualTo(variable);
        for (String fragment : fragments) {
            assertThat(e.getMessage()).containsIgnoringCase(fragment);
        }
    }

    @Test
    void overrideErrorsSayTheyCameFromTheCommandLine() {
        SpecValueException e = catchThrowableOfType(SpecValueException.class,
                () -> X86.load(Map.of("MULTI_INSTALL_SUFFIX", "A"), Map.of(), SpecFile.NONE));
        assertThat(e).hasMessageStartingWith("MULTI_INSTALL_SUFFIX (command line): 'A'");
    }

    @Test
    void shimsFromOneSourceAndMappingFromAnotherAreCheckedTogether() {
        SpecValueException e = catchThrowableOfType(SpecValueException.class, () -> X86.load(Map.of("SHIMS", "qemu"),
                Map.of(), SpecFile.parse("c.yaml", "snapshotterHandlerMapping:\n  qemu-snp: nydus\n")));
        assertThat(e).hasMessage("c.yaml:2:3: snapshotterHandlerMapping: shim 'qemu-snp' is not in SHIMS (qemu)."
                + " Add it to SHIMS or remove the mapping.");
    }

    @Test
    void errorAgainstYamlShimsPointsAtTheShimsKey() {
        SpecValueException e = catchThrowableOfType(SpecValueException.class, () -> X86.load(Map.of(), Map.of(),
                SpecFile.parse("c.yaml", "shims: [qemu]\ndefaultShim: clh\nexperimentalForceGuestPull: [qemu, clh]\n")));
        assertThat(e).hasMessage("c.yaml:2:1: defaultShim: shim 'clh' is not in shims (qemu). Set it to one of those shims"
                + " or add 'clh' to shims.");
        SpecValueException f = catchThrowableOfType(SpecValueException.class, () -> X86.load(Map.of(), Map.of(),
                SpecFile.parse("c.yaml", "shims: [qemu]\nexperimentalForceGuestPull: [qemu, clh]\n")));
        assertThat(f).hasMessage("c.yaml:2:36: experimentalForceGuestPull: shim 'clh' is not in shims (qemu). Add it to shims"
                + " (c.yaml:1) or remove it from the list.");
    }
}
