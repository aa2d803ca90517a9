package io.github.s3sweeper.config;

import io.github.s3sweeper.rules.Glob;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The kind of value a setting holds: how to read it from text (an environment variable, a flag) and from an input
 * field (JSON as the runtime deserialized it), what the messages say is allowed, and its bounds. Each read records a
 * problem and returns null instead of throwing, so one run names every bad value.
 *
 * @param <T> the value once read
 */
public interface ValueType<T> {

    /** The text's value, or null after recording a problem under {@code label}. */
    T fromText(ValueReader read, String label, String value);

    /** An input field's value, or null after recording a problem; {@code value} is never null. */
    T fromJson(ValueReader read, String field, Object value);

    /** What the messages and the help say is allowed. */
    String allowed();

    /** The placeholder of the flag's value in the help: {@code N}, {@code DURATION}. */
    String paramLabel();

    /** A flag of its own means true: {@code --dry-run}. */
    default boolean isBoolean() {
        return false;
    }

    /** The smallest and largest allowed whole number, for the template's bounds; empty for other kinds. */
    default OptionalLong min() {
        return OptionalLong.empty();
    }

    default OptionalLong max() {
        return OptionalLong.empty();
    }

    /** "a whole number from min to max", the words every message and the help use. */
    static ValueType<Integer> wholeNumber(int min, int max) {
        return wholeNumber(min, max, "a whole number from " + min + " to " + max);
    }

    static ValueType<Integer> wholeNumber(int min, int max, String allowed) {
        return new WholeNumber(min, max, allowed, allowed);
    }

    /** @param inputAllowed what an input field may hold, where it differs (no "or empty") */
    static ValueType<Integer> wholeNumber(int min, int max, String allowed, String inputAllowed) {
        return new WholeNumber(min, max, allowed, inputAllowed);
    }

    ValueType<Boolean> BOOLEAN = new Bool();
    ValueType<Duration> AGE = new Age();
    ValueType<Duration> INTERVAL = new Interval();
    ValueType<Long> SIZE = new Size();
    ValueType<List<Glob>> GLOBS = new Globs();

    /**
     * A string checked by {@code problem} (null when fine) and turned into its value by {@code convert}.
     *
     * @param inputAllowed what an input field may hold
     */
    static <T> ValueType<T> text(String paramLabel, String allowed, String inputAllowed,
                                 Function<String, String> problem, Function<String, T> convert) {
        return new Text<>(paramLabel, allowed, inputAllowed, problem, convert);
    }

    static ValueType<String> text(String paramLabel, String allowed, Function<String, String> problem) {
        return new Text<>(paramLabel, allowed, allowed, problem, Function.identity());
    }

    /** "input field "dryRun"="true": a JSON string, not a boolean; allowed: ..." */
    private static void wrongType(ValueReader read, String field, Object value, String expected, String allowed) {
        problem(read, field, value, ValueReader.jsonType(value) + ", not " + expected, allowed);
    }

    private static void problem(ValueReader read, String field, Object value, String problem, String allowed) {
        read.problem(RunRequest.label(field), "=" + ValueReader.json(value), problem, allowed);
    }

    private static boolean isWholeNumber(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof BigInteger;
    }

    record WholeNumber(int minimum, int maximum, String allowed, String inputAllowed) implements ValueType<Integer> {
        @Override
        public Integer fromText(ValueReader read, String label, String value) {
            return read.wholeNumber(label, value, minimum, maximum, allowed);
        }

        @Override
        public Integer fromJson(ValueReader read, String field, Object value) {
            if (isWholeNumber(value)) {
                return read.wholeNumber(RunRequest.label(field), "=" + ValueReader.json(value), String.valueOf(value),
                        minimum, maximum, inputAllowed);
            }
            if (value instanceof Number) {
                problem(read, field, value, "not a whole number", inputAllowed);
            } else {
                wrongType(read, field, value, "a number", inputAllowed);
            }
            return null;
        }

        @Override
        public String paramLabel() {
            return "N";
        }

        @Override
        public OptionalLong min() {
            return OptionalLong.of(minimum);
        }

        @Override
        public OptionalLong max() {
            return OptionalLong.of(maximum);
        }
    }

    final class Bool implements ValueType<Boolean> {
        static final String INPUT_ALLOWED = "true or false, as JSON booleans (without quotes)";

        @Override
        public Boolean fromText(ValueReader read, String label, String value) {
            return read.bool(label, value);
        }

        @Override
        public Boolean fromJson(ValueReader read, String field, Object value) {
            if (value instanceof Boolean b) {
                return b;
            }
            wrongType(read, field, value, "a boolean", INPUT_ALLOWED);
            return null;
        }

        @Override
        public String allowed() {
            return ValueReader.BOOLEAN_ALLOWED;
        }

        @Override
        public String paramLabel() {
            return "BOOL";
        }

        @Override
        public boolean isBoolean() {
            return true;
        }
    }

