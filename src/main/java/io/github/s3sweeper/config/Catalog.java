package io.github.s3sweeper.config;

import io.github.s3sweeper.rules.Glob;
import io.github.s3sweeper.rules.GroupBy;
import io.github.s3sweeper.rules.Period;
import io.github.s3sweeper.rules.Selection;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

import static io.github.s3sweeper.config.Setting.Change.ADD;
import static io.github.s3sweeper.config.Setting.Change.FREE;
import static io.github.s3sweeper.config.Setting.Change.LOWER_ONLY;
import static io.github.s3sweeper.config.Setting.Change.NARROW;
import static io.github.s3sweeper.config.Setting.Change.RAISE_ONLY;
import static io.github.s3sweeper.config.Setting.Change.TURN_ON_ONLY;

/**
 * Every setting, each declared once, in the order the help, the README's table and the messages list them. Adding a
 * setting means a declaration here, the rule that uses it, and its parameter in template.yaml (a test compares them).
 */
public final class Catalog {

    public static final int MIN_RETENTION_DAYS = 1;
    public static final int MAX_RETENTION_DAYS = 36_500;
    static final int MAX_KEY_BYTES = 1024;


    static final String DAYS_ALLOWED = "a whole number of days from 1 to 36500";
    static final String AGE_ALLOWED = "exactly one of RETENTION_DAYS (" + DAYS_ALLOWED + ") or OLDER_THAN ("
            + ValueReader.DURATION_ALLOWED + ")";
    static final String PREFIX_ALLOWED = "a key prefix of at most 1024 bytes, such as logs/ (the empty prefix,"
            + " meaning the whole bucket, only with ALLOW_WHOLE_BUCKET=true)";

    private Catalog() {
    }

    public static final Setting<String> BUCKET = Setting.named("bucket", ValueType.text("NAME",
                    "a valid S3 bucket name: 3 to 63 characters of lowercase letters, digits, dots and hyphens,"
                            + " starting and ending with a letter or digit", Checks::bucketProblem))
            .env("BUCKET_NAME").flag("--bucket").required().emptyIsAValue().template("BucketName")
            .description("the bucket to sweep").build();

    public static final Setting<Boolean> ALLOW_WHOLE_BUCKET = Setting.named("allowWholeBucket", ValueType.BOOLEAN)
            .env("ALLOW_WHOLE_BUCKET").flag("--allow-whole-bucket").byDefaultValue(false).emptyIsAValue()
            .template("AllowWholeBucket").description("allows the empty prefix, which sweeps the whole bucket").build();

    public static final Setting<String> PREFIX = Setting.named("prefix", new Checks.PrefixType())
            .env("PREFIX").flag("--prefix").required().emptyIsAValue().template("Prefix")
            .input(NARROW, SweepSettings::prefix, SweepSettings.Builder::prefix)
            .description("the key prefix, used exactly as S3 uses it").build();

    public static final Setting<Integer> RETENTION_DAYS = Setting.named("retentionDays",
                    ValueType.wholeNumber(MIN_RETENTION_DAYS, MAX_RETENTION_DAYS, DAYS_ALLOWED))
            .env("RETENTION_DAYS").flag("--retention-days").byDefault("one of the two is required")
            .template("RetentionDays")
            .input(FREE, s -> s.age().days(), (b, days) -> b.age(Age.ofDays(days))).perRule()
            .description("delete objects last modified more than this many days ago").build();

    public static final Setting<Duration> OLDER_THAN = Setting.named("olderThan", ValueType.AGE)
            .env("OLDER_THAN").flag("--older-than").byDefault("one of the two is required").template("OlderThan")
            .input(FREE, s -> s.age().duration(), (b, duration) -> b.age(Age.of(duration))).perRule()
            .description("the age threshold as a duration, instead of RETENTION_DAYS").build();

    public static final Setting<Boolean> DRY_RUN = Setting.named("dryRun", ValueType.BOOLEAN)
            .env("DRY_RUN").flag("--dry-run").shortFlag("-n").byDefaultValue(false).emptyIsAValue()
            .template("DryRun")
            .input(TURN_ON_ONLY, SweepSettings::dryRun, SweepSettings.Builder::dryRun).perRule()
            .description("list and report what would be deleted; delete nothing").build();

