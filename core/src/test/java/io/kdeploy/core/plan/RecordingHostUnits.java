package io.kdeploy.core.plan;

import io.kdeploy.core.spi.HostUnits;
import java.util.ArrayList;
import java.util.List;

/** A {@link HostUnits} fake that records the {@code systemctl} calls it would make. */
final class RecordingHostUnits implements HostUnits {
    private final List<String> calls = new ArrayList<>();

    @Override
    public void daemonReload() {
        calls.add("daemon-reload");
    }

    @Override
    public void enableAndRestart(String unit) {
        calls.add("enable " + unit);
        calls.add("restart " + unit);
    }

    @Override
    public void disableNow(String unit) {
        calls.add("disable --now " + unit);
    }

    List<String> calls() {
        return List.copyOf(calls);
    }
}
