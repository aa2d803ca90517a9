package io.github.s3sweeper.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the settings from an environment map (the real one in Lambda, any map in tests) and validates all of
 * them before anything touches S3. Every problem is collected so that one failed run names them all.
 */
public final class SettingsParser {

    public static final String BUCKET_NAME = "BUCKET_NAME";
    public static final String PREFIX = "PREFIX";
    public static final String RETENTION_DAYS = "RETENTION_DAYS";
    public static final String DRY_RUN = "DRY_RUN";
    public static final String ALLOW_WHOLE_BUCKET = "ALLOW_WHOLE_BUCKET";
    public static final String AWS_REGION = "AWS_REGION";
    public static final String AWS_ENDPOINT_URL_S3 = "AWS_ENDPOINT_URL_S3";
    public static final String AWS_ENDPOINT_URL = "AWS_ENDPOINT_URL";

    public static final int MIN_RETENTION_DAYS = 1;
    public static final int MAX_RETENTION_DAYS = 36_500;
    static final int MAX_KEY_BYTES = 1024;

    static final String BUCKET_ALLOWED = "a valid S3 bucket name: 3 to 63 characters of lowercase letters, digits,"
            + " dots and hyphens, starting and ending with a letter or digit";
    static final String PREFIX_ALLOWED = "a key prefix of at most 1024 bytes, such as logs/ (the empty prefix,"
            + " meaning the whole bucket, only with ALLOW_WHOLE_BUCKET=true)";
    static final String DAYS_ALLOWED = "a whole number of days from 1 to 36500";
    static final String BOOLEAN_ALLOWED = "true or false";
    static final String REGION_ALLOWED = "an AWS Region name such as us-east-1";
    static final String ENDPOINT_ALLOWED = "an absolute http:// or https:// URL such as http://localhost:4566";

    private static final Pattern BUCKET_CHARS = Pattern.compile("[a-z0-9][a-z0-9.-]*[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]+");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");
    private static final List<String> RESERVED_BUCKET_PREFIXES = List.of("xn--", "sthree-", "amzn-s3-demo-");
    private static final List<String> RESERVED_BUCKET_SUFFIXES =
            List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3");

    private SettingsParser() {
    }

    /** Parses every setting or throws one {@link InvalidSettingsException} naming all the bad ones. */
    public static Settings parse(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        String bucket = bucket(env, problems);
        boolean allowWholeBucket = bool(env, ALLOW_WHOLE_BUCKET, false, problems);
        String prefix = prefix(env, allowWholeBucket, problems);
        int retentionDays = retentionDays(env, problems);
        boolean dryRun = bool(env, DRY_RUN, false, problems);
        String region = region(env, problems);
        Optional<URI> endpoint = endpoint(env, problems);
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return new Settings(new SweepSettings(bucket, prefix, retentionDays, dryRun), new S3Settings(region, endpoint));
    }

    private static String bucket(Map<String, String> env, List<String> problems) {
        String value = env.get(BUCKET_NAME);
        String problem = bucketProblem(value);
        if (problem != null) {
            problems.add(describe(BUCKET_NAME, value, problem, BUCKET_ALLOWED));
        }
        return value;
    }

    static String bucketProblem(String value) {
        if (value == null) {
            return "required";
        }
        if (value.isBlank()) {
            return value.isEmpty() ? "empty" : "blank";
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

    private static String prefix(Map<String, String> env, boolean allowWholeBucket, List<String> problems) {
        String value = env.get(PREFIX);
        String problem = null;
        if (value == null) {
            problem = "required";
        } else if (value.isEmpty() && !allowWholeBucket) {
            problem = "empty, which would sweep the whole bucket, and ALLOW_WHOLE_BUCKET is not true";
        } else if (!value.isEmpty() && value.isBlank()) {
            problem = "blank";
        } else if (value.indexOf('\uFFFD') >= 0) {
            // What a JVM without a UTF-8 locale makes of non-ASCII environment values: sweeping it would match nothing.
            problem = "contains U+FFFD, the replacement character: the environment was probably read without a"
                    + " UTF-8 locale (set LANG=C.UTF-8)";
        } else if (value.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            problem = "longer than 1024 bytes";
        }
        if (problem != null) {
            problems.add(describe(PREFIX, value, problem, PREFIX_ALLOWED));
        }
        return value;
    }

    private static int retentionDays(Map<String, String> env, List<String> problems) {
        String value = env.get(RETENTION_DAYS);
        String problem = null;
        int days = 0;
        if (value == null) {
            problem = "required";
        } else if (value.isBlank()) {
            problem = value.isEmpty() ? "empty" : "blank";
        } else if (!WHOLE_NUMBER.matcher(value).matches()) {
            problem = "not a whole number";
        } else if (value.startsWith("-") || value.chars().allMatch(c -> c == '0')) {
            problem = "must be at least " + MIN_RETENTION_DAYS;
        } else if (new java.math.BigInteger(value).compareTo(java.math.BigInteger.valueOf(MAX_RETENTION_DAYS)) > 0) {
            problem = "must be at most " + MAX_RETENTION_DAYS;
        } else {
            days = Integer.parseInt(value);
        }
        if (problem != null) {
            problems.add(describe(RETENTION_DAYS, value, problem, DAYS_ALLOWED));
        }
        return days;
    }

    private static boolean bool(Map<String, String> env, String name, boolean defaultValue, List<String> problems) {
        String value = env.get(name);
        if (value == null) {
            return defaultValue;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                String problem = value.isBlank() ? (value.isEmpty() ? "empty" : "blank") : "not a boolean";
                problems.add(describe(name, value, problem, BOOLEAN_ALLOWED));
                return defaultValue;
        }
    }

    private static String region(Map<String, String> env, List<String> problems) {
        String value = env.get(AWS_REGION);
        String problem = null;
        if (value == null) {
            problem = "required (Lambda sets it; set it yourself when running locally)";
        } else if (value.isBlank()) {
            problem = value.isEmpty() ? "empty" : "blank";
        } else if (!REGION.matcher(value).matches()) {
            problem = "not a Region name";
        }
        if (problem != null) {
            problems.add(describe(AWS_REGION, value, problem, REGION_ALLOWED));
        }
        return value;
    }

    private static Optional<URI> endpoint(Map<String, String> env, List<String> problems) {
        // The service-specific variable wins over the global one, as in the SDK's own resolution.
        String name = env.get(AWS_ENDPOINT_URL_S3) != null ? AWS_ENDPOINT_URL_S3 : AWS_ENDPOINT_URL;
        String value = env.get(name);
        if (value == null) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            if (uri.getHost() != null && ("http".equals(scheme) || "https".equals(scheme))) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // reported below with the other problems
        }
        problems.add(describe(name, value, "not a usable endpoint URL", ENDPOINT_ALLOWED));
        return Optional.empty();
    }

    static String describe(String name, String value, String problem, String allowed) {
        String shown = value == null ? " (not set)" : "=\"" + value + "\"";
        return name + shown + ": " + problem + "; allowed: " + allowed;
    }
}
