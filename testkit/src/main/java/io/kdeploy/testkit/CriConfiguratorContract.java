package io.kdeploy.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.MalformedConfigException;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.ConfigPlan;
import io.kdeploy.core.plan.FileEdit;
import io.kdeploy.core.plan.HostRoot;
import io.kdeploy.core.spi.CriConfigurator;
import io.kdeploy.core.spi.NodeFiles;
import io.kdeploy.core.spi.PlanContext;
import io.kdeploy.core.toml.TomlDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance contract of a {@link CriConfigurator}: extend it in a test class, give it the configurer, its corpus and
 * the node paths it may write, and every property below runs as one dynamic test per case.
 *
 * <ul>
 *   <li>planning is pure and deterministic: the same inputs twice give equal plans, a host root on disk gives the same plan
 *       as the same files in memory, and planning writes nothing;</li>
 *   <li>the first install changes something, and installing again on the installed node is an empty plan that restarts
 *       nothing;</li>
 *   <li>install then cleanup gives back every file byte for byte;</li>
 *   <li>two installs with suffixes {@code a} and {@code b} leave each other's entries alone (see
 *       {@link #twoInstancesLeaveEachOtherAlone});</li>
 *   <li>a malformed main file raises {@link MalformedConfigException} naming the file, line and column;</li>
 *   <li>only the declared paths are written;</li>
 *   <li>every file written parses ({@link TomlDocument#parse} unless {@link #assertParses} is overridden).</li>
 * </ul>
 *
 * <pre>{@code
 * class MyConfiguratorContractTest extends CriConfiguratorContract {
 *     protected CriConfigurator configurator() { return new MyConfigurator(); }
 *     protected List<CorpusCase> cases() {
 *         return List.of(NodeFixture.containerd("1.7.22").withConfig("version = 2\n").toCase("plain", DeploySpec.of("qemu")));
 *     }
 *     protected List<String> writablePaths() { return List.of("/etc/containerd/**"); }
 * }
 * }</pre>
 *
 * Installs and cleanups run on a {@link SimulatedNode}, which keeps the install record core would keep.
 */
public abstract class CriConfiguratorContract {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The configurer under test; a new instance or a shared one, the contract only calls its pure methods. */
    protected abstract CriConfigurator configurator();

    /** The corpus: at least one case. */
    protected abstract List<CorpusCase> cases();

    /**
     * Glob patterns ({@link java.nio.file.FileSystem#getPathMatcher} {@code glob:} syntax) of the node paths the configurer
     * may write, e.g. {@code /etc/containerd/config.toml} or {@code /etc/containerd/conf.d/kata-deploy*.toml}.
     */
    protected abstract List<String> writablePaths();

    /**
     * Properties a case is known to fail, as {@code "<property method>/<case name>"} (e.g.
     * {@code "twoInstancesLeaveEachOtherAlone/containerd-2.0-no-imports"}) to the reason, usually an issue reference. Such a
     * test passes only while the property still fails, and fails once it holds, so the list cannot go stale. Empty by
     * default.
     */
    protected Map<String, String> knownFailures() {
        return Map.of();
    }

    /** The malformed variant of a case's main file; by default {@link BrokenFile#appendingGarbage}. */
    protected BrokenFile brokenVariant(CorpusCase c) {
        return BrokenFile.appendingGarbage(c.files().getOrDefault(c.mainFile(), Bytes.utf8("")));
    }

    /**
     * Fails when a file the configurer wrote does not parse. By default every file must be TOML ({@link TomlDocument#parse});
     * override it for other formats.
     */
    protected void assertParses(String nodePath, Bytes content) {
        TomlDocument.parse(nodePath, content);
    }

    /**
     * What a file means, for comparisons that ignore order and formatting. By default the file is TOML and its meaning is its
     * tables as a JSON tree (tables compare without order, arrays with it); override it with {@link #assertParses} for
     * other formats.
     */
    protected Object meaning(String nodePath, Bytes content) {
        String text = content.asUtf8();
        TomlParseResult toml = Toml.parse(text.startsWith("\uFEFF") ? text.substring(1) : text);
        if (toml.hasErrors()) {
            throw new AssertionError(nodePath + " does not parse: " + toml.errors());
        }
        try {
            return JSON.readTree(toml.toJson());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Same inputs twice give equal plans; a host root on disk gives the same plan as in memory; planning writes nothing. */
    @TestFactory
    Stream<DynamicTest> planningIsPureAndDeterministic(@TempDir Path tmp) {
        return each("planningIsPureAndDeterministic", c -> {
            CriConfigurator conf = configurator();
            ConfigPlan first = conf.plan(PlanContext.fresh(NodeFiles.of(c.files()), c.spec(), c.runtime()));
            ConfigPlan second = conf.plan(PlanContext.fresh(NodeFiles.of(c.files()), c.spec(), c.runtime()));
            assertEqualPlans(c.name() + ": planning the same install twice", first, second);
            ConfigPlan other = configurator().plan(PlanContext.fresh(NodeFiles.of(c.files()), c.spec(), c.runtime()));
            assertEqualPlans(c.name() + ": planning with a second configurer instance", first, other);

            Path dir = tmp.resolve(c.name());
            HostRoot root = NodeFixture.write(dir, c.files());
            Map<String, Bytes> onDisk = snapshot(dir);
            ConfigPlan fromDisk = conf.plan(PlanContext.fresh(root, c.spec(), c.runtime()));
            assertEqualPlans(c.name() + ": planning from a host root on disk versus the same files in memory", first,
                    fromDisk);
            assertSameFiles(c.name() + ": the host root after planning (planning must not write)", onDisk, snapshot(dir));

            SimulatedNode node = new SimulatedNode(c.files());
            node.install(conf, c.spec(), c.runtime());
            ConfigPlan revert1 = conf.planRevert(node.context(c.spec(), c.runtime()));
            ConfigPlan revert2 = conf.planRevert(node.context(c.spec(), c.runtime()));
            assertEqualPlans(c.name() + ": planning the same cleanup twice", revert1, revert2);
        });
    }

    /** The first install changes something; installing again on the installed node is empty and restarts nothing. */
    @TestFactory
    Stream<DynamicTest> reinstallOnAnInstalledNodeIsEmpty() {
        return each("reinstallOnAnInstalledNodeIsEmpty", c -> {
            CriConfigurator conf = configurator();
            SimulatedNode node = new SimulatedNode(c.files());
            KdeployAssertions.assertThat(node.install(conf, c.spec(), c.runtime()))
                    .as("%s: the first install", c.name()).isNotEmpty();
            KdeployAssertions.assertThat(node.install(conf, c.spec(), c.runtime()))
                    .as("%s: installing again on the installed node", c.name()).isEmpty().restartsNothing();
        });
    }

    /** Install then cleanup gives back every file byte for byte. */
    @TestFactory
    Stream<DynamicTest> installThenRevertIsByteIdentical() {
        return each("installThenRevertIsByteIdentical", c -> {
            CriConfigurator conf = configurator();
            SimulatedNode node = new SimulatedNode(c.files());
            node.install(conf, c.spec(), c.runtime());
            node.revert(conf, c.spec(), c.runtime());
            assertSameFiles(c.name() + ": the node after install and cleanup", c.reverted(), node.files());
        });
    }

    /**
     * Installs {@code a} then {@code b}: both change something; planning {@code a} again changes no file's meaning
     * ({@link #meaning}: it may only move its own entries after {@code b}'s), planning {@code b} again is empty; cleaning up
     * {@code b} leaves {@code a} exactly installed (planning it again is empty), and cleaning up {@code a} then gives back
     * the input.
     */
    @TestFactory
    Stream<DynamicTest> twoInstancesLeaveEachOtherAlone() {
        return each("twoInstancesLeaveEachOtherAlone", c -> {
            CriConfigurator conf = configurator();
            DeploySpec a = c.spec().withSuffix("a");
            DeploySpec b = c.spec().withSuffix("b");
            SimulatedNode node = new SimulatedNode(c.files());
            KdeployAssertions.assertThat(node.install(conf, a, c.runtime())).as("%s: installing a", c.name()).isNotEmpty();
            KdeployAssertions.assertThat(node.install(conf, b, c.runtime()))
                    .as("%s: installing b next to a (b's entries must be its own, suffixed)", c.name()).isNotEmpty();
            assertSameMeaning(c.name() + ": planning a again after b was installed (b must not change a's entries)",
                    node.plan(conf, a, c.runtime()));
            KdeployAssertions.assertThat(node.plan(conf, b, c.runtime()))
                    .as("%s: planning b again", c.name()).isEmpty();
            node.revert(conf, b, c.runtime());
            KdeployAssertions.assertThat(node.plan(conf, a, c.runtime()))
                    .as("%s: planning a again after b was cleaned up (b's cleanup must not take a's entries)", c.name())
                    .isEmpty();
            node.revert(conf, a, c.runtime());
            Map<String, Bytes> end = node.files();
            if (!end.equals(c.reverted())) {
                assertSameFiles(c.name() + ": the node after installing a and b and cleaning up b then a", c.files(), end);
            }
        });
    }

    /** A malformed main file raises {@link MalformedConfigException} naming the file, the line and a column. */
    @TestFactory
    Stream<DynamicTest> malformedInputNamesLineAndColumn() {
        return each("malformedInputNamesLineAndColumn", c -> {
            BrokenFile broken = brokenVariant(c);
            CorpusCase bad = c.withMainFile(broken.content());
            assertThatThrownBy(() -> configurator().plan(
                    PlanContext.fresh(NodeFiles.of(bad.files()), bad.spec(), bad.runtime())))
                    .as("%s: planning with a malformed %s (line %d is broken)", c.name(), c.mainFile(), broken.line())
                    .isInstanceOf(MalformedConfigException.class)
                    .satisfies(e -> {
                        MalformedConfigException m = (MalformedConfigException) e;
                        assertThat(m.file()).as("the file the error names").isEqualTo(c.mainFile());
                        assertThat(m.line()).as("the line the error names (%s)", m.getMessage()).isEqualTo(broken.line());
                        assertThat(m.column()).as("the column the error names (%s)", m.getMessage()).isPositive();
                    });
        });
    }

    /** Every path any plan (install, re-install, second instance, cleanup) names matches {@link #writablePaths()}. */
    @TestFactory
    Stream<DynamicTest> writesOnlyDeclaredPaths() {
        List<String> globs = writablePaths();
        List<PathMatcher> matchers = globs.stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        return each("writesOnlyDeclaredPaths", c -> {
            CriConfigurator conf = configurator();
            SimulatedNode node = new SimulatedNode(c.files());
            List<ConfigPlan> plans = new ArrayList<>();
            plans.add(node.install(conf, c.spec(), c.runtime()));
            plans.add(node.install(conf, c.spec().withSuffix("b"), c.runtime()));
            plans.add(node.revert(conf, c.spec().withSuffix("b"), c.runtime()));
            plans.add(node.revert(conf, c.spec(), c.runtime()));
            for (ConfigPlan plan : plans) {
                for (FileEdit e : plan.edits()) {
                    if (matchers.stream().noneMatch(m -> m.matches(Path.of(e.path())))) {
                        fail("%s: the plan names %s, which matches none of the declared writable paths %s. The plan:%n%s",
                                c.name(), e.path(), globs, plan.toUnifiedDiff());
                    }
                }
            }
        });
    }

    /** Every file an install (alone, next to a second instance) or a cleanup writes parses. */
    @TestFactory
    Stream<DynamicTest> outputParses() {
        return each("outputParses", c -> {
            CriConfigurator conf = configurator();
            SimulatedNode node = new SimulatedNode(c.files());
            assertOutputParses(c, node.install(conf, c.spec(), c.runtime()));
            assertOutputParses(c, node.install(conf, c.spec().withSuffix("b"), c.runtime()));
            assertOutputParses(c, node.revert(conf, c.spec(), c.runtime()));
        });
    }

    private void assertOutputParses(CorpusCase c, ConfigPlan plan) {
        for (FileEdit e : plan.edits()) {
            Bytes after = e.after();
            if (after == null || e.isNoop()) {
                continue;
            }
            try {
                assertParses(e.path(), after);
            } catch (RuntimeException ex) {
                throw new AssertionError(c.name() + ": " + e.path() + " as written does not parse: " + ex.getMessage()
                        + System.lineSeparator() + "The content:" + System.lineSeparator() + after.asUtf8(), ex);
            }
        }
    }

    /** Fails when an edit of the plan would change what a file means (moving entries is allowed). */
    private void assertSameMeaning(String what, ConfigPlan plan) {
        for (FileEdit e : plan.edits()) {
            if (e.isNoop()) {
                continue;
            }
            Bytes before = e.before();
            Bytes after = e.after();
            if (before == null || after == null || !meaning(e.path(), before).equals(meaning(e.path(), after))) {
                fail("%s: the plan would change what %s means:%n%s", what, e.path(), plan.toUnifiedDiff());
            }
        }
    }

    private Stream<DynamicTest> each(String property, Consumer<CorpusCase> check) {
        List<CorpusCase> cases = cases();
        assertThat(cases).as("the contract's corpus (cases()) must not be empty").isNotEmpty();
        Map<String, String> known = knownFailures();
        return cases.stream().map(c -> {
            String reason = known.get(property + "/" + c.name());
            if (reason == null) {
                return DynamicTest.dynamicTest(c.name(), () -> check.accept(c));
            }
            return DynamicTest.dynamicTest(c.name() + " (known failure: " + reason + ")", () -> {
                try {
                    check.accept(c);
                } catch (AssertionError expected) {
                    return;
                }
                fail("%s/%s is listed in knownFailures() (%s) but now passes: remove it from the list.", property, c.name(),
                        reason);
            });
        });
    }

    private static void assertEqualPlans(String what, ConfigPlan expected, ConfigPlan actual) {
        if (!expected.equals(actual)) {
            fail("%s gave different plans.%nFirst (%s, restart %s, handlers %s):%n%s%nThen (%s, restart %s, handlers %s):%n%s",
                    what, expected.changedPaths(), expected.restartUnit(), expected.handlers(), expected.toUnifiedDiff(),
                    actual.changedPaths(), actual.restartUnit(), actual.handlers(), actual.toUnifiedDiff());
        }
    }

    /** Fails with a unified diff from the expected files to the actual ones. */
    private static void assertSameFiles(String what, Map<String, Bytes> expected, Map<String, Bytes> actual) {
        if (expected.equals(actual)) {
            return;
        }
        TreeSet<String> paths = new TreeSet<>(expected.keySet());
        paths.addAll(actual.keySet());
        List<FileEdit> diffs = new ArrayList<>();
        for (String p : paths) {
            Bytes want = expected.get(p);
            Bytes got = actual.get(p);
            if (!Objects.equals(want, got)) {
                diffs.add(new FileEdit(p, want, got, want, 0644, List.of()));
            }
        }
        fail("%s differs from what was expected in %s (%s lines are expected, + lines are what the node has):%n%s", what,
                diffs.stream().map(FileEdit::path).toList(), "-",
                new ConfigPlan(diffs, null, null, List.of(), List.of()).toUnifiedDiff());
    }

    private static Map<String, Bytes> snapshot(Path dir) {
        Map<String, Bytes> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                String key = "/" + dir.relativize(p).toString();
                out.put(key, Files.isRegularFile(p) ? Bytes.of(Files.readAllBytes(p)) : Bytes.utf8("<directory>"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
