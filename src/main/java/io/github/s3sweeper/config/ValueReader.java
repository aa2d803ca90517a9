package io.github.s3sweeper.config;

import io.github.s3sweeper.rules.Glob;

import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses one kind of value each, for environment variables and input fields alike, and records a problem that
 * names the setting, the value it had and what is allowed, instead of throwing: so one run can name them all.
 */
final class ValueReader {

    static final String DURATION_ALLOWED = "a duration from 1 minute to 36500 days: ISO-8601 such as PT36H, P7D"
            + " or P1DT12H, or short such as 90m, 36h or 7d";
    static final String SIZE_ALLOWED = "a size in bytes, or with a unit: KB, MB, GB, TB (powers of 1000) or KiB,"
            + " MiB, GiB, TiB (powers of 1024), such as 10MB or 1GiB";
    static final String GLOBS_ALLOWED = "comma-separated glob patterns matched against the key relative to the"
            + " prefix: * and ? within one / segment, ** across segments, {a,b} alternatives";
    static final String BOOLEAN_ALLOWED = "true or false";

    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]+");
    private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]{1,9})([mhd])");
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,19})\\s*([KMGT]i?B|B)?", Pattern.CASE_INSENSITIVE);
    /** Glob.compileList's "pattern "…" has …": the problem that follows the pattern holds no double quote. */
    private static final Pattern GLOB_PROBLEM = Pattern.compile("pattern \"(.*)\" has ([^\"]*)", Pattern.DOTALL);
    private static final Duration MIN_AGE = Duration.ofMinutes(1);
    private static final Duration MAX_AGE = Duration.ofDays(36_500);
    private static final Map<String, Long> UNITS = Map.of(
            "B", 1L,
            "KB", 1_000L, "MB", 1_000_000L, "GB", 1_000_000_000L, "TB", 1_000_000_000_000L,
            "KIB", 1L << 10, "MIB", 1L << 20, "GIB", 1L << 30, "TIB", 1L << 40);

    /** Characters of a value a message shows; bucket names (63) and Region names fit whole. */
    static final int SHOWN_CHARACTERS = 100;

    private final List<String> problems;

    ValueReader(List<String> problems) {
        this.problems = problems;
    }

    void problem(String label, String shown, String problem, String allowed) {
        problems.add(label + shown + ": " + problem + "; allowed: " + allowed);
    }

    /** How a setting's value follows its name in a message: {@code ="value"} shown safely, or " (not set)". */
    static String shown(String value) {
        return value == null ? " (not set)" : "=" + quoted(value);
    }

    /**
     * A value as a message may show it: in double quotes, with {@code "} and {@code \\} escaped, control, format and
     * separator characters (a newline, an ANSI escape, a right-to-left override, a no-break space) as JSON escapes,
     * and cut after {@value #SHOWN_CHARACTERS} characters, saying how long it was. A message goes to a log line and to
     * a terminal: a value must not be able to end the line, forge another, or drown the rest of the message.
     */
    static String quoted(String value) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), SHOWN_CHARACTERS) + 2).append('"');
        int characters = value.codePointCount(0, value.length());
        int shown = 0;
        for (int i = 0; i < value.length() && shown < SHOWN_CHARACTERS; shown++) {
            int c = value.codePointAt(i);
            i += Character.charCount(c);
            appendEscaped(out, c);
        }
        out.append('"');
        if (characters > SHOWN_CHARACTERS) {
            out.append("... (").append(characters).append(" characters)");
        }
        return out.toString();
    }

    private static void appendEscaped(StringBuilder out, int c) {
        switch (c) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> {
                if (visible(c)) {
                    out.appendCodePoint(c);
                } else {
                    for (char unit : Character.toChars(c)) {
                        out.append(String.format("\\u%04x", (int) unit));
                    }
                }
            }
        }
    }

    /** Printable as itself: not a control, format, separator (other than the space), private or unassigned one. */
    private static boolean visible(int c) {
        if (c == ' ') {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED -> false;
            default -> true;
        };
    }

    /** A whole number in [min, max]; null after recording a problem. */
    Integer wholeNumber(String label, String value, int min, int max, String allowed) {
        String problem;
        if (value.isBlank()) {
            problem = value.isEmpty() ? "empty" : "blank";
        } else if (!WHOLE_NUMBER.matcher(value).matches()) {
            problem = "not a whole number";
        } else {
            BigInteger number = new BigInteger(value);
            if (number.compareTo(BigInteger.valueOf(min)) < 0) {
                problem = "must be at least " + min;
            } else if (number.compareTo(BigInteger.valueOf(max)) > 0) {
                problem = "must be at most " + max;
            } else {
                return number.intValue();
            }
        }
        problem(label, shown(value), problem, allowed);
        return null;
    }

    Boolean bool(String label, String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                String problem = value.isBlank() ? (value.isEmpty() ? "empty" : "blank") : "not a boolean";
                problem(label, shown(value), problem, BOOLEAN_ALLOWED);
                return null;
        }
    }

    Duration duration(String label, String value) {
        Duration duration = null;
        Matcher shortForm = SHORT_DURATION.matcher(value);
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            duration = switch (shortForm.group(2)) {
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } else if (value.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                duration = Duration.parse(value);
            } catch (DateTimeParseException e) {
                problem(label, shown(value), "not an ISO-8601 duration of days, hours, minutes"
                        + " (months and years vary in length)", DURATION_ALLOWED);
                return null;
            }
        }
        if (duration == null) {
            problem(label, shown(value), value.isBlank() ? "blank" : "not a duration", DURATION_ALLOWED);
            return null;
        }
        if (duration.compareTo(MIN_AGE) < 0) {
            problem(label, shown(value), "shorter than 1 minute", DURATION_ALLOWED);
            return null;
        }
        if (duration.compareTo(MAX_AGE) > 0) {
            problem(label, shown(value), "longer than 36500 days", DURATION_ALLOWED);
            return null;
        }
        return duration;
    }

    Long size(String label, String value) {
        Matcher matcher = SIZE.matcher(value.strip());
        if (!matcher.matches()) {
            problem(label, shown(value), value.isBlank() ? "blank" : "not a size", SIZE_ALLOWED);
            return null;
        }
        String unit = matcher.group(2) == null ? "B" : matcher.group(2).toUpperCase(Locale.ROOT);
        try {
            return Math.multiplyExact(Long.parseLong(matcher.group(1)), UNITS.get(unit));
        } catch (ArithmeticException | NumberFormatException e) {
            problem(label, shown(value), "too large", SIZE_ALLOWED);
            return null;
        }
    }

    List<Glob> globs(String label, String value) {
        try {
            return Glob.compileList(value);
        } catch (IllegalArgumentException e) {
            problem(label, shown(value), globProblem(e.getMessage()), GLOBS_ALLOWED);
            return null;
        }
    }

    /**
     * Glob's message with the pattern it names shown as values are ({@link #quoted}): Glob writes the pattern as it
     * is, and a pattern may hold a newline or be thousands of characters long.
     */
    static String globProblem(String message) {
        Matcher named = GLOB_PROBLEM.matcher(message);
        return named.matches() ? "pattern " + quoted(named.group(1)) + " has " + named.group(2) : message;
    }
}
