package io.kdeploy.benchmarks;

import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.ConfigPlan;
import io.kdeploy.core.plan.FileEdit;
import io.kdeploy.core.toml.KeyPath;
import io.kdeploy.core.toml.TomlDocument;
import io.kdeploy.core.toml.TomlEdit;
import io.kdeploy.core.toml.TomlValues;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse + plan (register two Kata handlers, kata-deploy's six keys each) + render as a unified diff, on containerd 1.6's
 * ~7 KB default config. Every edit is verified by a re-parse, so this measures the safe path end to end.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class TomlPlanBenchmark {
    static final String PATH = "/etc/containerd/config.toml";

    Bytes config;
    List<TomlEdit> edits;

    /** Loads the config and builds the edits once. */
    @Setup
    public void setUp() throws IOException {
        try (InputStream in = Objects.requireNonNull(TomlPlanBenchmark.class.getResourceAsStream("input.toml"))) {
            config = Bytes.of(in.readAllBytes());
        }
        edits = new ArrayList<>();
        for (String shim : List.of("qemu", "clh")) {
            KeyPath rt = KeyPath.parse("plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.kata-" + shim);
            edits.add(new TomlEdit.SetValue(rt.child("runtime_type"), TomlValues.string("io.containerd.kata-" + shim + ".v2")));
            edits.add(new TomlEdit.SetValue(rt.child("runtime_path"), TomlValues.string("/opt/kata/bin/containerd-shim-kata-v2")));
            edits.add(new TomlEdit.SetValue(rt.child("privileged_without_host_devices"), "true"));
            edits.add(new TomlEdit.SetValue(rt.child("pod_annotations"), TomlValues.stringArray(List.of("io.katacontainers.*"))));
            edits.add(new TomlEdit.SetValue(rt.child("container_annotations"),
                    TomlValues.stringArray(List.of("io.kubernetes.container.terminationMessage*"))));
            edits.add(new TomlEdit.SetValue(rt.child("options").child("ConfigPath"), TomlValues.string(
                    "/opt/kata/share/defaults/kata-containers/runtimes/" + shim + "/configuration-" + shim + ".toml")));
        }
    }

    /** Only the tomlj parse and the scan of the config: the floor under every plan. */
    @Benchmark
    public TomlDocument parseOnly() {
        return TomlDocument.parse(PATH, config);
    }

    /** One whole plan: parse, edit, render. */
    @Benchmark
    public String parsePlanRender() {
        TomlDocument doc = TomlDocument.parse(PATH, config).applyAll(edits);
        ConfigPlan plan = new ConfigPlan(List.of(FileEdit.of(PATH, config, config, doc, 0644)), "containerd", null,
                List.of("kata-qemu", "kata-clh"), List.of());
        return plan.toUnifiedDiff();
    }
}
