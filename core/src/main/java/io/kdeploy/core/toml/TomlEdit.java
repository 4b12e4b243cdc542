package io.kdeploy.core.toml;

import static java.util.Objects.requireNonNull;

/**
 * One structural edit of a TOML document, as data: what a configurer asks for and what an install record keeps to undo it.
 * Values are TOML literals as they appear in a file ({@code "io.containerd.kata-qemu.v2"}, {@code true}, {@code ["a", "b"]}).
 */
public sealed interface TomlEdit {

    /** The key or table the edit addresses. */
    KeyPath path();

    /** Make sure a table exists; creates only the leaf header, after its parent's last descendant. */
    record EnsureTable(KeyPath path) implements TomlEdit {
        public EnsureTable {
            requireNonNull(path, "path");
        }
    }

    /** Create a key or replace its value only, keeping the line's comment and spacing. */
    record SetValue(KeyPath path, String value) implements TomlEdit {
        public SetValue {
            requireNonNull(path, "path");
            requireNonNull(value, "value");
        }
    }

    /** Remove a key (its whole line). */
    record RemoveKey(KeyPath path) implements TomlEdit {
        public RemoveKey {
            requireNonNull(path, "path");
        }
    }

    /** Remove a table, its sub-tables and their lines. */
    record RemoveTable(KeyPath path) implements TomlEdit {
        public RemoveTable {
            requireNonNull(path, "path");
        }
    }

    /**
     * Remove a table's own header line and the lines of its section, keeping its sub-tables (which then define it
     * implicitly again). This undoes a header that was added for a table that existed only through its sub-tables.
     */
    record RemoveHeader(KeyPath path) implements TomlEdit {
        public RemoveHeader {
            requireNonNull(path, "path");
        }
    }

    /** Append an element to an array unless an equal element is present; creates the array when missing. */
    record AppendToArray(KeyPath path, String element) implements TomlEdit {
        public AppendToArray {
            requireNonNull(path, "path");
            requireNonNull(element, "element");
        }
    }

    /**
     * Remove every element equal to {@code element} from an array, keeping the user's layout; with {@code dropWhenEmpty} the
     * key itself goes too when no element is left (the exact undo of an {@link AppendToArray} that created the array, which
     * keeps elements other installs appended since).
     */
    record RemoveFromArray(KeyPath path, String element, boolean dropWhenEmpty) implements TomlEdit {
        public RemoveFromArray {
            requireNonNull(path, "path");
            requireNonNull(element, "element");
        }

        /** Removes the element and keeps the (possibly empty) array. */
        public RemoveFromArray(KeyPath path, String element) {
            this(path, element, false);
        }
    }
}
