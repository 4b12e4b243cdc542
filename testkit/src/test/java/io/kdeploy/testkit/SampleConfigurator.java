package io.kdeploy.testkit;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.Flavour;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.ConfigPlan;
import io.kdeploy.core.plan.FileEdit;
import io.kdeploy.core.spi.CriConfigurator;
import io.kdeploy.core.spi.PlanContext;
import io.kdeploy.core.toml.KeyPath;
import io.kdeploy.core.toml.TomlDocument;
import io.kdeploy.core.toml.TomlEdit;
import io.kdeploy.core.toml.TomlValues;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A small, sound configurer the contract must pass: one {@code runtime_type} per handler in containerd's main file, planned
 * from the baseline, cleaned up through the recorded baseline. Subclasses break one property each.
 */
class SampleConfigurator implements CriConfigurator {
    static final String CONFIG = "/etc/containerd/config.toml";
    static final KeyPath RUNTIMES = KeyPath.parse("plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes");

    @Override
    public String id() {
        return "sample";
    }

    @Override
    public boolean supports(RuntimeInfo runtime) {
        return runtime.flavour() == Flavour.CONTAINERD;
    }

    @Override
    public ConfigPlan plan(PlanContext ctx) {
        Bytes baseline = ctx.baseline(CONFIG);
        TomlDocument result = TomlDocument.parse(CONFIG, baseline).applyAll(edits(ctx.spec()));
        FileEdit e = FileEdit.of(CONFIG, ctx.current(CONFIG), baseline, result, 0644);
        return plan(e, ctx.spec());
    }

    List<TomlEdit> edits(DeploySpec spec) {
        List<TomlEdit> edits = new ArrayList<>();
        for (String h : spec.handlers()) {
            edits.add(new TomlEdit.SetValue(RUNTIMES.child(h).child("runtime_type"), TomlValues.string("io.containerd." + h + ".v2")));
        }
        return edits;
    }

    static ConfigPlan plan(FileEdit e, DeploySpec spec) {
        return new ConfigPlan(List.of(e), e.isNoop() ? null : "containerd", null, spec.handlers(), List.of());
    }

    static ConfigPlan plan(List<FileEdit> edits, DeploySpec spec) {
        return new ConfigPlan(edits, null, null, spec.handlers(), List.of());
    }

    static String text(@Nullable Bytes b) {
        return b == null ? "" : b.asUtf8();
    }

    @Override
    public ConfigPlan planRevert(PlanContext ctx) {
        return ConfigPlan.revert(ctx, "containerd", null);
    }
}
