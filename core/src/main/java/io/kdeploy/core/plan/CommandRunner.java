package io.kdeploy.core.plan;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.KdeployException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command (the runtime's validation command) and reports its exit code and output. Tests pass a fake. */
@FunctionalInterface
public interface CommandRunner {

    /** What a command did: its exit code and its combined standard output and error. */
    record Result(int exitCode, String output) {
        public Result {
            requireNonNull(output, "output");
        }
    }

    /** Runs {@code argv} and waits for it. */
    Result run(List<String> argv);

    /** Runs commands as processes ({@link ProcessBuilder}), giving up after two minutes. */
    static CommandRunner processes() {
        return argv -> {
            try {
                Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
                p.getOutputStream().close();
                String out;
                try (InputStream in = p.getInputStream()) {
                    out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                if (!p.waitFor(2, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    return new Result(-1, out + "\n(timed out after 2 minutes)");
                }
                return new Result(p.exitValue(), out);
            } catch (IOException e) {
                throw new KdeployException("cannot run " + String.join(" ", argv) + ": " + e.getMessage()
                        + ". Check that the runtime's binary is on the PATH.", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KdeployException("interrupted while running " + String.join(" ", argv), e);
            }
        };
    }
}