    public static final Setting<Integer> KEEP_LATEST = Setting.named("keepLatest",
                    ValueType.wholeNumber(0, 100_000))
            .env("KEEP_LATEST").flag("--keep-latest").byDefaultValue(0).template("KeepLatest")
            .input(RAISE_ONLY, SweepSettings::keepLatest, SweepSettings.Builder::keepLatest).perRule()
            .description("never delete the N most recently modified selected objects").build();

    public static final Setting<GroupBy> GROUP_BY = Setting.named("groupBy", ValueType.text("SPEC", GroupBy.ALLOWED,
                    "", Checks::groupByProblem, GroupBy::parse))
            .env("GROUP_BY").flag("--group-by").byDefault(GroupBy.ONE, "none").template("GroupBy")
            .perRule(SweepSettings.Builder::groupBy)
            .description("how keys form groups that KEEP_LATEST and the KEEP_HOURLY..KEEP_WITHIN rules apply to, each"
                    + " on its own: depth:1 for each first folder under the prefix, or pattern:GLOB with one (capture)")
            .build();

    public static final Setting<Integer> KEEP_HOURLY = keepPeriod(Period.HOURLY, "hour");
    public static final Setting<Integer> KEEP_DAILY = keepPeriod(Period.DAILY, "day");
    public static final Setting<Integer> KEEP_WEEKLY = keepPeriod(Period.WEEKLY, "ISO week (Monday first)");
    public static final Setting<Integer> KEEP_MONTHLY = keepPeriod(Period.MONTHLY, "month");
    public static final Setting<Integer> KEEP_YEARLY = keepPeriod(Period.YEARLY, "year");

    public static final Setting<Duration> KEEP_WITHIN = Setting.named("keepWithin", ValueType.AGE)
            .env("KEEP_WITHIN").flag("--keep-within").byDefault(Duration.ZERO, "none").template("KeepWithin")
            .perRule(SweepSettings.Builder::keepWithin)
            .description("in each group, keep everything modified within this duration of the group's newest object"
                    + " (restic's --keep-within; days are calendar days in TIMEZONE)").build();

    public static final Setting<ZoneId> TIMEZONE = Setting.named("timezone", ValueType.text("ZONE",
                    "an IANA time zone such as Europe/Paris or America/New_York, UTC, or an offset such as +05:30",
                    "", Checks::timezoneProblem, ZoneId::of))
            .env("TIMEZONE").flag("--timezone").byDefault(ZoneOffset.UTC, "UTC").template("Timezone")
            .perRule(SweepSettings.Builder::timezone)
            .description("the clock the KEEP_HOURLY..KEEP_YEARLY periods and KEEP_WITHIN's days are read on").build();

    public static final Setting<Integer> MAX_HELD_OBJECTS = Setting.named("maxHeldObjects",
                    ValueType.wholeNumber(1, 100_000_000))
            .env("MAX_HELD_OBJECTS").flag("--max-held-objects")
            .byDefaultValue((int) SweepSettings.DEFAULT_MAX_HELD_OBJECTS).template("MaxHeldObjects")
            .description("the most objects the keep rules may hold in memory at once over all groups (about 300 bytes"
                    + " each); a run that needs more stops with what it deleted reported and nothing else lost")
            .build();

