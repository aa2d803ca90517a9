package io.github.s3sweeper.config;

import io.github.s3sweeper.rules.Glob;
import io.github.s3sweeper.rules.Selection;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Reads the settings from an environment map (the real one in Lambda, any map in tests) and validates all of
 * them before anything touches S3. Every problem is collected so that one failed run names them all. Optional
 * settings set to the empty string count as not set (the template passes every parameter, empty or not).
 */
public final class SettingsParser {

    public static final String BUCKET_NAME = "BUCKET_NAME";
    public static final String PREFIX = "PREFIX";
    public static final String RETENTION_DAYS = "RETENTION_DAYS";
    public static final String OLDER_THAN = "OLDER_THAN";
    public static final String DRY_RUN = "DRY_RUN";
    public static final String ALLOW_WHOLE_BUCKET = "ALLOW_WHOLE_BUCKET";
    public static final String KEEP_LATEST = "KEEP_LATEST";
    public static final String MAX_DELETES = "MAX_DELETES";
    public static final String INCLUDE = "INCLUDE";
    public static final String EXCLUDE = "EXCLUDE";
    public static final String MIN_SIZE = "MIN_SIZE";
    public static final String MAX_SIZE = "MAX_SIZE";
    public static final String NONCURRENT_DAYS = "NONCURRENT_DAYS";
    public static final String KEEP_NONCURRENT = "KEEP_NONCURRENT";
    public static final String BYPASS_GOVERNANCE = "BYPASS_GOVERNANCE";
    public static final String DELETE_CONCURRENCY = "DELETE_CONCURRENCY";
    public static final String LIST_CONCURRENCY = "LIST_CONCURRENCY";
    public static final String AWS_REGION = "AWS_REGION";
    public static final String AWS_ENDPOINT_URL_S3 = "AWS_ENDPOINT_URL_S3";
    public static final String AWS_ENDPOINT_URL = "AWS_ENDPOINT_URL";
    public static final String S3_ATTEMPT_TIMEOUT = "S3_ATTEMPT_TIMEOUT";
    public static final String SWEEP_NAME = "SWEEP_NAME";
    public static final String METRICS_NAMESPACE = "POWERTOOLS_METRICS_NAMESPACE";

    public static final int MIN_RETENTION_DAYS = 1;
    public static final int MAX_RETENTION_DAYS = 36_500;
    static final int MAX_KEEP_LATEST = 100_000;
    static final int MAX_MAX_DELETES = 1_000_000_000;
    static final int MAX_KEEP_NONCURRENT = 100;
    static final int MAX_DELETE_CONCURRENCY = 64;
    static final int MAX_LIST_CONCURRENCY = 64;
    static final int MAX_KEY_BYTES = 1024;

    static final String BUCKET_ALLOWED = "a valid S3 bucket name: 3 to 63 characters of lowercase letters, digits,"
            + " dots and hyphens, starting and ending with a letter or digit";
    static final String PREFIX_ALLOWED = "a key prefix of at most 1024 bytes, such as logs/ (the empty prefix,"
            + " meaning the whole bucket, only with ALLOW_WHOLE_BUCKET=true)";
    static final String DAYS_ALLOWED = "a whole number of days from 1 to 36500";
    static final String AGE_ALLOWED = "exactly one of RETENTION_DAYS (" + DAYS_ALLOWED + ") or OLDER_THAN ("
            + ValueReader.DURATION_ALLOWED + ")";
    static final String KEEP_LATEST_ALLOWED = "a whole number from 0 to 100000";
    static final String MAX_DELETES_ALLOWED = "a whole number from 1 to 1000000000, or empty for no cap";
    static final String NONCURRENT_DAYS_ALLOWED = "a whole number of days from 1 to 36500, or empty to leave"
            + " noncurrent versions alone";
    static final String KEEP_NONCURRENT_ALLOWED = "a whole number from 0 to 100";
    static final String DELETE_CONCURRENCY_ALLOWED = "a whole number from 1 to 64";
    static final String LIST_CONCURRENCY_ALLOWED = "a whole number from 1 to 64";
    static final String REGION_ALLOWED = "an AWS Region name such as us-east-1";
    static final String ENDPOINT_ALLOWED = "an absolute http:// or https:// URL such as http://localhost:4566, or"
            + " empty for S3 itself";
    static final String ATTEMPT_TIMEOUT_ALLOWED = "a duration from 100ms to 300s, such as 10s or 500ms";
    static final String SWEEP_NAME_ALLOWED = "1 to 1024 characters without control characters, not all spaces (a"
            + " CloudWatch dimension value; keep it ASCII, which CloudWatch requires), or empty for <bucket>/<prefix>";
    static final String NAMESPACE_ALLOWED = "a CloudWatch namespace of 1 to 255 letters, digits and . - _ / # :,"
            + " not starting with AWS/ (default " + MetricsSettings.DEFAULT_NAMESPACE + ")";

