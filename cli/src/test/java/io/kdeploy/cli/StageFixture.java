package io.kdeploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kdeploy.core.KdeployException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import picocli.CommandLine;

/** A fake {@code systemctl} behind {@code HOST_EXEC_PREFIX}, and runs of a command object with that environment. */
final class StageFixture {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Records every call in {@code $FAKE_DIR/calls}; every unit is active at once. */
    private static final String FAKE = String.join("\n",
            "#!/bin/sh",
            "echo \"$*\" >> \"$FAKE_DIR/calls\"",
            "case \"$1\" in",
            "  is-active) echo active ;;",
            "esac",
            "exit 0",
            "");

    private final Path bin;

    StageFixture(Path bin) throws IOException {
        this.bin = bin;
        Path script = bin.resolve("systemctl");
        Files.writeString(script, FAKE, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The environment that sends host commands to the fake. */
    Map<String, String> environment() {
        return Map.of("HOST_EXEC_PREFIX", "env PATH=" + bin + ":" + System.getenv("PATH") + " FAKE_DIR=" + bin);
    }

    /** The {@code systemctl} calls so far, one per line. */
    List<String> calls() {
        try {
            Path calls = bin.resolve("calls");
            return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The units restarted so far. */
    List<String> restarts() {
        return calls().stream().filter(c -> c.startsWith("restart ")).map(c -> c.substring("restart ".length())).toList();
    }

    /** One command run: exit code, stdout, stderr. */
    record Result(int code, String out, String err) {
        JsonNode json() {
            List<String> lines = out.lines().toList();
            try {
                return JSON.readTree(lines.get(lines.size() - 1));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Runs {@code command} as Main does: a {@link KdeployException} exits with its code. */
    static Result run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println(ex.getMessage());
            return ex instanceof KdeployException ? ((KdeployException) ex).exitCode() : 1;
        });
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Every regular file under {@code root} (but the node lock file) with its content. */
    static Map<String, String> snapshot(Path root) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String rel = root.relativize(p).toString();
                if (Files.isRegularFile(p) && !rel.equals("run/lock/kdeploy.lock")) {
                    files.put(rel, Files.readString(p, StandardCharsets.ISO_8859_1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
