package io.kdeploy.core.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** An immutable byte string with value equality: file contents inside plans and records. */
public final class Bytes {
    private final byte[] data;

    private Bytes(byte[] data) {
        this.data = data;
    }

    /** A copy of {@code data}. */
    public static Bytes of(byte[] data) {
        return new Bytes(data.clone());
    }

    /** The UTF-8 encoding of {@code text}. */
    public static Bytes utf8(String text) {
        return new Bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of the content. */
    public byte[] toArray() {
        return data.clone();
    }

    /** The content itself, not a copy: for readers in this package that never change it. */
    byte[] array() {
        return data;
    }

    /** The content decoded as UTF-8. */
    public String asUtf8() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** The number of bytes. */
    public int size() {
        return data.length;
    }

    /** The lowercase hex SHA-256 of the content. */
    public String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(data, b.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Bytes[" + data.length + " bytes, sha256=" + sha256().substring(0, 12) + "]";
    }
}