    private static final Pattern BUCKET_CHARS = Pattern.compile("[a-z0-9][a-z0-9.-]*[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    private static final Pattern SECONDS_OR_MILLIS = Pattern.compile("([0-9]{1,6})(s|ms)");
    private static final Pattern NAMESPACE = Pattern.compile("[0-9A-Za-z.\\-_/#:]{1,255}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");
    private static final List<String> RESERVED_BUCKET_PREFIXES = List.of("xn--", "sthree-", "amzn-s3-demo-");
    private static final List<String> RESERVED_BUCKET_SUFFIXES =
            List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3");

    private SettingsParser() {
    }

    /** Parses every setting or throws one {@link InvalidSettingsException} naming all the bad ones. */
    public static Settings parse(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        ValueReader read = new ValueReader(problems);
        String bucket = bucket(env, problems);
        // An empty DRY_RUN or ALLOW_WHOLE_BUCKET is refused rather than read as the default: intent is unclear.
        Boolean allowWholeBucket = env.get(ALLOW_WHOLE_BUCKET) != null
                ? read.bool(ALLOW_WHOLE_BUCKET, env.get(ALLOW_WHOLE_BUCKET)) : Boolean.FALSE;
        String prefix = prefix(env, Boolean.TRUE.equals(allowWholeBucket), problems);
        Age age = age(env, read, problems);
        Boolean dryRun = env.get(DRY_RUN) != null ? read.bool(DRY_RUN, env.get(DRY_RUN)) : Boolean.FALSE;
        Integer keepLatest = set(env, KEEP_LATEST)
                ? read.wholeNumber(KEEP_LATEST, env.get(KEEP_LATEST), 0, MAX_KEEP_LATEST, KEEP_LATEST_ALLOWED)
                : Integer.valueOf(0);
        Integer maxDeletes = set(env, MAX_DELETES)
                ? read.wholeNumber(MAX_DELETES, env.get(MAX_DELETES), 1, MAX_MAX_DELETES, MAX_DELETES_ALLOWED) : null;
        List<Glob> include = set(env, INCLUDE) ? read.globs(INCLUDE, env.get(INCLUDE)) : List.of();
        List<Glob> exclude = set(env, EXCLUDE) ? read.globs(EXCLUDE, env.get(EXCLUDE)) : List.of();
        Long minSize = set(env, MIN_SIZE) ? read.size(MIN_SIZE, env.get(MIN_SIZE)) : Long.valueOf(0);
        Long maxSize = set(env, MAX_SIZE) ? read.size(MAX_SIZE, env.get(MAX_SIZE)) : Long.valueOf(Selection.NO_MAX_SIZE);
        if (minSize != null && maxSize != null && minSize > maxSize) {
            read.problem(MIN_SIZE, ValueReader.shown(env.get(MIN_SIZE)), "larger than MAX_SIZE"
                    + ValueReader.shown(env.get(MAX_SIZE)), "a MIN_SIZE no larger than MAX_SIZE");
        }
        Integer noncurrentDays = set(env, NONCURRENT_DAYS) ? read.wholeNumber(NONCURRENT_DAYS,
                env.get(NONCURRENT_DAYS), 1, MAX_RETENTION_DAYS, NONCURRENT_DAYS_ALLOWED) : null;
        Integer keepNoncurrent = set(env, KEEP_NONCURRENT) ? read.wholeNumber(KEEP_NONCURRENT,
                env.get(KEEP_NONCURRENT), 0, MAX_KEEP_NONCURRENT, KEEP_NONCURRENT_ALLOWED) : Integer.valueOf(0);
        if (keepNoncurrent != null && keepNoncurrent > 0 && !set(env, NONCURRENT_DAYS)) {
            read.problem(KEEP_NONCURRENT, ValueReader.shown(env.get(KEEP_NONCURRENT)),
                    "applies only to noncurrent versions, and NONCURRENT_DAYS is not set",
                    "0 or empty, or set NONCURRENT_DAYS too");
        }
        Boolean bypassGovernance = set(env, BYPASS_GOVERNANCE)
                ? read.bool(BYPASS_GOVERNANCE, env.get(BYPASS_GOVERNANCE)) : Boolean.FALSE;
        if (Boolean.TRUE.equals(bypassGovernance) && !set(env, NONCURRENT_DAYS)) {
            read.problem(BYPASS_GOVERNANCE, ValueReader.shown(env.get(BYPASS_GOVERNANCE)),
                    "applies only to deleting versions, and NONCURRENT_DAYS is not set",
                    "false or empty, or set NONCURRENT_DAYS too");
        }
        Integer deleteConcurrency = set(env, DELETE_CONCURRENCY) ? read.wholeNumber(DELETE_CONCURRENCY,
                env.get(DELETE_CONCURRENCY), 1, MAX_DELETE_CONCURRENCY, DELETE_CONCURRENCY_ALLOWED)
                : Integer.valueOf(SweepSettings.DEFAULT_DELETE_CONCURRENCY);
        Integer listConcurrency = set(env, LIST_CONCURRENCY) ? read.wholeNumber(LIST_CONCURRENCY,
                env.get(LIST_CONCURRENCY), 1, MAX_LIST_CONCURRENCY, LIST_CONCURRENCY_ALLOWED)
                : Integer.valueOf(SweepSettings.DEFAULT_LIST_CONCURRENCY);
        String region = region(env, problems);
        Optional<URI> endpoint = endpoint(env, problems);
        Duration attemptTimeout = attemptTimeout(env, problems);
        MetricsSettings metrics = metrics(env, problems);
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        SweepSettings sweep = SweepSettings.builder(bucket, prefix, age)
                .dryRun(dryRun)
                .keepLatest(keepLatest)
                .maxDeletes(maxDeletes == null ? OptionalLong.empty() : OptionalLong.of(maxDeletes))
                .include(include)
                .exclude(exclude)
                .minSize(minSize)
                .maxSize(maxSize)
                .noncurrentDays(noncurrentDays == null ? OptionalInt.empty() : OptionalInt.of(noncurrentDays))
                .keepNoncurrent(keepNoncurrent)
                .bypassGovernance(bypassGovernance)
                .deleteConcurrency(deleteConcurrency)
                .listConcurrency(listConcurrency)
                .build();
        return new Settings(sweep, new S3Settings(region, endpoint, attemptTimeout), metrics);
    }

    /** How long one attempt of one request may take before the SDK abandons it and tries again. */
    private static Duration attemptTimeout(Map<String, String> env, List<String> problems) {
        if (!set(env, S3_ATTEMPT_TIMEOUT)) {
            return S3Settings.DEFAULT_ATTEMPT_TIMEOUT;
        }
        String value = env.get(S3_ATTEMPT_TIMEOUT);
        java.util.regex.Matcher matcher = SECONDS_OR_MILLIS.matcher(value);
        Duration timeout = null;
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            timeout = matcher.group(2).equals("s") ? Duration.ofSeconds(amount) : Duration.ofMillis(amount);
        }
        if (timeout == null || timeout.toMillis() < 100 || timeout.toSeconds() > 300) {
            problems.add(describe(S3_ATTEMPT_TIMEOUT, value, timeout == null ? "not a duration in s or ms"
                    : "outside 100ms to 300s", ATTEMPT_TIMEOUT_ALLOWED));
            return null;
        }
        return timeout;
    }

