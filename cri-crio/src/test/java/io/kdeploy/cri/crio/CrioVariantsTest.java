package io.kdeploy.cri.crio;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.CustomRuntime;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.KataExtras;
import io.kdeploy.core.KataLayout;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.plan.ConfigPlan;
import io.kdeploy.core.spi.NodeFiles;
import io.kdeploy.core.spi.PlanContext;
import io.kdeploy.core.toml.KeyPath;
import io.kdeploy.core.toml.TomlDocument;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Debug/devkit variants and custom runtimes get CRI-O handlers of their own, pointed at their own configurations. */
class CrioVariantsTest {
    private static final String DROP_IN = "/etc/crio/crio.conf.d/99-kata-deploy";

    @Test
    void variantsAndCustomRuntimesAreRegisteredWithTheirOwnConfigurations() {
        CustomRuntime gpu = new CustomRuntime("kata-gpu-team", "qemu", "", "guest-pull", "");
        DeploySpec spec = DeploySpec.of("qemu").withDebug(true)
                .withExtras(KataExtras.NONE.withDevkit(true).withCustomRuntimes(List.of(gpu)));
        KataLayout layout = new KataLayout(spec);

        ConfigPlan plan = new CrioConfigurator().plan(
                PlanContext.fresh(NodeFiles.of(Map.of()), spec, RuntimeInfo.parse("cri-o://1.31.1")));
        TomlDocument dropIn = TomlDocument.parse(DROP_IN, plan.edits().stream()
                .filter(e -> e.path().equals(DROP_IN)).findFirst().orElseThrow().after());

        assertThat(dropIn.keys(KeyPath.parse("crio.runtime.runtimes")))
                .containsExactly("kata-qemu", "kata-qemu-debug", "kata-qemu-devkit", "kata-gpu-team");
        assertThat(dropIn.get(KeyPath.parse("crio.runtime.runtimes.kata-qemu-devkit.runtime_config_path")))
                .contains(layout.variantConfigPath("qemu", "devkit"));
        assertThat(dropIn.get(KeyPath.parse("crio.runtime.runtimes.kata-gpu-team.runtime_config_path")))
                .contains(layout.customConfigPath(gpu));
        assertThat(dropIn.get(KeyPath.parse("crio.runtime.runtimes.kata-gpu-team.runtime_pull_image")))
                .contains(true);
        assertThat(plan.handlers()).isEqualTo(spec.handlers());
    }
}
