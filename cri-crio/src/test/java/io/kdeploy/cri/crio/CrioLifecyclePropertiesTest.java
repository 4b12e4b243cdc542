package io.kdeploy.cri.crio;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.ConfigPlan;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any install, then any re-install of the same instance, then cleanup: each output means its spec, and cleanup is exact. */
class CrioLifecyclePropertiesTest {
    private static final List<String> SHIMS =
            List.of("qemu", "clh", "qemu-runtime-rs", "qemu-snp", "qemu-tdx", "dragonball", "qemu-nvidia-gpu");
    private static final Map<String, Bytes> HOST = TestNode.host("fedora-crio-1.31");
    private final CrioConfigurator crio = new CrioConfigurator();

    /** Two installs of one instance (same suffix) with any shims, guest-pull shims, prefix and debug setting. */
    @Provide
    Arbitrary<List<DeploySpec>> installs() {
        return Arbitraries.of("", "canary", "a1").flatMap(suffix -> specs(suffix).list().ofSize(2));
    }

    private static Arbitrary<DeploySpec> specs(String suffix) {
        Arbitrary<List<String>> shims = Arbitraries.of(SHIMS).set().ofMinSize(1).map(s -> SHIMS.stream()
                .filter(s::contains).toList());
        Arbitrary<Set<String>> guestPull = Arbitraries.of(SHIMS).set();
        Arbitrary<String> prefix = Arbitraries.of("", "/usr/local");
        return Combinators.combine(shims, guestPull, prefix, Arbitraries.of(true, false))
                .as((s, gp, pre, debug) -> {
                    Map<String, String> pull = new TreeMap<>();
                    gp.stream().filter(s::contains).forEach(x -> pull.put(x, "guest-pull"));
                    return TestNode.spec(s, suffix, pre, debug, pull, Map.of());
                });
    }

    @Property(tries = 40)
    void installReinstallCleanup(@ForAll("installs") List<DeploySpec> specs) {
        Map<String, Bytes> node = HOST;
        TestNode.Record record = TestNode.Record.empty();
        for (DeploySpec spec : specs) {
            ConfigPlan plan = crio.plan(TestNode.context(node, spec, record, false));
            assertThat(plan.warnings()).isEmpty();
            node = TestNode.apply(node, plan);
            record = record.after(plan);
            String dropIn = CrioFiles.inDropInDir(CrioFiles.dropInName(spec));
            String debug = CrioFiles.inDropInDir(CrioFiles.debugDropInName(spec));
            CrioGoldenTest.meansTheSpec(spec, dropIn, node.get(dropIn).asUtf8());
            if (spec.debug()) {
                CrioGoldenTest.meansTheSpec(spec, debug, node.get(debug).asUtf8());
            } else {
                assertThat(node).doesNotContainKey(debug);
            }
            assertThat(crio.plan(TestNode.context(node, spec, record, false)).isEmpty()).isTrue();
        }
        ConfigPlan revert = crio.planRevert(TestNode.context(node, specs.get(0), record, false));
        assertThat(TestNode.apply(node, revert)).isEqualTo(HOST);
    }
}