    private static MetricsSettings metrics(Map<String, String> env, List<String> problems) {
        String name = env.get(SWEEP_NAME);
        // Not refused for non-ASCII: the template derives it from the prefix, and a sweep must not fail over a metric
        // CloudWatch would drop (the README says to set SweepName then). Blank is refused: CloudWatch takes a
        // dimension value only with a character other than white space.
        if (name != null && (name.length() > 1024 || name.chars().anyMatch(Character::isISOControl)
                || (!name.isEmpty() && name.isBlank()))) {
            problems.add(describe(SWEEP_NAME, name, name.length() > 1024 ? "longer than 1024 characters"
                    : name.isBlank() ? "blank" : "has a control character", SWEEP_NAME_ALLOWED));
        }
        String namespace = set(env, METRICS_NAMESPACE) ? env.get(METRICS_NAMESPACE) : MetricsSettings.DEFAULT_NAMESPACE;
        if (!NAMESPACE.matcher(namespace).matches() || namespace.startsWith("AWS/")) {
            problems.add(describe(METRICS_NAMESPACE, namespace, "not a namespace CloudWatch accepts for custom"
                    + " metrics", NAMESPACE_ALLOWED));
        }
        return new MetricsSettings(namespace, name == null || name.isEmpty() ? Optional.empty() : Optional.of(name));
    }