    private static Setting<Integer> keepPeriod(Period period, String name) {
        String word = period.rule().substring("KEEP_".length());
        String camel = "keep" + word.charAt(0) + word.substring(1).toLowerCase(java.util.Locale.ROOT);
        return Setting.named(camel, ValueType.wholeNumber(0, 100_000))
                .env(period.rule()).flag("--" + period.rule().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                .byDefaultValue(0).template("Keep" + word.charAt(0) + word.substring(1).toLowerCase(java.util.Locale.ROOT))
                .perRule((b, n) -> b.keep(period, n))
                .description("in each group, keep the newest object of each of the last N " + name + "s that have"
                        + " objects (restic's --" + period.rule().toLowerCase(java.util.Locale.ROOT)
                        .replace('_', '-') + ")").build();
    }

    public static final Setting<Integer> MAX_DELETES = Setting.named("maxDeletes",
                    ValueType.wholeNumber(1, 1_000_000_000, "a whole number from 1 to 1000000000, or empty for no"
                            + " cap", "a whole number from 1 to 1000000000"))
            .env("MAX_DELETES").flag("--max-deletes").byDefault("no cap").template("MaxDeletes")
            .input(LOWER_ONLY, s -> s.maxDeletes().isPresent() ? (int) s.maxDeletes().getAsLong() : null,
                    (b, max) -> b.maxDeletes(OptionalLong.of(max)))
            .description("send at most N entries for deletion in one run (a chain of runs: in all)").build();

    public static final Setting<List<Glob>> INCLUDE = Setting.named("include", ValueType.GLOBS)
            .env("INCLUDE").flag("--include").byDefault("all").template("Include")
            .input(ADD, SweepSettings::includes, (b, globs) -> b.addInclude(globs))
            .perRule(SweepSettings.Builder::include)
            .description("globs on the key relative to the prefix, where * stays within one / segment (**/*.gz for"
                    + " any depth); an object must match one").build();

    public static final Setting<List<Glob>> EXCLUDE = Setting.named("exclude", ValueType.GLOBS)
            .env("EXCLUDE").flag("--exclude").byDefault("none").template("Exclude")
            .input(ADD, SweepSettings::exclude, (b, globs) -> b.addExclude(globs))
            .perRule(SweepSettings.Builder::exclude)
            .description("globs as for INCLUDE (* within one segment, ** across); an object matching one is never"
                    + " deleted").build();

    public static final Setting<Long> MIN_SIZE = Setting.named("minSize", ValueType.SIZE)
            .env("MIN_SIZE").flag("--min-size").byDefault(0L, "none").template("MinSize")
            .input(FREE, SweepSettings::minSize, SweepSettings.Builder::minSize).perRule()
            .description("only objects of at least this size").build();

    public static final Setting<Long> MAX_SIZE = Setting.named("maxSize", ValueType.SIZE)
            .env("MAX_SIZE").flag("--max-size").byDefault(Selection.NO_MAX_SIZE, "none").template("MaxSize")
            .input(FREE, SweepSettings::maxSize, SweepSettings.Builder::maxSize).perRule()
            .description("only objects of at most this size").build();

    public static final Setting<List<Object>> RULES = Setting.named("rules", Rules.TYPE)
            .env("RULES").flag("--rules").byDefault("no rules: one sweep of PREFIX").template("Rules")
            .description("a JSON array of named rules, each sweeping its own prefix inside PREFIX with its own age,"
                    + " filters and keep rules, in turn; on the command line also file:PATH")
            .build();

    public static final Setting<Integer> NONCURRENT_DAYS = Setting.named("noncurrentDays",
                    ValueType.wholeNumber(MIN_RETENTION_DAYS, MAX_RETENTION_DAYS, "a whole number of days from 1 to"
                            + " 36500, or empty to leave noncurrent versions alone"))
            .env("NONCURRENT_DAYS").flag("--noncurrent-days").byDefault("versions left alone")
            .template("NoncurrentDays")
            .description("versioned buckets: also delete versions noncurrent for more days, and expired delete"
                    + " markers").build();

    public static final Setting<Integer> KEEP_NONCURRENT = Setting.named("keepNoncurrent",
                    ValueType.wholeNumber(0, 100))
            .env("KEEP_NONCURRENT").flag("--keep-noncurrent").byDefaultValue(0).template("KeepNoncurrent")
            .description("with NONCURRENT_DAYS: keep the N newest noncurrent versions of each key").build();

    public static final Setting<Boolean> BYPASS_GOVERNANCE = Setting.named("bypassGovernance", ValueType.BOOLEAN)
            .env("BYPASS_GOVERNANCE").flag("--bypass-governance").byDefaultValue(false)
            .template("BypassGovernance")
            .description("with NONCURRENT_DAYS: send the Object Lock governance bypass with version deletions")
            .build();

    public static final Setting<Duration> ABORT_INCOMPLETE_UPLOADS_AFTER = Setting.named(
                    "abortIncompleteUploadsAfter", ValueType.AGE)
            .env("ABORT_INCOMPLETE_UPLOADS_AFTER").flag("--abort-incomplete-uploads-after")
            .byDefault("incomplete uploads left alone").template("AbortIncompleteUploadsAfter")
            .description("also abort the incomplete multipart uploads under the prefix initiated more than this long"
                    + " ago (once per run; a chain of runs: in its first)").build();

    public static final Setting<Integer> DELETE_CONCURRENCY = Setting.named("deleteConcurrency",
                    ValueType.wholeNumber(1, 64))
            .env("DELETE_CONCURRENCY").flag("--delete-concurrency")
            .byDefaultValue(SweepSettings.DEFAULT_DELETE_CONCURRENCY)
            .template("DeleteConcurrency")
            .description("DeleteObjects requests in flight while the listing goes on; 1 sends one after another")
            .build();

    public static final Setting<Integer> LIST_CONCURRENCY = Setting.named("listConcurrency",
                    ValueType.wholeNumber(1, 64))
            .env("LIST_CONCURRENCY").flag("--list-concurrency")
            .byDefaultValue(SweepSettings.DEFAULT_LIST_CONCURRENCY)
            .template("ListConcurrency")
            .description("sub-prefixes listed and decided at once; 1 lists the prefix as one chain").build();

    public static final Setting<String> START_AFTER = Setting.named("startAfter", ValueType.text("KEY",
                    "a key of at most 1024 bytes to resume after, as a previous run's resumeAfter gives",
                    ValueType.atMostBytes(MAX_KEY_BYTES)))
            .flag("--start-after").byDefault("the start of the prefix")
            .input(FREE, SweepSettings::startAfter, SweepSettings.Builder::startAfter)
            .description("list only keys after this one: a previous run's resumeAfter").build();

    public static final Setting<String> REGION = Setting.named("region", ValueType.text("REGION",
                    "an AWS Region name such as us-east-1", Checks::regionProblem))
            .env("AWS_REGION", "AWS_DEFAULT_REGION").flag("--region").emptyIsAValue()
            .required("required (Lambda sets it; elsewhere give --region, AWS_REGION, AWS_DEFAULT_REGION or a"
                    + " profile's region)")
            .description("the Region the client starts from; a bucket elsewhere is reached through cross-Region"
                    + " access").build();

    public static final Setting<URI> ENDPOINT = Setting.named("endpoint", ValueType.text("URL",
                    "an absolute http:// or https:// URL such as http://localhost:4566, or empty for S3 itself",
                    "", Checks::endpointProblem, URI::create))
            .env("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL").flag("--endpoint-url").byDefault("AWS")
            .description("another S3-compatible server (LocalStack, MinIO), reached with path-style addressing")
            .build();

    public static final Setting<String> PROFILE = Setting.named("profile", ValueType.text("NAME",
                    "a profile name of the shared AWS config and credentials files, such as default",
                    Checks::profileProblem))
            .flag("--profile").byDefault("AWS_PROFILE, as the SDK's default credential chain reads it")
            .description("the shared config files' profile the credentials and Region come from, before any in the"
                    + " environment, as the AWS CLI's --profile").build();

    public static final Setting<Duration> ATTEMPT_TIMEOUT = Setting.named("attemptTimeout", ValueType.text(
                    "DURATION", "a duration from 100ms to 300s, such as 10s or 500ms", "",
                    Checks::attemptTimeoutProblem, Checks::attemptTimeout))
            .env("S3_ATTEMPT_TIMEOUT").flag("--s3-attempt-timeout")
            .byDefault(S3Settings.DEFAULT_ATTEMPT_TIMEOUT, "10s").template("S3AttemptTimeout")
            .description("how long one attempt of one S3 request may take before it is tried again").build();

    public static final Setting<String> SWEEP_NAME = Setting.named("sweepName", ValueType.text("NAME",
                    "1 to 1024 characters without control characters, not all spaces (a CloudWatch dimension value;"
                            + " keep it ASCII, which CloudWatch requires), or empty for <bucket>/<prefix>",
                    Checks::sweepNameProblem))
            .env("SWEEP_NAME").flag("--sweep-name").byDefault("<bucket>/<prefix>").template("SweepName")
            .description("in Lambda, the metrics' Sweep dimension and the sweep field of every log line").build();

    public static final Setting<String> METRICS_NAMESPACE = Setting.named("metricsNamespace", ValueType.text(
                    "NAMESPACE", "a CloudWatch namespace of 1 to 255 letters, digits and . - _ / # :, not starting"
                            + " with AWS/ (default " + MetricsSettings.DEFAULT_NAMESPACE + ")",
                    Checks::namespaceProblem))
            .env("POWERTOOLS_METRICS_NAMESPACE").flag("--metrics-namespace")
            .byDefaultValue(MetricsSettings.DEFAULT_NAMESPACE)
            .template("MetricsNamespace")
            .description("in Lambda, the CloudWatch namespace of the metrics (the name Powertools uses)").build();

    public static final Setting<Duration> PROGRESS_INTERVAL = Setting.named("progressInterval", ValueType.INTERVAL)
            .env("PROGRESS_INTERVAL").flag("--progress-interval").byDefault(Duration.ofMinutes(1), "1m")
            .template("ProgressInterval")
            .description("in Lambda, how often a running sweep logs a progress line (a terminal shows a live line"
                    + " instead)").build();

    public static final Setting<Duration> MAX_DURATION = Setting.named("maxDuration", ValueType.INTERVAL)
            .flag("--max-duration").byDefault("no limit (in Lambda: the function's timeout)")
            .description("stop listing after this long, report, and exit 3 with the key to resume after").build();

    public static final Setting<Integer> MAX_CHAIN_LINKS = Setting.named("maxChainLinks",
                    ValueType.wholeNumber(1, 1000))
            .env("MAX_CHAIN_LINKS").byDefaultValue(20).template("MaxChainLinks")
            .description("in Lambda, how many runs one tick may chain: a run stopped by its time budget invokes the"
                    + " function again to go on where it stopped, up to N runs in all (1: no continuation)").build();

    public static final Setting<URI> LAMBDA_ENDPOINT = Setting.named("lambdaEndpoint", ValueType.text("URL",
                    "an absolute http:// or https:// URL such as http://localhost:4566, or empty for Lambda itself",
                    "", Checks::endpointProblem, URI::create))
            .env("AWS_ENDPOINT_URL_LAMBDA").byDefault("AWS")
            .description("in Lambda, where a run invokes the next run of its chain: another Lambda endpoint"
                    + " (LocalStack, tests)").build();

    /** Every setting, in order. */
    public static final List<Setting<?>> ALL = List.of(BUCKET, ALLOW_WHOLE_BUCKET, PREFIX, RETENTION_DAYS, OLDER_THAN,
            DRY_RUN, KEEP_LATEST, GROUP_BY, KEEP_HOURLY, KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY, KEEP_YEARLY, KEEP_WITHIN,
            TIMEZONE, MAX_HELD_OBJECTS, MAX_DELETES, INCLUDE, EXCLUDE, MIN_SIZE, MAX_SIZE, RULES, NONCURRENT_DAYS,
            KEEP_NONCURRENT, BYPASS_GOVERNANCE, ABORT_INCOMPLETE_UPLOADS_AFTER, DELETE_CONCURRENCY, LIST_CONCURRENCY,
            START_AFTER, REGION, ENDPOINT, PROFILE, ATTEMPT_TIMEOUT, SWEEP_NAME, METRICS_NAMESPACE, PROGRESS_INTERVAL,
            MAX_DURATION,
            MAX_CHAIN_LINKS, LAMBDA_ENDPOINT);

    /** The settings the command line takes, as flags. */
    public static List<Setting<?>> commandLine() {
        return ALL.stream().filter(Setting::onCommandLine).toList();
    }

    /** The settings an invocation's input may override, by field name. */
    public static List<Setting<?>> inputFields() {
        return ALL.stream().filter(Setting::isInputField).toList();
    }

    /** Every environment variable read, fallbacks included. */
    public static List<String> variables() {
        return ALL.stream().flatMap(s -> Stream.concat(s.env().stream(), s.fallbackEnv().stream())).toList();
    }

    public static Optional<Setting<?>> byVariable(String name) {
        return ALL.stream().filter(s -> s.env().filter(name::equals).isPresent() || s.fallbackEnv().contains(name))
                .findFirst();
    }
}
