package io.kdeploy.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A runtime version {@code major.minor.patch}; anything after the numbers (e.g. {@code -k3s1}, {@code ~ds1}) is ignored. */
public record Version(int major, int minor, int patch) implements Comparable<Version> {
    private static final Pattern NUMBERS = Pattern.compile("v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?.*");

    public Version {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("negative version component: " + major + "." + minor + "." + patch);
        }
    }

    /** Parses {@code 1.7.22}, {@code v2.0}, {@code 1.7.22-k3s1}. */
    public static Version parse(String text) {
        Matcher m = NUMBERS.matcher(text.trim());
        if (!m.matches()) {
            throw new InvalidSpecException("Version '" + text + "' does not start with a number. Write it as major.minor.patch,"
                    + " e.g. 1.7.22.");
        }
        return new Version(Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    /** True when this version is at least {@code major.minor}. */
    public boolean atLeast(int major, int minor) {
        return this.major > major || (this.major == major && this.minor >= minor);
    }

    @Override
    public int compareTo(Version o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
