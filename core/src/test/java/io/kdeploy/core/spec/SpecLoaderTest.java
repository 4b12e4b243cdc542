package io.kdeploy.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.InvalidSpecException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecLoaderTest {
    private static final SpecLoader X86 = SpecLoader.forArch(Arch.X86_64);

    private static LoadedSpec load(Map<String, String> overrides, Map<String, String> env, String yaml) {
        return X86.load(overrides, env, SpecFile.parse("spec.yaml", yaml));
    }

    /** One setting, three distinct values (override, environment, YAML) and its default. */
    record Field(SpecKey key, String override, String env, String yaml, Function<DeploySpec, Object> get, Object fromOverride,
            Object fromEnv, Object fromYaml, Object byDefault) {
        @Override
        public String toString() {
            return key.name();
        }
    }

    static Stream<Field> fields() {
        return Stream.of(
                new Field(SpecKey.SHIMS, "qemu", "clh", "shims: [fc]", DeploySpec::shims, List.of("qemu"), List.of("clh"),
                        List.of("fc"), Arch.X86_64.defaultShims()),
                new Field(SpecKey.DEFAULT_SHIM, "qemu", "clh", "defaultShim: fc", DeploySpec::defaultShim, "qemu", "clh", "fc",
                        "qemu-runtime-rs"),
                new Field(SpecKey.ALLOWED_HYPERVISOR_ANNOTATIONS, "qemu:a", "qemu:b", "allowedHypervisorAnnotations: {qemu: [c]}",
                        s -> s.hypervisorAnnotations().forShim("qemu"), "a", "b", "c", ""),
                new Field(SpecKey.SNAPSHOTTER_HANDLER_MAPPING, "qemu-snp:nydus", "qemu-snp:erofs",
                        "snapshotterHandlerMapping: {qemu-snp: overlayfs}", s -> s.snapshotterMapping().getOrDefault("qemu-snp", ""),
                        "nydus", "erofs", "overlayfs", ""),
                new Field(SpecKey.PULL_TYPE_MAPPING, "qemu-snp:guest-pull", "qemu-tdx:guest-pull",
                        "pullTypeMapping: {qemu-coco-dev: guest-pull}", s -> s.pullTypeMapping().keySet(), Set.of("qemu-snp"),
                        Set.of("qemu-tdx"), Set.of("qemu-coco-dev"), Set.of()),
                new Field(SpecKey.EXPERIMENTAL_FORCE_GUEST_PULL, "qemu-snp", "qemu-tdx",
                        "experimentalForceGuestPull: [qemu-coco-dev]", DeploySpec::forceGuestPull, Set.of("qemu-snp"),
                        Set.of("qemu-tdx"), Set.of("qemu-coco-dev"), Set.of()),
                new Field(SpecKey.AGENT_HTTPS_PROXY, "http://a:1", "http://b:1", "agentHttpsProxy: http://c:1",
                        s -> s.agentHttpsProxy().forShim("qemu"), "http://a:1", "http://b:1", "http://c:1", ""),
                new Field(SpecKey.AGENT_NO_PROXY, "a.local", "b.local", "agentNoProxy: {qemu: c.local}",
                        s -> s.agentNoProxy().forShim("qemu"), "a.local", "b.local", "c.local", ""),
                new Field(SpecKey.INSTALLATION_PREFIX, "/a", "/b", "installationPrefix: /c", DeploySpec::installationPrefix, "/a",
                        "/b", "/c", ""),
                new Field(SpecKey.MULTI_INSTALL_SUFFIX, "a", "b", "multiInstallSuffix: c", DeploySpec::suffix, "a", "b", "c", ""),
                new Field(SpecKey.DEBUG, "true", "false", "debug: true", DeploySpec::debug, true, false, true, false),
                new Field(SpecKey.NODE_NAME, "n1", "n2", "nodeName: n3", DeploySpec::nodeName, "n1", "n2", "n3", ""),
                new Field(SpecKey.DAEMONSET_NAME, "ds-a", "ds-b", "daemonSetName: ds-c", DeploySpec::daemonSetName, "ds-a", "ds-b",
                        "ds-c", "kata-deploy"),
                new Field(SpecKey.DEVKIT, "true", "false", "devkit: true", s -> s.extras().devkit(), true, false, true, false),
                new Field(SpecKey.CONTAINERD_CONFIG_FILE_NAME, "a.toml", "b.toml", "containerdConfigFileName: c.toml",
                        s -> s.extras().containerdConfigFileName(), "a.toml", "b.toml", "c.toml", "config.toml"),
                new Field(SpecKey.K8S_DISTRIBUTION, "k3s", "rke2", "k8sDistribution: K0S", s -> s.extras().k8sDistribution(),
                        "k3s", "rke2", "k0s", ""),
                new Field(SpecKey.HEALTH_PORT, "8091", "8092", "healthPort: 8093", s -> s.extras().healthPort(), 8091, 8092,
                        8093, 8090),
                new Field(SpecKey.EXPERIMENTAL_SETUP_SNAPSHOTTER, "nydus", "erofs", "experimentalSetupSnapshotter: [nydus, erofs]",
                        s -> s.extras().setupSnapshotters(), Set.of("nydus"), Set.of("erofs"), Set.of("erofs", "nydus"),
                        Set.of()),
                new Field(SpecKey.EROFS_MERGE_MODE, "unmerged", "merged", "erofsMergeMode: UNMERGED",
                        s -> s.extras().erofs().merged(), false, true, false, true),
                new Field(SpecKey.EROFS_SNAPSHOTTER_MODE, "memory", "disk", "erofsSnapshotterMode: memory",
                        s -> s.extras().erofs().memory(), true, false, true, false),
                new Field(SpecKey.EROFS_DMVERITY, "dmverity", "off", "erofsDmverity: DMVERITY",
                        s -> s.extras().erofs().dmverity(), true, false, true, false),
                new Field(SpecKey.CUSTOM_RUNTIMES_ENABLED, "false", "false", "customRuntimesEnabled: false",
                        s -> s.extras().customRuntimes(), List.of(), List.of(), List.of(), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fields")
    void overrideBeatsEnvironmentBeatsYamlBeatsDefault(Field f) {
        Map<String, String> overrides = Map.of(f.key().baseName(), f.override());
        Map<String, String> env = Map.of(f.key().envName(Arch.X86_64), f.env());

        LoadedSpec all = load(overrides, env, f.yaml());
        assertThat(f.get().apply(all.spec())).isEqualTo(f.fromOverride());
        assertThat(all.sourceOf(f.key())).isEqualTo(Origin.override(f.key().baseName()));

        LoadedSpec envAndYaml = load(Map.of(), env, f.yaml());
        assertThat(f.get().apply(envAndYaml.spec())).isEqualTo(f.fromEnv());
        assertThat(envAndYaml.sourceOf(f.key())).isEqualTo(Origin.environment(f.key().envName(Arch.X86_64)));

        LoadedSpec yamlOnly = load(Map.of(), Map.of(), f.yaml());
        assertThat(f.get().apply(yamlOnly.spec())).isEqualTo(f.fromYaml());
        assertThat(yamlOnly.sourceOf(f.key()).source()).isEqualTo(Origin.Source.FILE);
        assertThat(yamlOnly.sourceOf(f.key()).toString()).startsWith("spec.yaml:1:1: " + f.key().yamlKey());

        LoadedSpec none = load(Map.of(), Map.of(), "");
        assertThat(f.get().apply(none.spec())).isEqualTo(f.byDefault());
        assertThat(none.sourceOf(f.key())).isEqualTo(Origin.byDefault(f.key().envName(Arch.X86_64)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fields")
    void emptyAndBlankValuesCountAsUnset(Field f) {
        LoadedSpec s = load(Map.of(f.key().baseName(), ""), Map.of(f.key().envName(Arch.X86_64), "  "), f.yaml());
        assertThat(f.get().apply(s.spec())).isEqualTo(f.fromYaml());
    }

    @Test
    void perArchVariableWinsOverPlainFallback() {
        LoadedSpec s = load(Map.of(), Map.of("SHIMS_X86_64", "qemu clh", "SHIMS", "fc", "DEFAULT_SHIM_X86_64", "clh",
                "DEFAULT_SHIM", "fc"), "");
        assertThat(s.spec().shims()).containsExactly("qemu", "clh");
        assertThat(s.spec().defaultShim()).isEqualTo("clh");
        assertThat(s.warnings()).isEmpty();
    }

    @Test
    void plainShimsAndDefaultShimAreAFallbackWithAWarning() {
        LoadedSpec s = load(Map.of(), Map.of("SHIMS", "qemu clh", "DEFAULT_SHIM", "clh", "SHIMS_X86_64", ""), "");
        assertThat(s.spec().shims()).containsExactly("qemu", "clh");
        assertThat(s.spec().defaultShim()).isEqualTo("clh");
        assertThat(s.sourceOf(SpecKey.SHIMS)).isEqualTo(Origin.environment("SHIMS"));
        assertThat(s.warnings()).hasSize(2);
        assertThat(s.warnings().get(0)).contains("SHIMS is used because SHIMS_X86_64 is not set").contains("set that instead");
    }

    @Test
    void plainNamesOfOtherPerArchVariablesAreIgnoredInTheEnvironment() {
        LoadedSpec s = load(Map.of(), Map.of("SNAPSHOTTER_HANDLER_MAPPING", "qemu:nydus", "EXPERIMENTAL_FORCE_GUEST_PULL", "qemu"),
                "");
        assertThat(s.spec().snapshotterMapping()).isEmpty();
        assertThat(s.spec().forceGuestPull()).isEmpty();
    }

    @Test
    void variablesOfOtherArchitecturesAreIgnored() {
        Map<String, String> env = Map.of("SHIMS_AARCH64", "qemu-cca", "SHIMS_S390X", "qemu-se");
        assertThat(load(Map.of(), env, "").spec().shims()).isEqualTo(Arch.X86_64.defaultShims());
        LoadedSpec s390 = SpecLoader.forArch(Arch.S390X).load(Map.of(), Map.of("SHIMS_S390X", "qemu-se"), SpecFile.NONE);
        assertThat(s390.spec().shims()).containsExactly("qemu-se");
        assertThat(SpecLoader.forArch(Arch.PPC64LE).load(Map.of(), Map.of(), SpecFile.NONE).spec().shims())
                .containsExactly("qemu", "qemu-runtime-rs");
    }

    @Test
    void overridesAcceptPerArchNamesBeforePlainNames() {
        LoadedSpec s = load(Map.of("SHIMS_X86_64", "clh", "SHIMS", "qemu"), Map.of(), "");
        assertThat(s.spec().shims()).containsExactly("clh");
        assertThat(s.sourceOf(SpecKey.SHIMS)).isEqualTo(Origin.override("SHIMS_X86_64"));
        assertThat(s.warnings()).isEmpty();
    }

    @Test
    void unknownOverrideIsAProgrammingError() {
        assertThatThrownBy(() -> load(Map.of("SHIM", "qemu"), Map.of(), ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown override 'SHIM'")
                .hasMessageContaining("SHIMS_X86_64");
    }

    @Test
    void defaultShimIsQemuRuntimeRsWhenEnabledElseTheFirstShim() {
        assertThat(load(Map.of(), Map.of("SHIMS_X86_64", "qemu qemu-runtime-rs"), "").spec().defaultShim())
                .isEqualTo("qemu-runtime-rs");
        assertThat(load(Map.of(), Map.of("SHIMS_X86_64", "clh qemu"), "").spec().defaultShim()).isEqualTo("clh");
    }

    @Test
    void daemonSetNameDefaultsToKataDeployWithTheSuffix() {
        LoadedSpec s = load(Map.of(), Map.of("MULTI_INSTALL_SUFFIX", "blue"), "");
        assertThat(s.spec().daemonSetName()).isEqualTo("kata-deploy-blue");
        assertThat(s.spec().handlers()).contains("kata-qemu-blue");
    }

    @Test
    void debugIsExactlyTrueOrFalse() {
        assertThat(load(Map.of(), Map.of("DEBUG", "true"), "").spec().debug()).isTrue();
        assertThat(load(Map.of(), Map.of("DEBUG", "false"), "").spec().debug()).isFalse();
        assertThat(load(Map.of(), Map.of(), "").spec().debug()).isFalse();
    }

    @Test
    void annotationsMergeGlobalIntoEveryShimSortedAndDeduplicated() {
        LoadedSpec s = load(Map.of(), Map.of("SHIMS_X86_64", "qemu clh", "ALLOWED_HYPERVISOR_ANNOTATIONS_X86_64",
                "enable_iommu qemu:default_vcpus,default_memory qemu:enable_iommu"), "");
        assertThat(s.spec().hypervisorAnnotations().all()).isEqualTo("enable_iommu");
        assertThat(s.spec().hypervisorAnnotations().forShim("qemu")).isEqualTo("default_memory,default_vcpus,enable_iommu");
        assertThat(s.spec().hypervisorAnnotations().forShim("clh")).isEqualTo("enable_iommu");
    }

    @Test
    void annotationsInYamlListUseTheVariableSyntax() {
        LoadedSpec s = load(Map.of(), Map.of(), "shims: [qemu, clh]\nallowedHypervisorAnnotations:\n  - enable_iommu\n"
                + "  - clh:default_vcpus\n");
        assertThat(s.spec().hypervisorAnnotations().forShim("clh")).isEqualTo("default_vcpus,enable_iommu");
        assertThat(s.spec().hypervisorAnnotations().forShim("qemu")).isEqualTo("enable_iommu");
    }

    @Test
    void proxiesTakeOneValueOrPerShimValues() {
        LoadedSpec s = load(Map.of(), Map.of("SHIMS_X86_64", "qemu clh fc", "AGENT_HTTPS_PROXY",
                "qemu=http://p:3128;clh=http://q:3128;", "AGENT_NO_PROXY", "localhost,10.0.0.0/8"), "");
        assertThat(s.spec().agentHttpsProxy().forShim("qemu")).isEqualTo("http://p:3128");
        assertThat(s.spec().agentHttpsProxy().forShim("clh")).isEqualTo("http://q:3128");
        assertThat(s.spec().agentHttpsProxy().forShim("fc")).isEmpty();
        assertThat(s.spec().agentNoProxy().forShim("fc")).isEqualTo("localhost,10.0.0.0/8");
    }

    @Test
    void mappingsTrimWhitespaceAndKeepOneEntryPerShim() {
        LoadedSpec s = load(Map.of(), Map.of("SNAPSHOTTER_HANDLER_MAPPING_X86_64", " qemu-snp : nydus , qemu-tdx:nydus",
                "PULL_TYPE_MAPPING_X86_64", "qemu-snp:guest-pull", "EXPERIMENTAL_FORCE_GUEST_PULL_X86_64", "qemu-snp, ,qemu-tdx"),
                "");
        assertThat(s.spec().snapshotterMapping()).containsExactlyInAnyOrderEntriesOf(Map.of("qemu-snp", "nydus", "qemu-tdx",
                "nydus"));
        assertThat(s.spec().guestPull("qemu-snp")).isTrue();
        assertThat(s.spec().forceGuestPull()).containsExactlyInAnyOrder("qemu-snp", "qemu-tdx");
    }

    @Test
    void extraShimsCanBeAllowed() {
        assertThatThrownBy(() -> load(Map.of(), Map.of("SHIMS_X86_64", "my-vmm"), "")).isInstanceOf(SpecValueException.class);
        LoadedSpec s = X86.withExtraShims(List.of("my-vmm")).load(Map.of(), Map.of("SHIMS_X86_64", "my-vmm"), SpecFile.NONE);
        assertThat(s.spec().shims()).containsExactly("my-vmm");
    }

    @Test
    void describeNamesEveryValueAndItsSource() {
        LoadedSpec s = load(Map.of("MULTI_INSTALL_SUFFIX", "blue"), Map.of("SHIMS_X86_64", "qemu"), "debug: true\n");
        assertThat(s.describe()).hasSize(SpecKey.values().length)
                .contains("SHIMS: qemu  <- SHIMS_X86_64", "MULTI_INSTALL_SUFFIX: blue  <- MULTI_INSTALL_SUFFIX (command line)",
                        "DEBUG: true  <- spec.yaml:1:1: debug", "DAEMONSET_NAME: kata-deploy-blue  <- DAEMONSET_NAME (default)");
    }

    @Test
    void theCorpusExampleIsValidAndDocumentsEveryKey() throws Exception {
        Path example = Path.of(System.getProperty("kdeploy.corpus", "../src/corpus"), "spec", "example.yaml");
        LoadedSpec s = X86.load(Map.of(), Map.of(), example);
        DeploySpec spec = s.spec();
        assertThat(spec.shims()).containsExactly("qemu", "qemu-runtime-rs", "qemu-snp", "qemu-tdx");
        assertThat(spec.defaultShim()).isEqualTo("qemu-runtime-rs");
        assertThat(spec.snapshotterFor("qemu-snp")).isEqualTo("nydus-for-kata-tee");
        assertThat(spec.guestPull("qemu-tdx")).isTrue();
        assertThat(spec.hypervisorAnnotations().forShim("qemu")).isEqualTo("default_memory,default_vcpus");
        assertThat(spec.agentNoProxy().forShim("qemu")).isEqualTo("localhost,127.0.0.1,.svc");
        assertThat(spec.daemonSetName()).isEqualTo("kata-deploy");
        String text = java.nio.file.Files.readString(example);
        for (SpecKey key : SpecKey.values()) {
            assertThat(text).contains("\n" + key.yamlKey() + ":");
        }
    }

    @Test
    void missingConfigFileNamesThePath(@org.junit.jupiter.api.io.TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> X86.load(Map.of(), Map.of(), missing))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("--config");
    }

    static Stream<Arguments> archNames() {
        return Stream.of(Arguments.of("amd64", Arch.X86_64), Arguments.of("x86_64", Arch.X86_64),
                Arguments.of("aarch64", Arch.AARCH64), Arguments.of("arm64", Arch.AARCH64), Arguments.of("s390x", Arch.S390X),
                Arguments.of("ppc64le", Arch.PPC64LE));
    }

    @ParameterizedTest
    @MethodSource("archNames")
    void osArchMapsToKataDeploysArchNames(String osArch, Arch arch) {
        assertThat(Arch.fromOsArch(osArch)).isEqualTo(arch);
        assertThat(SpecKey.SHIMS.envName(arch)).isEqualTo("SHIMS_" + arch.name());
    }

    @Test
    void unsupportedArchitectureIsRejected() {
        assertThatThrownBy(() -> Arch.fromOsArch("riscv64")).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("'riscv64'").hasMessageContaining("amd64");
    }

    @Test
    void variableNamesListPerArchNamesAndTheTwoFallbacks() {
        Map<String, String> seen = new HashMap<>();
        X86.variableNames().forEach(n -> seen.put(n, n));
        assertThat(seen).containsKeys("SHIMS_X86_64", "SHIMS", "DEFAULT_SHIM", "PULL_TYPE_MAPPING_X86_64", "DEBUG")
                .doesNotContainKey("PULL_TYPE_MAPPING");
    }

    @Test
    void configFileNameMustBeABareName() {
        for (String bad : List.of("../config.toml", "sub/config.toml", ".", "..", "/etc/containerd/config.toml")) {
            assertThatThrownBy(() -> load(Map.of(), Map.of("CONTAINERD_CONFIG_FILE_NAME", bad), ""))
                    .as(bad).isInstanceOf(SpecValueException.class)
                    .hasMessageStartingWith("CONTAINERD_CONFIG_FILE_NAME: ")
                    .hasMessageContaining("'" + bad + "'").hasMessageContaining("bare file name");
        }
    }

    @Test
    void healthPortMustBeATcpPort() {
        for (String bad : List.of("0", "65536", "http", "-1", "80.5")) {
            assertThatThrownBy(() -> load(Map.of(), Map.of("HEALTH_PORT", bad), ""))
                    .as(bad).isInstanceOf(SpecValueException.class)
                    .hasMessageStartingWith("HEALTH_PORT: ").hasMessageContaining("1 to 65535");
        }
        assertThat(load(Map.of(), Map.of("HEALTH_PORT", "65535"), "").spec().extras().healthPort()).isEqualTo(65535);
    }

    @Test
    void unknownSnapshotterSetupAndErofsModesAreErrors() {
        assertThatThrownBy(() -> load(Map.of(), Map.of("EXPERIMENTAL_SETUP_SNAPSHOTTER", "nydus,stargz"), ""))
                .isInstanceOf(SpecValueException.class).hasMessageContaining("'stargz'").hasMessageContaining("nydus, erofs");
        assertThatThrownBy(() -> load(Map.of(), Map.of("EROFS_MERGE_MODE", "half"), ""))
                .isInstanceOf(SpecValueException.class).hasMessageStartingWith("EROFS_MERGE_MODE: ")
                .hasMessageContaining("merged or unmerged");
        assertThatThrownBy(() -> load(Map.of(), Map.of("K8S_DISTRIBUTION", "k3s!"), ""))
                .isInstanceOf(SpecValueException.class).hasMessageStartingWith("K8S_DISTRIBUTION: ");
    }

    @Test
    void aGoShimMappedToMergedErofsIsRejectedAtLoad() {
        Map<String, String> env = Map.of("SHIMS_X86_64", "qemu qemu-runtime-rs", "SNAPSHOTTER_HANDLER_MAPPING_X86_64",
                "qemu:erofs", "EXPERIMENTAL_SETUP_SNAPSHOTTER", "erofs");
        assertThatThrownBy(() -> load(Map.of(), env, ""))
                .isInstanceOf(SpecValueException.class)
                .hasMessageStartingWith("SNAPSHOTTER_HANDLER_MAPPING_X86_64: ")
                .hasMessageContaining("Go shim").hasMessageContaining("EROFS_MERGE_MODE=unmerged");
        Map<String, String> unmerged = new java.util.HashMap<>(env);
        unmerged.put("EROFS_MERGE_MODE", "unmerged");
        assertThat(load(Map.of(), unmerged, "").spec().extras().erofs().merged()).isFalse();
    }

    @Test
    void devkitWithoutDebugIsAWarningAndAddsNoVariant() {
        LoadedSpec s = load(Map.of(), Map.of("DEVKIT", "true", "SHIMS_X86_64", "qemu"), "");
        assertThat(s.spec().variants()).isEmpty();
        assertThat(s.warnings()).anySatisfy(w -> assertThat(w).contains("DEVKIT").contains("DEBUG=true"));
        LoadedSpec both = load(Map.of(), Map.of("DEVKIT", "true", "DEBUG", "true", "SHIMS_X86_64", "qemu"), "");
        assertThat(both.spec().handlers()).containsExactly("kata-qemu", "kata-qemu-debug", "kata-qemu-devkit");
    }

    @Test
    void userDropInIsReadFromItsPath(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("containerd-user-dropin.toml");
        java.nio.file.Files.writeString(file, "\uFEFFversion = 3\n");
        LoadedSpec s = load(Map.of(), Map.of("CONTAINERD_USER_DROP_IN_SOURCE_FILE", file.toString()), "");
        assertThat(s.spec().extras().userDropInSource()).isEqualTo(file.toString());
        assertThat(s.spec().extras().userDropIn()).isEqualTo("version = 3\n");
        assertThat(s.spec().withSuffix("x").withDebug(true).extras()).as("carried over").isEqualTo(s.spec().extras());

        Path missing = dir.resolve("nope.toml");
        assertThatThrownBy(() -> load(Map.of(), Map.of(), "containerdUserDropInSourceFile: " + missing))
                .isInstanceOf(SpecValueException.class)
                .hasMessageStartingWith("spec.yaml:1:1: containerdUserDropInSourceFile: ")
                .hasMessageContaining(missing.toString()).hasMessageContaining("cannot be read");
    }

    @Test
    void customRuntimesAreReadFromTheirDirectory(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("custom-runtimes.list"), "# handler:base:snapshotter:pulltype\n"
                + "kata-qemu-small:qemu::\n\nkata-snp-gp:qemu-snp:nydus:guest-pull\n");
        java.nio.file.Files.writeString(dir.resolve("dropin-kata-qemu-small.toml"), "[hypervisor.qemu]\ndefault_memory = 512\n");
        Map<String, String> env = Map.of("SHIMS_X86_64", "qemu qemu-snp", "CUSTOM_RUNTIMES_ENABLED", "true",
                "CUSTOM_RUNTIMES_DIR", dir.toString());
        DeploySpec s = load(Map.of(), env, "").spec();
        assertThat(s.extras().customRuntimes()).containsExactly(
                new io.kdeploy.core.CustomRuntime("kata-qemu-small", "qemu", "", "", "[hypervisor.qemu]\ndefault_memory = 512\n"),
                new io.kdeploy.core.CustomRuntime("kata-snp-gp", "qemu-snp", "nydus", "guest-pull", ""));
        assertThat(s.handlers()).containsExactly("kata-qemu", "kata-qemu-snp", "kata-qemu-small", "kata-snp-gp");
        assertThat(load(Map.of(), Map.of("CUSTOM_RUNTIMES_DIR", dir.toString()), "").spec().extras().customRuntimes())
                .as("not enabled").isEmpty();
    }

    @Test
    void customRuntimeListErrorsNameTheLine(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("SHIMS_X86_64", "qemu", "CUSTOM_RUNTIMES_ENABLED", "true", "CUSTOM_RUNTIMES_DIR",
                dir.toString());
        assertThatThrownBy(() -> load(Map.of(), env, "")).isInstanceOf(SpecValueException.class)
                .hasMessageContaining("custom-runtimes.list cannot be read");
        java.nio.file.Files.writeString(dir.resolve("custom-runtimes.list"), "kata-a:qemu::\nkata-b:qemu\n");
        assertThatThrownBy(() -> load(Map.of(), env, "")).isInstanceOf(SpecValueException.class)
                .hasMessageContaining("custom-runtimes.list:2: 'kata-b:qemu' is not handler:baseShim:snapshotter:pullType");
        java.nio.file.Files.writeString(dir.resolve("custom-runtimes.list"), "kata-a:clh::\n");
        assertThatThrownBy(() -> load(Map.of(), env, "")).isInstanceOf(SpecValueException.class)
                .hasMessageContaining("based on shim 'clh', which is not enabled");
        java.nio.file.Files.writeString(dir.resolve("custom-runtimes.list"), "kata-a:qemu::lazy\n");
        assertThatThrownBy(() -> load(Map.of(), env, "")).isInstanceOf(SpecValueException.class)
                .hasMessageContaining(":1: ").hasMessageContaining("only pull type is guest-pull");
        java.nio.file.Files.writeString(dir.resolve("custom-runtimes.list"), "kata-qemu:qemu::\n");
        assertThatThrownBy(() -> load(Map.of(), env, "")).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("'kata-qemu' is already the handler of an enabled shim");
        java.nio.file.Files.writeString(dir.resolve("custom-runtimes.list"), "# nothing\n");
        assertThatThrownBy(() -> load(Map.of(), env, "")).isInstanceOf(SpecValueException.class)
                .hasMessageContaining("lists none");
    }
}
