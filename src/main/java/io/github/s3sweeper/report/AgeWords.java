package io.github.s3sweeper.report;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The age threshold as people say it: "30 days", "36 hours", "90 minutes". An age is said in the largest unit that
 * holds it whole, as the short forms give it (7d, 36h, 90m): the report cannot tell 36h from P1DT12H, both are
 * PT36H. Only an age no unit holds whole (seconds, which ISO-8601 allows) is said in parts: "1 day 12 hours 30
 * seconds".
 */
final class AgeWords {

    private AgeWords() {
    }

    /**
     * @param days the threshold in days when it was given in days, else null
     * @param iso  the threshold as an ISO-8601 duration; said as it is if it is not one
     */
    static String of(Integer days, String iso) {
        if (days != null) {
            return count(days, "day");
        }
        try {
            return of(Duration.parse(iso));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    static String of(Duration age) {
        if (age.equals(Duration.ofDays(age.toDays()))) {
            return count(age.toDays(), "day");
        }
        if (age.equals(Duration.ofHours(age.toHours()))) {
            return count(age.toHours(), "hour");
        }
        if (age.equals(Duration.ofMinutes(age.toMinutes()))) {
            return count(age.toMinutes(), "minute");
        }
        List<String> parts = new ArrayList<>(4);
        if (age.toDays() > 0) {
            parts.add(count(age.toDays(), "day"));
        }
        if (age.toHoursPart() > 0) {
            parts.add(count(age.toHoursPart(), "hour"));
        }
        if (age.toMinutesPart() > 0) {
            parts.add(count(age.toMinutesPart(), "minute"));
        }
        BigDecimal seconds = BigDecimal.valueOf(age.toSecondsPart()).add(BigDecimal.valueOf(age.toNanosPart(), 9));
        parts.add(seconds.stripTrailingZeros().toPlainString()
                + (seconds.compareTo(BigDecimal.ONE) == 0 ? " second" : " seconds"));
        return String.join(" ", parts);
    }

    private static String count(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
