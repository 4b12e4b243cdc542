package io.kdeploy.cli.host;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.KdeployException;
import io.kdeploy.core.spi.HostUnits;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/** {@link HostUnits} through {@code systemctl} on the host, behind the same {@link HostExec} prefix as the CRI restart. */
public final class SystemctlUnits implements HostUnits {
    private final HostExec exec;

    /** Units on the host reached through {@code exec}. */
    public SystemctlUnits(HostExec exec) {
        this.exec = requireNonNull(exec, "exec");
    }

    /** {@code systemctl daemon-reload}. */
    @Override
    public void daemonReload() {
        check(systemctl("daemon-reload"), "daemon-reload", "systemd did not re-read the unit files");
    }

    /** {@code systemctl enable <unit>}, then {@code systemctl restart <unit>}. */
    @Override
    public void enableAndRestart(String unit) {
        requireNonNull(unit, "unit");
        check(systemctl("enable", unit), "enable " + unit, unit + " would not start at boot");
        Log.LOG.log(Level.INFO, () -> "Starting " + unit);
        HostExec.Result restart = systemctl("restart", unit);
        if (!restart.ok()) {
            String status = systemctl("status", "--no-pager", "--full", "--lines=20", unit).output().strip();
            throw new KdeployException("'systemctl restart " + unit + "' failed with exit status " + restart.exitCode()
                    + ". Its unit file and configuration stay in place and 'kdeploy cleanup' removes them. 'systemctl"
                    + " status " + unit + "' says:\n" + status);
        }
    }

    /** {@code systemctl disable --now <unit>}; a unit systemd does not know is already gone, which is fine. */
    @Override
    public void disableNow(String unit) {
        requireNonNull(unit, "unit");
        HostExec.Result r = systemctl("disable", "--now", unit);
        if (!r.ok() && !r.output().contains("not loaded") && !r.output().contains("does not exist")) {
            throw new KdeployException("'systemctl disable --now " + unit + "' failed with exit status " + r.exitCode()
                    + (r.output().isBlank() ? "" : " (" + r.output().strip() + ")") + ". The unit file was left in place;"
                    + " stop the unit by hand and run the cleanup again.");
        }
        Log.LOG.log(Level.INFO, () -> "Stopped and disabled " + unit);
    }

    private static void check(HostExec.Result r, String what, String consequence) {
        if (!r.ok()) {
            throw new KdeployException("'systemctl " + what + "' failed with exit status " + r.exitCode()
                    + (r.output().isBlank() ? "" : " (" + r.output().strip() + ")") + ", so " + consequence
                    + ". Check systemd on the node.");
        }
    }

    private HostExec.Result systemctl(String... args) {
        List<String> command = new ArrayList<>();
        command.add("systemctl");
        command.addAll(List.of(args));
        return exec.run(command, Systemd.COMMAND_TIMEOUT);
    }

    /** The logger, created on first use, so that a run that starts or stops no unit does not set up logging. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(SystemctlUnits.class.getName());
    }
}