    final class Age implements ValueType<Duration> {
        @Override
        public Duration fromText(ValueReader read, String label, String value) {
            return read.duration(label, value);
        }

        @Override
        public Duration fromJson(ValueReader read, String field, Object value) {
            if (value instanceof String s) {
                return read.duration(RunRequest.label(field), s);
            }
            wrongType(read, field, value, "a string", allowed());
            return null;
        }

        @Override
        public String allowed() {
            return ValueReader.DURATION_ALLOWED;
        }

        @Override
        public String paramLabel() {
            return "DURATION";
        }
    }

    /** How often or how long: as AGE, with seconds too; never an age threshold. */
    final class Interval implements ValueType<Duration> {
        @Override
        public Duration fromText(ValueReader read, String label, String value) {
            return read.interval(label, value);
        }

        @Override
        public Duration fromJson(ValueReader read, String field, Object value) {
            if (value instanceof String s) {
                return read.interval(RunRequest.label(field), s);
            }
            read.problem(RunRequest.label(field), "=" + ValueReader.json(value), ValueReader.jsonType(value)
                    + ", not a string", allowed());
            return null;
        }

        @Override
        public String allowed() {
            return ValueReader.INTERVAL_ALLOWED;
        }

        @Override
        public String paramLabel() {
            return "DURATION";
        }
    }

    final class Size implements ValueType<Long> {
        @Override
        public Long fromText(ValueReader read, String label, String value) {
            return read.size(label, value);
        }

        @Override
        public Long fromJson(ValueReader read, String field, Object value) {
            if (value instanceof String || isWholeNumber(value)) {
                return read.size(RunRequest.label(field), "=" + ValueReader.json(value), String.valueOf(value));
            }
            if (value instanceof Number) {
                problem(read, field, value, "not a whole number", allowed());
            } else {
                wrongType(read, field, value, "a number or a string", allowed());
            }
            return null;
        }

        @Override
        public String allowed() {
            return ValueReader.SIZE_ALLOWED;
        }

        @Override
        public String paramLabel() {
            return "SIZE";
        }
    }

    final class Globs implements ValueType<List<Glob>> {
        static final String INPUT_ALLOWED = ValueReader.GLOBS_ALLOWED + "; one string, or a non-empty array of"
                + " patterns";

        @Override
        public List<Glob> fromText(ValueReader read, String label, String value) {
            return read.globs(label, value);
        }

        @Override
        public List<Glob> fromJson(ValueReader read, String field, Object value) {
            if (value instanceof String s) {
                return read.globs(RunRequest.label(field), s);
            }
            if (!(value instanceof List<?> list)) {
                wrongType(read, field, value, "a string or an array of strings", INPUT_ALLOWED);
                return null;
            }
            if (list.isEmpty()) {
                problem(read, field, value, "an empty array", INPUT_ALLOWED);
                return null;
            }
            List<Glob> globs = new ArrayList<>();
            for (Object pattern : list) {
                if (!(pattern instanceof String text)) {
                    problem(read, field, value, "an array holding " + (pattern == null ? "null"
                            : ValueReader.jsonType(pattern)) + ", not only strings", INPUT_ALLOWED);
                    return null;
                }
                if (text.isEmpty()) {
                    problem(read, field, value, "an empty pattern in the array", ValueReader.GLOBS_ALLOWED);
                    return null;
                }
                try {
                    globs.add(Glob.compile(text));
                } catch (IllegalArgumentException e) {
                    problem(read, field, value, "pattern " + ValueReader.quoted(text) + " has " + e.getMessage(),
                            ValueReader.GLOBS_ALLOWED);
                    return null;
                }
            }
            return List.copyOf(globs);
        }

        @Override
        public String allowed() {
            return ValueReader.GLOBS_ALLOWED;
        }

        @Override
        public String paramLabel() {
            return "GLOBS";
        }
    }

    record Text<T>(String paramLabel, String allowed, String inputAllowed, Function<String, String> check,
                   Function<String, T> convert) implements ValueType<T> {
        @Override
        public T fromText(ValueReader read, String label, String value) {
            String wrong = check.apply(value);
            if (wrong != null) {
                read.problem(label, ValueReader.shown(value), wrong, allowed);
                return null;
            }
            return convert.apply(value);
        }

        @Override
        public T fromJson(ValueReader read, String field, Object value) {
            if (!(value instanceof String s)) {
                wrongType(read, field, value, "a string", inputAllowed);
                return null;
            }
            String wrong = check.apply(s);
            if (wrong != null) {
                problem(read, field, s, wrong, inputAllowed);
                return null;
            }
            return convert.apply(s);
        }
    }

    /** At most {@code max} bytes in UTF-8, as S3 counts a key's length. */
    static Function<String, String> atMostBytes(int max) {
        return value -> value.getBytes(StandardCharsets.UTF_8).length > max ? "longer than " + max + " bytes" : null;
    }
}
