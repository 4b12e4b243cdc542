package io.kdeploy.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UnitActionsTest {
    private static final String UNIT = "/etc/systemd/system/nydus-for-kata-tee-b.service";
    private static final String CONFIG = "/opt/kata-b/nydus-for-kata-tee-b/config-guest-pulling.toml";
    private static final String CRI = "/etc/containerd/conf.d/kata-deploy-b.toml";

    private static FileEdit edit(String path, String before, String after) {
        return new FileEdit(path, before == null ? null : Bytes.utf8(before), after == null ? null : Bytes.utf8(after), null,
                0644, List.of());
    }

    private static ConfigPlan plan(FileEdit... edits) {
        return new ConfigPlan(List.of(edits), "containerd", null, List.of(), List.of());
    }

    @Test
    void aNewUnitIsReloadedEnabledAndStartedAfterTheFilesAreWritten() {
        UnitActions a = UnitActions.of(plan(edit(CRI, null, "x"), edit(UNIT, null, "[Unit]\n"), edit(CONFIG, null, "v")));
        assertThat(a).isEqualTo(new UnitActions(List.of(), List.of("nydus-for-kata-tee-b"), true));
        RecordingHostUnits units = new RecordingHostUnits();
        a.runBefore(units);
        assertThat(units.calls()).isEmpty();
        a.runAfter(units);
        assertThat(units.calls()).containsExactly("daemon-reload", "enable nydus-for-kata-tee-b",
                "restart nydus-for-kata-tee-b");
    }

    @Test
    void aChangedConfigurationRestartsItsUnitWithoutAReload() {
        UnitActions a = UnitActions.of(plan(edit(UNIT, "[Unit]\n", "[Unit]\n"), edit(CONFIG, "v1", "v2")));
        assertThat(a.startAfter()).containsExactly("nydus-for-kata-tee-b");
        assertThat(a.stopBefore()).isEmpty();
    }

    @Test
    void aRemovedUnitIsStoppedBeforeAndSystemdReloadedAfter() {
        UnitActions a = UnitActions.of(plan(edit(UNIT, "[Unit]\n", null), edit(CONFIG, "v", null)));
        RecordingHostUnits units = new RecordingHostUnits();
        a.runBefore(units);
        a.runAfter(units);
        assertThat(units.calls()).containsExactly("disable --now nydus-for-kata-tee-b", "daemon-reload");
    }

    @Test
    void aPlanWithoutUnitFilesHasNothingToDo() {
        assertThat(UnitActions.of(plan(edit(CRI, "a", "b"))).isEmpty()).isTrue();
        assertThat(UnitActions.NONE.isEmpty()).isTrue();
    }
}
