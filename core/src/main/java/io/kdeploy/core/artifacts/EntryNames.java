package io.kdeploy.core.artifacts;

import io.kdeploy.core.UnsafePathException;
import java.util.ArrayList;
import java.util.List;

/** Checks and normalises the names and link targets of source entries. Pure. */
final class EntryNames {
    /** The canonical node path an artifact tree is built for; absolute links under it are made relative. */
    static final String KATA_ROOT = "/opt/kata";

    private EntryNames() {
    }

    /**
     * The normalised relative path of an entry name, or {@code ""} for the root itself.
     *
     * @throws UnsafePathException for an absolute name, a {@code ..} segment or a NUL
     */
    static String normalise(String source, String rawName) {
        if (isNormal(rawName)) {
            return rawName;
        }
        if (rawName.indexOf('\0') >= 0) {
            throw unsafe(source, rawName, "contains a NUL character");
        }
        if (rawName.startsWith("/")) {
            throw unsafe(source, rawName, "is an absolute path; an artifact tree holds only paths relative to /opt/kata");
        }
        List<String> out = new ArrayList<>();
        for (String seg : rawName.split("/")) {
            if (seg.equals("..")) {
                throw unsafe(source, rawName, "contains '..' and would be written outside the destination");
            }
            if (!seg.isEmpty() && !seg.equals(".")) {
                out.add(seg);
            }
        }
        return String.join("/", out);
    }

    /**
     * True when {@code name} is already a normalised relative path: not empty, no leading or trailing {@code /}, no empty,
     * {@code .} or {@code ..} segment, no NUL. One pass without allocating; {@link #normalise} takes the long way otherwise.
     */
    static boolean isNormal(String name) {
        int n = name.length();
        int segStart = 0;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? name.charAt(i) : '/';
            if (c == '\0') {
                return false;
            }
            if (c == '/') {
                int len = i - segStart;
                if (len == 0 || len <= 2 && name.charAt(segStart) == '.' && (len == 1 || name.charAt(segStart + 1) == '.')) {
                    return false;
                }
                segStart = i + 1;
            }
        }
        return true;
    }

    /**
     * A symlink target rewritten to a normalised relative path that stays inside the tree: an absolute target under
     * {@code /opt/kata} becomes relative; a relative target may climb with leading {@code ..} only as far as the tree's root.
     *
     * @throws UnsafePathException for a target leaving the tree
     */
    static String linkTarget(String source, String entry, String rawTarget) {
        if (rawTarget.isEmpty() || rawTarget.indexOf('\0') >= 0) {
            throw unsafeLink(source, entry, rawTarget, "is empty or contains a NUL character");
        }
        List<String> parent = segments(entry);
        parent.remove(parent.size() - 1);
        if (rawTarget.startsWith("/")) {
            if (!rawTarget.equals(KATA_ROOT) && !rawTarget.startsWith(KATA_ROOT + "/")) {
                throw unsafeLink(source, entry, rawTarget, "points outside the destination");
            }
            List<String> target = new ArrayList<>();
            for (String seg : rawTarget.substring(KATA_ROOT.length()).split("/")) {
                if (seg.equals("..")) {
                    throw unsafeLink(source, entry, rawTarget, "contains '..'");
                }
                if (!seg.isEmpty() && !seg.equals(".")) {
                    target.add(seg);
                }
            }
            int common = 0;
            while (common < parent.size() && common < target.size() && parent.get(common).equals(target.get(common))) {
                common++;
            }
            List<String> rel = new ArrayList<>();
            for (int i = common; i < parent.size(); i++) {
                rel.add("..");
            }
            rel.addAll(target.subList(common, target.size()));
            return rel.isEmpty() ? "." : String.join("/", rel);
        }
        List<String> rel = new ArrayList<>();
        int ups = 0;
        boolean named = false;
        for (String seg : rawTarget.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (named) {
                    throw unsafeLink(source, entry, rawTarget, "goes through '..' after a name (which may itself be a link);"
                            + " write the target without the detour");
                }
                ups++;
            } else {
                named = true;
            }
            rel.add(seg);
        }
        if (ups > parent.size()) {
            throw unsafeLink(source, entry, rawTarget, "climbs above the root of the tree and points outside the destination");
        }
        return rel.isEmpty() ? "." : String.join("/", rel);
    }

    /** The segments of a normalised relative path. */
    static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String seg : path.split("/")) {
            if (!seg.isEmpty()) {
                out.add(seg);
            }
        }
        return out;
    }

    static UnsafePathException unsafe(String source, String entry, String what) {
        return new UnsafePathException("Artifact source " + source + ": entry '" + entry + "' " + what + ". Nothing was"
                + " written. Use an archive whose entries are relative paths inside the Kata tree.");
    }

    private static UnsafePathException unsafeLink(String source, String entry, String target, String what) {
        return new UnsafePathException("Artifact source " + source + ": link '" + entry + "' -> '" + target + "' " + what
                + ". Nothing was written. Links must point inside the Kata tree (relative, or absolute under " + KATA_ROOT
                + ").");
    }
}
