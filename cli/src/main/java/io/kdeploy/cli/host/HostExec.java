package io.kdeploy.cli.host;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.KdeployException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a host command: the {@code prefix} (by default {@code nsenter --target 1 --mount --}, which needs
 * {@code hostPID: true} and a privileged container) followed by the command. An empty prefix runs the command
 * directly, as on a node by hand or in tests.
 *
 * @param prefix the words put before every command
 */
public record HostExec(List<String> prefix) {
    /** Enter the host's mount namespace through PID 1. */
    public static final HostExec NSENTER = new HostExec(List.of("nsenter", "--target", "1", "--mount", "--"));

    /** Run commands directly. */
    public static final HostExec DIRECT = new HostExec(List.of());

    public HostExec {
        prefix = List.copyOf(requireNonNull(prefix, "prefix"));
    }

    /** A prefix written as words separated by whitespace ({@code HOST_EXEC_PREFIX}); blank means {@link #DIRECT}. */
    public static HostExec parse(String words) {
        String w = words.strip();
        return w.isEmpty() ? DIRECT : new HostExec(Arrays.asList(w.split("\\s+")));
    }

    /** The full command line for {@code command}. */
    public List<String> command(List<String> command) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(command);
        return all;
    }

    /**
     * Runs {@code command} behind the prefix, stdout and stderr merged, and waits at most {@code timeout}.
     *
     * @throws KdeployException when it cannot be started or does not finish in time (it is then killed)
     */
    public Result run(List<String> command, Duration timeout) {
        List<String> line = command(command);
        Process process;
        try {
            process = new ProcessBuilder(line).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new KdeployException("Cannot run '" + String.join(" ", line) + "': " + e.getMessage() + ". Inside the"
                    + " kdeploy pod this needs hostPID: true and privileged: true (for nsenter); on a node, set"
                    + " HOST_EXEC_PREFIX to an empty string.", e);
        }
        try {
            process.getOutputStream().close();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new KdeployException("'" + String.join(" ", line) + "' did not finish within " + timeout.toSeconds()
                        + " s and was killed. Check the unit on the node (systemctl status, journalctl).");
            }
            return new Result(process.exitValue(), output.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new KdeployException("Interrupted while running '" + String.join(" ", line) + "'.", e);
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new KdeployException("Cannot read the output of '" + String.join(" ", line) + "': " + e, e);
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What a host command did.
     *
     * @param exitCode its exit status
     * @param output stdout and stderr, merged
     */
    public record Result(int exitCode, String output) {
        public Result {
            requireNonNull(output, "output");
        }

        /** True for exit status 0. */
        public boolean ok() {
            return exitCode == 0;
        }
    }
}
