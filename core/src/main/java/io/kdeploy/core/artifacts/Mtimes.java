package io.kdeploy.core.artifacts;

import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * Modification times as the manifest spells them: exactly {@link Instant#toString()} and {@link Instant#parse}, with a
 * direct path for the instants of years 1970 to 9999. Every install formats one per file and a fresh install parses one
 * per file; through {@code java.time}'s formatter these cost several microseconds each until compiled, ~10 ms of a
 * 2,000-file re-install. Other instants, and any text not in the shape written here, go through {@code java.time}.
 */
final class Mtimes {
    /** 10000-01-01T00:00:00Z: from here {@code Instant.toString} writes a sign and more year digits. */
    private static final long END = 253_402_300_800L;
    private static final int[] DAYS_BEFORE_MONTH = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

    private Mtimes() {
    }

    /** The text of {@code time}, equal to {@code time.toInstant().toString()}. */
    static String format(FileTime time) {
        Instant instant = time.toInstant();
        long seconds = instant.getEpochSecond();
        if (seconds < 0 || seconds >= END) {
            return instant.toString();
        }
        int nanos = instant.getNano();
        long days = seconds / 86_400;
        int secondOfDay = (int) (seconds % 86_400);
        long z = days + 719_468;
        long era = z / 146_097;
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        StringBuilder b = new StringBuilder(30);
        pad(b, year, 4).append('-');
        pad(b, month, 2).append('-');
        pad(b, day, 2).append('T');
        pad(b, secondOfDay / 3_600, 2).append(':');
        pad(b, secondOfDay / 60 % 60, 2).append(':');
        pad(b, secondOfDay % 60, 2);
        if (nanos > 0) {
            b.append('.');
            if (nanos % 1_000_000 == 0) {
                pad(b, nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                pad(b, nanos / 1_000, 6);
            } else {
                pad(b, nanos, 9);
            }
        }
        return b.append('Z').toString();
    }

    /**
     * The time {@code text} names, as {@link Instant#parse} reads it.
     *
     * @throws java.time.format.DateTimeParseException when it is not an ISO-8601 instant
     */
    static FileTime parse(String text) {
        int n = text.length();
        if (n < 20 || n > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(n - 1) != 'Z') {
            return FileTime.from(Instant.parse(text));
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21;
            if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return FileTime.from(Instant.parse(text));
            }
            nanos = digits(text, 20, n - 1);
            for (int i = fraction; i < 9 && nanos >= 0; i++) {
                nanos *= 10;
            }
        }
        if (year < 1970 || month < 1 || month > 12 || day < 1 || day > lengthOf(year, month) || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59 || nanos < 0) {
            return FileTime.from(Instant.parse(text));
        }
        long y = month <= 2 ? year - 1 : year;
        long era = y / 400;
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        long days = era * 146_097 + dayOfEra - 719_468;
        long seconds = days * 86_400 + hour * 3_600L + minute * 60L + second;
        return FileTime.from(Instant.ofEpochSecond(seconds, nanos));
    }

    private static int lengthOf(int year, int month) {
        if (month == 2) {
            return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
        }
        return month == 12 ? 31 : DAYS_BEFORE_MONTH[month] - DAYS_BEFORE_MONTH[month - 1];
    }

    /** The decimal number in {@code text[from, to)}, or -1 when a character is not an ASCII digit. */
    private static int digits(String text, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static StringBuilder pad(StringBuilder b, long value, int width) {
        String s = Long.toString(value);
        for (int i = s.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(s);
    }
}
