package io.github.s3sweeper.lambda;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Instants as the log writes them, without a {@link DateTimeFormatter} on every line: a dry run writes a line per
 * object it would delete, and formatting two instants for each (the line's time, the object's LastModified) was a
 * tenth of its CPU. The text is exactly what the formatter gives; years outside 1000-9999 go to it.
 */
final class Timestamps {

    private static final DateTimeFormatter LINE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final long FIRST_DAY = LocalDate.of(1000, 1, 1).toEpochDay();
    private static final long LAST_DAY = LocalDate.of(9999, 12, 31).toEpochDay();
    private static final int[] UNITS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    /** The text of the last whole second a line was written in, up to its '.', shared by every thread. */
    private record Second(long epochSecond, String text) {
    }

    private static volatile Second last = new Second(Long.MIN_VALUE, "");

    private Timestamps() {
    }

    /** A line's time: {@code yyyy-MM-ddTHH:mm:ss.SSSZ} in UTC, as {@link #LINE_TIME} writes it. */
    static String lineTime(Instant now) {
        long second = now.getEpochSecond();
        Second cached = last;
        if (cached.epochSecond() != second) {
            StringBuilder text = new StringBuilder(20);
            if (!dateAndTime(text, second)) {
                return LINE_TIME.format(now);
            }
            cached = new Second(second, text.append('.').toString());
            last = cached;
        }
        int millis = now.getNano() / 1_000_000;
        StringBuilder line = new StringBuilder(24).append(cached.text());
        pad(line, millis, 3);
        return line.append('Z').toString();
    }

    /** What {@link Instant#toString} gives: the fraction in 0, 3, 6 or 9 digits, as many as it needs. */
    static String iso(Instant instant) {
        StringBuilder text = new StringBuilder(30);
        if (!dateAndTime(text, instant.getEpochSecond())) {
            return instant.toString();
        }
        int nanos = instant.getNano();
        if (nanos != 0) {
            text.append('.');
            if (nanos % 1_000_000 == 0) {
                pad(text, nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                pad(text, nanos / 1_000, 6);
            } else {
                pad(text, nanos, 9);
            }
        }
        return text.append('Z').toString();
    }

    /** {@code yyyy-MM-ddTHH:mm:ss} of an epoch second in UTC; false for a year outside 1000-9999. */
    private static boolean dateAndTime(StringBuilder text, long epochSecond) {
        long day = Math.floorDiv(epochSecond, 86_400);
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400);
        if (day < FIRST_DAY || day > LAST_DAY) {
            return false;
        }
        LocalDate date = LocalDate.ofEpochDay(day);
        pad(text, date.getYear(), 4);
        text.append('-');
        pad(text, date.getMonthValue(), 2);
        text.append('-');
        pad(text, date.getDayOfMonth(), 2);
        text.append('T');
        pad(text, secondOfDay / 3600, 2);
        text.append(':');
        pad(text, secondOfDay / 60 % 60, 2);
        text.append(':');
        pad(text, secondOfDay % 60, 2);
        return true;
    }

    private static void pad(StringBuilder text, int value, int digits) {
        for (int unit = UNITS[digits - 1]; unit > 0; unit /= 10) {
            text.append((char) ('0' + value / unit % 10));
        }
    }
}
