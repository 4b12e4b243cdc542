package io.kdeploy.cli.host;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.KdeployException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Restarts a systemd unit on the host through {@code systemctl} behind a {@link HostExec} prefix, then waits until
 * {@code systemctl is-active} says {@code active}. {@code systemctl restart} already waits for the start job; the
 * {@code is-active} checks cover units that report readiness later ({@code Type=notify}, {@code activating}).
 */
public final class Systemd {
    /** How long one {@code systemctl} call may take (the restart job included). */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(300);

    private final HostExec exec;
    private final Duration activeTimeout;
    private final Duration pollInterval;

    /**
     * @param exec how host commands run
     * @param activeTimeout how long the unit may take to be {@code active} after the restart
     * @param pollInterval the pause between two {@code is-active} checks
     */
    public Systemd(HostExec exec, Duration activeTimeout, Duration pollInterval) {
        this.exec = requireNonNull(exec, "exec");
        this.activeTimeout = requireNonNull(activeTimeout, "activeTimeout");
        this.pollInterval = requireNonNull(pollInterval, "pollInterval");
    }

    /** {@code nsenter}-prefixed, 120 s to become active, checked every second. */
    public static Systemd onHost(HostExec exec) {
        return new Systemd(exec, Duration.ofSeconds(120), Duration.ofSeconds(1));
    }

    /**
     * {@code systemctl daemon-reload}, {@code systemctl restart <unit>}, then wait until it is active.
     *
     * @throws KdeployException when a step fails or the unit is not active in time; the message carries the unit's
     *     {@code systemctl status} text
     */
    public void restart(String unit) {
        requireNonNull(unit, "unit");
        HostExec.Result reload = systemctl("daemon-reload");
        if (!reload.ok()) {
            throw new KdeployException("'systemctl daemon-reload' failed with exit status " + reload.exitCode() + ": "
                    + reload.output().strip() + ". The container runtime was not restarted; check systemd on the node.");
        }
        Log.LOG.log(Level.INFO, () -> "Restarting " + unit);
        HostExec.Result restart = systemctl("restart", unit);
        if (!restart.ok()) {
            throw failed(unit, "'systemctl restart " + unit + "' failed with exit status " + restart.exitCode()
                    + (restart.output().isBlank() ? "" : " (" + restart.output().strip() + ")"));
        }
        awaitActive(unit);
        Log.LOG.log(Level.INFO, () -> unit + " is active again");
    }

    /** The unit's state as {@code systemctl is-active} prints it: {@code active}, {@code activating}, {@code failed}, … */
    public String activeState(String unit) {
        return systemctl("is-active", unit).output().strip();
    }

    private void awaitActive(String unit) {
        long deadline = System.nanoTime() + activeTimeout.toNanos();
        while (true) {
            String state = activeState(unit);
            if (state.equals("active")) {
                return;
            }
            if (state.equals("failed") || state.equals("inactive")) {
                throw failed(unit, unit + " is " + state + " after the restart");
            }
            if (System.nanoTime() >= deadline) {
                throw failed(unit, unit + " is still '" + state + "' " + activeTimeout.toSeconds() + " s after the restart");
            }
            try {
                Thread.sleep(pollInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KdeployException("Interrupted while waiting for " + unit + " to be active.", e);
            }
        }
    }

    private KdeployException failed(String unit, String what) {
        String status = systemctl("status", "--no-pager", "--full", "--lines=20", unit).output().strip();
        return new KdeployException(what + ". The new configuration stays in place and the install record allows a"
                + " clean revert ('kdeploy cleanup'). 'systemctl status " + unit + "' says:\n" + status);
    }

    private HostExec.Result systemctl(String... args) {
        List<String> command = new ArrayList<>();
        command.add("systemctl");
        command.addAll(List.of(args));
        return exec.run(command, COMMAND_TIMEOUT);
    }

    /** The logger, created on first use (a restart), so that a run that restarts nothing does not set up logging. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(Systemd.class.getName());
    }
}