    /** Set to something other than the empty string. */
    private static boolean set(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isEmpty();
    }

    private static Age age(Map<String, String> env, ValueReader read, List<String> problems) {
        boolean days = set(env, RETENTION_DAYS);
        boolean olderThan = set(env, OLDER_THAN);
        if (days && olderThan) {
            problems.add(RETENTION_DAYS + ValueReader.shown(env.get(RETENTION_DAYS)) + " and " + OLDER_THAN
                    + ValueReader.shown(env.get(OLDER_THAN)) + ": both are set; allowed: " + AGE_ALLOWED);
            return null;
        }
        if (!days && !olderThan) {
            problems.add(RETENTION_DAYS + ValueReader.shown(env.get(RETENTION_DAYS)) + " and " + OLDER_THAN
                    + ValueReader.shown(env.get(OLDER_THAN)) + ": neither is set; allowed: " + AGE_ALLOWED);
            return null;
        }
        if (days) {
            Integer value = read.wholeNumber(RETENTION_DAYS, env.get(RETENTION_DAYS), MIN_RETENTION_DAYS,
                    MAX_RETENTION_DAYS, DAYS_ALLOWED);
            return value == null ? null : Age.ofDays(value);
        }
        Duration value = read.duration(OLDER_THAN, env.get(OLDER_THAN));
        return value == null ? null : Age.of(value);
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
        String problem = prefixProblem(value, allowWholeBucket, "the environment was probably read without a UTF-8"
                + " locale (set LANG=C.UTF-8)");
        if (problem != null) {
            problems.add(describe(PREFIX, value, problem, PREFIX_ALLOWED));
        }
        return value;
    }

    /** @param replacementCause why the value probably holds U+FFFD, where it came from */
    static String prefixProblem(String value, boolean allowWholeBucket, String replacementCause) {
        if (value == null) {
            return "required";
        } else if (value.isEmpty() && !allowWholeBucket) {
            return "empty, which would sweep the whole bucket, and ALLOW_WHOLE_BUCKET is not true";
        } else if (!value.isEmpty() && value.isBlank()) {
            return "blank";
        } else if (value.indexOf('\uFFFD') >= 0) {
            // What a JVM without a UTF-8 locale makes of non-ASCII environment values: sweeping it would match nothing.
            return "contains U+FFFD, the replacement character: " + replacementCause;
        } else if (value.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return "longer than 1024 bytes";
        }
        return null;
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
        // Empty is S3 itself: the template declares the variable empty so that sam local invoke can set it.
        if (value == null || value.isEmpty()) {
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
        return name + ValueReader.shown(value) + ": " + problem + "; allowed: " + allowed;
    }
}
