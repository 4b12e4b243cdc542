package io.kdeploy.cri.containerd;

import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.toml.KeyPath;
import io.kdeploy.core.toml.TomlDocument;
import io.kdeploy.core.toml.TomlEdit;
import io.kdeploy.core.toml.TomlValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real containerd daemon in a sandbox: the config under test with {@code root}, {@code state}, the gRPC and ttrpc
 * sockets, the {@code opt} plugin's path and the metrics address moved into a temporary directory. Started, waited for
 * until its CRI plugin has loaded (or failed to), and stopped by its PID.
 */
final class ContainerdDaemon implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final Path log;
    private final Path socket;

    private ContainerdDaemon(Process process, Path log, Path socket) {
        this.process = process;
        this.log = log;
        this.socket = socket;
    }

    /**
     * The config under test moved into {@code dir}: only the keys that point at host-wide places change; every other byte
     * stays. Schema 2 configs (containerd 1.x).
     */
    static Bytes sandboxed(Path dir, Bytes config) {
        TomlDocument doc = TomlDocument.parse("config under test", config);
        List<TomlEdit> edits = List.of(
                new TomlEdit.SetValue(KeyPath.of("root"), TomlValues.string(dir.resolve("root").toString())),
                new TomlEdit.SetValue(KeyPath.of("state"), TomlValues.string(dir.resolve("state").toString())),
                new TomlEdit.SetValue(KeyPath.of("grpc", "address"), TomlValues.string(dir.resolve("c.sock").toString())),
                new TomlEdit.SetValue(KeyPath.of("ttrpc", "address"), TomlValues.string(dir.resolve("c.ttrpc").toString())),
                new TomlEdit.SetValue(KeyPath.of("metrics", "address"), TomlValues.string("")),
                new TomlEdit.SetValue(KeyPath.of("debug", "level"), TomlValues.string("info")),
                new TomlEdit.SetValue(KeyPath.of("plugins", "io.containerd.internal.v1.opt", "path"),
                        TomlValues.string(dir.resolve("opt").toString())));
        return doc.applyAll(edits).bytes();
    }

    /** Starts containerd on a sandboxed copy of {@code config} in {@code dir} and waits for the CRI plugin. */
    static ContainerdDaemon start(Path dir, Bytes config) throws IOException, InterruptedException {
        Path bin = ContainerdBinary.require();
        ContainerdBinary.requireRoot();
        Path cfg = dir.resolve("config.toml");
        Files.write(cfg, sandboxed(dir, config).toArray());
        Path log = dir.resolve("containerd.log");
        Process p = new ProcessBuilder(bin.toString(), "--config", cfg.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ContainerdDaemon d = new ContainerdDaemon(p, log, dir.resolve("c.sock"));
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline) && p.isAlive()) {
            String text = d.log();
            if (text.contains("containerd successfully booted") && Files.exists(d.socket)) {
                return d;
            }
            Thread.sleep(50);
        }
        return d;
    }

    /** Everything the daemon logged so far. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CRI plugin's startup line, empty when the plugin did not load. */
    Optional<String> criConfig() {
        return CriStartupLog.find(log());
    }

    /** The PID of the daemon. */
    long pid() {
        return process.pid();
    }

    /** Stops the daemon by its PID (SIGTERM, then SIGKILL after 10 s). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
