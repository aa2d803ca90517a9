package io.github.s3sweeper.config;

import io.github.s3sweeper.rules.Glob;

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
    /** How often or how long something operational runs: seconds are natural here, and no deletion depends on it. */
    static final String INTERVAL_ALLOWED = "a duration from 1 minute to 36500 days: ISO-8601 such as PT90S or PT2H,"
            + " or short such as 90s, 5m, 2h or 1d";
    static final String SIZE_ALLOWED = "a size in bytes, or with a unit: KB, MB, GB, TB (powers of 1000) or KiB,"
            + " MiB, GiB, TiB (powers of 1024), such as 10MB or 1GiB";
    static final String GLOBS_ALLOWED = "comma-separated glob patterns matched against the key relative to the"
            + " prefix: * and ? within one / segment, ** across segments, {a,b} alternatives";
    static final String BOOLEAN_ALLOWED = "true or false";

    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]+");
    private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]+)([mhd])");
    /**
     * An age threshold takes no seconds: "90s" is one key away from "90d", and would delete nearly everything. The
     * operational durations (intervals, time limits) take them.
     */
    private static final Pattern SHORT_INTERVAL = Pattern.compile("([0-9]+)([smhd])");
    /** The ISO-8601 forms Duration reads (days, hours, minutes, seconds), so a failure to read one is an overflow. */
    private static final Pattern ISO_DAYS_HOURS_MINUTES = Pattern.compile("[-+]?P(?:[-+]?[0-9]+D)?"
            + "(?:T(?=[-+]?[0-9])(?:[-+]?[0-9]+H)?(?:[-+]?[0-9]+M)?(?:[-+]?[0-9]+(?:[.,][0-9]{0,9})?S)?)?",
            Pattern.CASE_INSENSITIVE);
    /** Glob.compileList's "pattern "…" has …": the problem that follows the pattern holds no double quote. */
    private static final Pattern GLOB_PROBLEM = Pattern.compile("pattern \"(.*)\" has ([^\"]*)", Pattern.DOTALL);
    private static final Pattern SIZE = Pattern.compile("([0-9]+)\\s*([KMGT]i?B|B)?", Pattern.CASE_INSENSITIVE);
    private static final Duration MIN_AGE = Duration.ofMinutes(1);
    private static final Duration MAX_AGE = Duration.ofDays(36_500);
    private static final Map<String, Long> UNITS = Map.of(
            "B", 1L,
            "KB", 1_000L, "MB", 1_000_000L, "GB", 1_000_000_000L, "TB", 1_000_000_000_000L,
            "KIB", 1L << 10, "MIB", 1L << 20, "GIB", 1L << 30, "TIB", 1L << 40);

    /** Characters of a value a message shows; bucket names (63) and Region names fit whole. */
    static final int SHOWN_CHARACTERS = 100;
    /** Characters of an input's JSON array or object a message shows. */
    static final int SHOWN_JSON = 200;

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

    /**
     * An input field's value as JSON, as the invocation's input wrote it: strings quoted as {@link #quoted}, numbers
     * and booleans bare, arrays and objects in JSON notation, cut after a few hundred characters.
     */
    static String json(Object value) {
        if (value instanceof String s) {
            return quoted(s);
        }
        if (!(value instanceof Map) && !(value instanceof List)) {
            String text = String.valueOf(value);
            return text.length() <= SHOWN_CHARACTERS ? text
                    : text.substring(0, SHOWN_CHARACTERS) + "... (" + text.length() + " characters)";
        }
        StringBuilder out = new StringBuilder();
        boolean whole = appendJson(out, value);
        if (whole && out.length() <= SHOWN_JSON) {
            return out.toString();
        }
        int end = SHOWN_JSON;
        if (Character.isLowSurrogate(out.charAt(end))) {
            end--;
        }
        return out.substring(0, end) + "... (cut at " + SHOWN_JSON + " characters)";
    }

    /** What JSON type a deserialized input value had, for "a JSON string, not a number". */
    static String jsonType(Object value) {
        if (value instanceof String) {
            return "a JSON string";
        } else if (value instanceof Boolean) {
            return "a JSON boolean";
        } else if (value instanceof Number) {
            return "a JSON number";
        } else if (value instanceof List) {
            return "a JSON array";
        } else if (value instanceof Map) {
            return "a JSON object";
        }
        return "a " + value.getClass().getSimpleName();
    }

    /** Appends until the output is longer than shown; false when it stopped early. */
    private static boolean appendJson(StringBuilder out, Object value) {
        if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (out.length() > SHOWN_JSON) {
                    return false;
                }
                out.append(first ? "" : ",");
                first = false;
                appendJsonString(out, String.valueOf(entry.getKey()));
                out.append(':');
                if (!appendJson(out, entry.getValue())) {
                    return false;
                }
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (out.length() > SHOWN_JSON) {
                    return false;
                }
                out.append(i == 0 ? "" : ",");
                if (!appendJson(out, list.get(i))) {
                    return false;
                }
            }
            out.append(']');
        } else if (value instanceof String s) {
            appendJsonString(out, s);
        } else {
            String text = String.valueOf(value);
            out.append(text, 0, Math.min(text.length(), SHOWN_JSON + 1));
        }
        return out.length() <= SHOWN_JSON;
    }

    private static void appendJsonString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length() && out.length() <= SHOWN_JSON; ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            appendEscaped(out, c);
        }
        out.append('"');
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

    /**
     * The whole number {@code digits} (an optional minus sign, then ASCII digits) writes, or Long.MIN_VALUE or
     * Long.MAX_VALUE when it is beyond them: without building a BigInteger, which takes quadratic time in the digits.
     */
    private static long clampedLong(String digits) {
        boolean negative = digits.startsWith("-");
        int first = negative ? 1 : 0;
        while (first < digits.length() - 1 && digits.charAt(first) == '0') {
            first++;
        }
        if (digits.length() - first > 18) {
            return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        long magnitude = Long.parseLong(digits.substring(first));
        return negative ? -magnitude : magnitude;
    }

    /** A whole number in [min, max]; null after recording a problem. */
    Integer wholeNumber(String label, String value, int min, int max, String allowed) {
        return wholeNumber(label, shown(value), value, min, max, allowed);
    }

    /** @param shown how the message shows the value after the label, such as {@code =5} for a JSON number */
    Integer wholeNumber(String label, String shown, String value, int min, int max, String allowed) {
        String problem;
        if (value.isBlank()) {
            problem = value.isEmpty() ? "empty" : "blank";
        } else if (!WHOLE_NUMBER.matcher(value).matches()) {
            problem = "not a whole number";
        } else {
            long number = clampedLong(value);
            if (number < min) {
                problem = "must be at least " + min;
            } else if (number > max) {
                problem = "must be at most " + max;
            } else {
                return (int) number;
            }
        }
        problem(label, shown, problem, allowed);
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

    /** An age threshold: minutes, hours, days. */
    Duration duration(String label, String value) {
        return duration(label, value, SHORT_DURATION, DURATION_ALLOWED);
    }

    /** An operational duration: seconds too. */
    Duration interval(String label, String value) {
        return duration(label, value, SHORT_INTERVAL, INTERVAL_ALLOWED);
    }

    private Duration duration(String label, String value, Pattern shortForms, String allowed) {
        Duration duration = null;
        Matcher shortForm = shortForms.matcher(value);
        if (shortForm.matches()) {
            long amount = clampedLong(shortForm.group(1));
            if (amount > MAX_AGE.toSeconds()) {
                // Even in seconds more than the longest age; Duration.ofDays would overflow on the largest.
                problem(label, shown(value), "longer than 36500 days", allowed);
                return null;
            }
            duration = switch (shortForm.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } else if (value.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                duration = Duration.parse(value);
            } catch (DateTimeParseException e) {
                // Days, hours and minutes that Duration cannot hold are far beyond the longest age, not months.
                String problem = ISO_DAYS_HOURS_MINUTES.matcher(value).matches()
                        ? (value.contains("-") ? "shorter than 1 minute" : "longer than 36500 days")
                        : "not an ISO-8601 duration of days, hours, minutes (months and years vary in length)";
                problem(label, shown(value), problem, allowed);
                return null;
            }
        }
        if (duration == null) {
            String problem = value.isBlank() ? (value.isEmpty() ? "empty" : "blank") : "not a duration";
            problem(label, shown(value), problem, allowed);
            return null;
        }
        if (duration.compareTo(MIN_AGE) < 0) {
            problem(label, shown(value), "shorter than 1 minute", allowed);
            return null;
        }
        if (duration.compareTo(MAX_AGE) > 0) {
            problem(label, shown(value), "longer than 36500 days", allowed);
            return null;
        }
        return duration;
    }

    Long size(String label, String value) {
        return size(label, shown(value), value);
    }

    /** @param shown how the message shows the value after the label, such as {@code =5} for a JSON number */
    Long size(String label, String shown, String value) {
        Matcher matcher = SIZE.matcher(value.strip());
        if (!matcher.matches()) {
            problem(label, shown, value.isBlank() ? (value.isEmpty() ? "empty" : "blank") : "not a size", SIZE_ALLOWED);
            return null;
        }
        String unit = matcher.group(2) == null ? "B" : matcher.group(2).toUpperCase(Locale.ROOT);
        try {
            return Math.multiplyExact(Long.parseLong(matcher.group(1)), UNITS.get(unit));
        } catch (ArithmeticException | NumberFormatException e) {
            problem(label, shown, "too large", SIZE_ALLOWED);
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
