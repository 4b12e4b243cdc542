package io.kdeploy.testkit;

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
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory node that applies plans the way core's {@code PlanApplier} does and keeps, per install instance, the install
 * record core would write; the baselines of the next plan come from that record through {@link InstallRecords#baselines}.
 * Not thread-safe; one per test.
 *
 * <pre>{@code
 * SimulatedNode node = new SimulatedNode(fixture.files());
 * node.install(configurator, spec, runtime);
 * assertThat(node.plan(configurator, spec, runtime)).isEmpty();
 * }</pre>
 */
public final class SimulatedNode {
    private final TreeMap<String, Bytes> files;
    private final Map<String, Map<String, Entry>> records = new HashMap<>();

    private record Entry(@Nullable Bytes baseline, @Nullable Bytes after, List<TomlEdit> undo) {}

    /** A node with these files (node path to content). */
    public SimulatedNode(Map<String, Bytes> files) {
        this.files = new TreeMap<>(files);
    }

    /** A copy of the node's files now. */
    public Map<String, Bytes> files() {
        return new TreeMap<>(files);
    }

    /** The node's files as the configurer reads them. */
    public NodeFiles nodeFiles() {
        return NodeFiles.of(files);
    }

    /** The context an install or cleanup of {@code spec} gets now: the files and the instance's recorded baselines. */
    public PlanContext context(DeploySpec spec, RuntimeInfo runtime) {
        return new PlanContext(nodeFiles(), spec, runtime, baselines(spec.instance()), false);
    }

    /** Plans an install without applying it. */
    public ConfigPlan plan(CriConfigurator c, DeploySpec spec, RuntimeInfo runtime) {
        return c.plan(context(spec, runtime));
    }

    /** Plans and applies an install and records what it touched. */
    public ConfigPlan install(CriConfigurator c, DeploySpec spec, RuntimeInfo runtime) {
        ConfigPlan plan = plan(c, spec, runtime);
        apply(plan);
        Map<String, Entry> rec = records.computeIfAbsent(spec.instance(), k -> new TreeMap<>());
        for (FileEdit e : plan.edits()) {
            Entry old = rec.get(e.path());
            rec.put(e.path(), new Entry(old == null ? e.baseline() : old.baseline(), e.after(), e.undo()));
        }
        return plan;
    }

    /** Plans and applies a cleanup and forgets the instance's record. */
    public ConfigPlan revert(CriConfigurator c, DeploySpec spec, RuntimeInfo runtime) {
        ConfigPlan plan = c.planRevert(context(spec, runtime));
        apply(plan);
        records.remove(spec.instance());
        return plan;
    }

    private void apply(ConfigPlan plan) {
        for (FileEdit e : plan.edits()) {
            Bytes now = files.get(e.path());
            if (!Objects.equals(now, e.before())) {
                throw new AssertionError("The plan expects " + e.path() + " to be " + e.before() + " but the node has " + now
                        + ": a plan's FileEdit.before must be the file's current content.");
            }
            if (e.after() == null) {
                files.remove(e.path());
            } else {
                files.put(e.path(), e.after());
            }
        }
    }

    private Baselines baselines(String instance) {
        Map<String, Entry> rec = records.get(instance);
        if (rec == null) {
            return Baselines.NONE;
        }
        List<InstallRecord.FileEntry> entries = new ArrayList<>();
        rec.forEach((path, e) -> entries.add(new InstallRecord.FileEntry(
                path, e.baseline(), e.undo(), e.after() == null ? null : e.after().sha256(), null)));
        return InstallRecords.baselines(new InstallRecord(instance, InstallRecord.State.COMPLETE, entries));
    }
}
