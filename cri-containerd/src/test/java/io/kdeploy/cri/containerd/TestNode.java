package io.kdeploy.cri.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.ConfigPlan;
import io.kdeploy.core.plan.FileEdit;
import io.kdeploy.core.plan.InstallRecord;
import io.kdeploy.core.plan.InstallRecords;
import io.kdeploy.core.spi.Baselines;
import io.kdeploy.core.spi.CriConfigurator;
import io.kdeploy.core.spi.NodeFiles;
import io.kdeploy.core.spi.PlanContext;
import io.kdeploy.core.toml.TomlEdit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory node for tests: its files, and per install instance core's install record of what each touched file looked
 * like before (exact bytes while the file is as the install left it, the install's structural undo once someone else
 * changed it).
 */
final class TestNode {
    private final TreeMap<String, Bytes> files;
    private final Map<String, Map<String, Entry>> records = new HashMap<>();

    private record Entry(@Nullable Bytes baseline, @Nullable Bytes after, List<TomlEdit> undo) {}

    TestNode(Map<String, Bytes> files) {
        this.files = new TreeMap<>(files);
    }

    /** A copy of the node's files. */
    Map<String, Bytes> files() {
        return new TreeMap<>(files);
    }

    /** Someone else writes a file (an operator's hand edit). */
    void put(String path, Bytes content) {
        files.put(path, content);
    }

    NodeFiles nodeFiles() {
        return NodeFiles.of(files);
    }

    /** The context an install or cleanup of this spec would get. */
    PlanContext context(DeploySpec spec, RuntimeInfo runtime) {
        return new PlanContext(nodeFiles(), spec, runtime, baselines(spec.instance()), false);
    }

    /** Plans and applies an install, recording what it touched. */
    ConfigPlan install(CriConfigurator c, DeploySpec spec, RuntimeInfo runtime) {
        ConfigPlan plan = c.plan(context(spec, runtime));
        apply(plan);
        Map<String, Entry> rec = records.computeIfAbsent(spec.instance(), k -> new TreeMap<>());
        for (FileEdit e : plan.edits()) {
            Entry old = rec.get(e.path());
            rec.put(e.path(), new Entry(old == null ? e.baseline() : old.baseline(), e.after(), e.undo()));
        }
        return plan;
    }

    /** The files after installing the spec on this node. */
    Map<String, Bytes> installed(CriConfigurator c, DeploySpec spec, RuntimeInfo runtime) {
        install(c, spec, runtime);
        return files();
    }

    /** Plans and applies a cleanup, forgetting the instance's record. */
    ConfigPlan revert(CriConfigurator c, DeploySpec spec, RuntimeInfo runtime) {
        ConfigPlan plan = c.planRevert(context(spec, runtime));
        apply(plan);
        records.remove(spec.instance());
        return plan;
    }

    private void apply(ConfigPlan plan) {
        for (FileEdit e : plan.edits()) {
            assertThat(files.get(e.path())).as("bytes of %s before the edit", e.path()).isEqualTo(e.before());
            if (e.after() == null) {
                files.remove(e.path());
            } else {
                files.put(e.path(), e.after());
            }
        }
    }

    /** The baselines core derives from the instance's install record ({@link InstallRecords#baselines}). */
    private Baselines baselines(String instance) {
        Map<String, Entry> rec = records.getOrDefault(instance, Map.of());
        List<InstallRecord.FileEntry> entries = new ArrayList<>();
        rec.forEach((path, e) -> entries.add(new InstallRecord.FileEntry(path, e.baseline(), e.undo(),
                e.after() == null ? null : e.after().sha256(), null)));
        return InstallRecords.baselines(new InstallRecord(instance, InstallRecord.State.COMPLETE, entries));
    }
}
