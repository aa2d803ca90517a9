package io.github.s3sweeper.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What makes a text setting's value wrong, one check per kind of value: each returns the problem in words, or null
 * when the value is fine. {@link Catalog} names which setting uses which.
 */
final class Checks {

    private static final Pattern BUCKET_CHARS = Pattern.compile("[a-z0-9][a-z0-9.-]*[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    private static final Pattern SECONDS_OR_MILLIS = Pattern.compile("([0-9]{1,6})(s|ms)");
    private static final Pattern NAMESPACE = Pattern.compile("[0-9A-Za-z.\\-_/#:]{1,255}");
    private static final Pattern REGION_NAME = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");
    private static final Pattern PROFILE_NAME = Pattern.compile("[A-Za-z0-9._@+-]{1,128}");
    private static final List<String> RESERVED_BUCKET_PREFIXES = List.of("xn--", "sthree-", "amzn-s3-demo-");
    private static final List<String> RESERVED_BUCKET_SUFFIXES =
            List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3");

    private Checks() {
    }

    static String bucketProblem(String value) {
        if (value.isBlank()) {
            return value.isEmpty() ? "empty" : "blank";
        }
        if (value.startsWith("s3://")) {
            return "starts with s3://: give the bucket's name alone";
        }
        if (value.length() < 3 || value.length() > 63) {
            return "length " + value.length() + " is outside 3 to 63";
        }
        if (!BUCKET_CHARS.matcher(value).matches()) {
            return "has characters other than lowercase letters, digits, dots and hyphens,"
                    + " or does not start and end with a letter or digit";
        }
        if (value.contains("..")) {
            return "has two adjacent dots";
        }
        if (IP_ADDRESS.matcher(value).matches()) {
            return "is formatted as an IP address";
        }
        for (String reserved : RESERVED_BUCKET_PREFIXES) {
            if (value.startsWith(reserved)) {
                return "starts with the reserved prefix " + reserved;
            }
        }
        for (String reserved : RESERVED_BUCKET_SUFFIXES) {
            if (value.endsWith(reserved)) {
                return "ends with the reserved suffix " + reserved;
            }
        }
        return null;
    }

    /**
     * What is wrong with a prefix, whatever its source, empty aside (that depends on ALLOW_WHOLE_BUCKET).
     *
     * @param replacementCause why the value probably holds U+FFFD, where it came from
     */
    static String prefixProblem(String value, String replacementCause) {
        if (!value.isEmpty() && value.isBlank()) {
            return "blank";
        } else if (value.indexOf('\uFFFD') >= 0) {
            // What a JVM without a UTF-8 locale makes of non-ASCII environment values: sweeping it would match nothing.
            return "contains U+FFFD, the replacement character: " + replacementCause;
        } else if (value.getBytes(StandardCharsets.UTF_8).length > Catalog.MAX_KEY_BYTES) {
            return "longer than 1024 bytes";
        }
        return null;
    }

    static String regionProblem(String value) {
        if (value.isBlank()) {
            return value.isEmpty() ? "empty" : "blank";
        }
        return REGION_NAME.matcher(value).matches() ? null : "not a Region name";
    }

    static String endpointProblem(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            if (uri.getHost() != null && ("http".equals(scheme) || "https".equals(scheme))) {
                return null;
            }
        } catch (URISyntaxException e) {
            // the same problem as any other unusable value
        }
        return "not a usable endpoint URL";
    }

    static String attemptTimeoutProblem(String value) {
        Duration timeout = attemptTimeout(value);
        if (timeout == null) {
            return "not a duration in s or ms";
        }
        return timeout.toMillis() < 100 || timeout.toSeconds() > 300 ? "outside 100ms to 300s" : null;
    }

    static Duration attemptTimeout(String value) {
        Matcher matcher = SECONDS_OR_MILLIS.matcher(value);
        if (!matcher.matches()) {
            return null;
        }
        long amount = Long.parseLong(matcher.group(1));
        return matcher.group(2).equals("s") ? Duration.ofSeconds(amount) : Duration.ofMillis(amount);
    }

    /**
     * Not refused for non-ASCII: the template derives it from the prefix, and a sweep must not fail over a metric
     * CloudWatch would drop (the README says to set SweepName then). Blank is refused: CloudWatch takes a dimension
     * value only with a character other than white space.
     */
    static String sweepNameProblem(String name) {
        if (name.length() > 1024) {
            return "longer than 1024 characters";
        }
        if (name.isBlank()) {
            return "blank";
        }
        return name.chars().anyMatch(Character::isISOControl) ? "has a control character" : null;
    }

    static String profileProblem(String value) {
        return PROFILE_NAME.matcher(value).matches() ? null : "not a profile name";
    }

    static String namespaceProblem(String namespace) {
        return NAMESPACE.matcher(namespace).matches() && !namespace.startsWith("AWS/") ? null
                : "not a namespace CloudWatch accepts for custom metrics";
    }

    /** The prefix: its problems other than being empty differ in cause between the environment and an input. */
    static final class PrefixType implements ValueType<String> {
        @Override
        public String fromText(ValueReader read, String label, String value) {
            String problem = prefixProblem(value, "the environment was probably read without a UTF-8 locale (set"
                    + " LANG=C.UTF-8)");
            if (problem != null) {
                read.problem(label, ValueReader.shown(value), problem, Catalog.PREFIX_ALLOWED);
                return null;
            }
            return value;
        }

        /** Only its type: whether it fits inside the configured prefix is the override's check. */
        @Override
        public String fromJson(ValueReader read, String field, Object value) {
            if (value instanceof String s) {
                return s;
            }
            read.problem(RunRequest.label(field), "=" + ValueReader.json(value), ValueReader.jsonType(value)
                    + ", not a string", "a key prefix inside the configured PREFIX");
            return null;
        }

        @Override
        public String allowed() {
            return Catalog.PREFIX_ALLOWED;
        }

        @Override
        public String paramLabel() {
            return "PREFIX";
        }
    }

    static String groupByProblem(String value) {
        if (value.isBlank()) {
            return "blank";
        }
        try {
            io.github.s3sweeper.rules.GroupBy.parse(value);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    static String timezoneProblem(String value) {
        if (value.isBlank()) {
            return "blank";
        }
        // ZoneId also takes "-1" or "+5" as offsets: too easy to mean something else, so offsets are written whole.
        if ((value.startsWith("+") || value.startsWith("-")) && !value.matches("[+-][0-9]{2}:[0-9]{2}")) {
            return "not a time zone the Java runtime knows";
        }
        try {
            java.time.ZoneId.of(value);
            return null;
        } catch (java.time.DateTimeException e) {
            return "not a time zone the Java runtime knows";
        }
    }
}
