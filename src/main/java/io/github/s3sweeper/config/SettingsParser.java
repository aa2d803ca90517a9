package io.github.s3sweeper.config;

import io.github.s3sweeper.rules.Period;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static io.github.s3sweeper.config.Catalog.ALLOW_WHOLE_BUCKET;
import static io.github.s3sweeper.config.Catalog.MAX_SIZE;
import static io.github.s3sweeper.config.Catalog.MIN_SIZE;
import static io.github.s3sweeper.config.Catalog.NONCURRENT_DAYS;
import static io.github.s3sweeper.config.Catalog.OLDER_THAN;
import static io.github.s3sweeper.config.Catalog.PREFIX;
import static io.github.s3sweeper.config.Catalog.RETENTION_DAYS;

/**
 * Reads every setting of {@link Catalog} from one source (the environment in Lambda; flags over the environment on
 * the command line) and validates all of them before anything touches S3. Every problem is collected so that one
 * failed run names them all. Optional settings set to the empty string count as not set (the template passes every
 * parameter, empty or not), except where the declaration says the empty string means something.
 */
public final class SettingsParser {

    private SettingsParser() {
    }

    /** A setting's text as a source has it: how messages name it, and its value (null: not set). */
    public record Raw(String label, String value) {
    }

    /** Where settings come from. */
    @FunctionalInterface
    public interface Source {
        Raw get(Setting<?> setting);
    }

    /**
     * The environment: each setting's variable, else its fallbacks in order (a variable set to the empty string still
     * counts as set, so the template's empty AWS_ENDPOINT_URL_S3 means S3 itself, as in the SDK's own resolution).
     * Settings without a variable are never set here.
     */
    public static Source environment(Map<String, String> env) {
        return setting -> {
            if (setting.env().isEmpty()) {
                return new Raw(setting.label(), null);
            }
            String variable = setting.env().get();
            if (env.get(variable) == null) {
                for (String fallback : setting.fallbackEnv()) {
                    if (env.get(fallback) != null) {
                        return new Raw(fallback, env.get(fallback));
                    }
                }
            }
            return new Raw(variable, env.get(variable));
        };
    }

    /** Parses every setting or throws one {@link InvalidSettingsException} naming all the bad ones. */
    public static Settings parse(Map<String, String> env) {
        return parse(environment(env));
    }

    public static Settings parse(Source source) {
        List<String> problems = new ArrayList<>();
        Values values = read(source, problems);
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return assemble(values);
    }

    /** Every setting's value, its default when not set; the problems of those that could not be read. */
    static Values read(Source source, List<String> problems) {
        ValueReader read = new ValueReader(problems);
        Values values = new Values();
        Raw days = source.get(RETENTION_DAYS);
        Raw olderThan = source.get(OLDER_THAN);
        boolean oneAge = isSet(RETENTION_DAYS, days) != isSet(OLDER_THAN, olderThan);
        for (Setting<?> setting : Catalog.ALL) {
            if (setting == RETENTION_DAYS && !oneAge) {
                problems.add(days.label() + ValueReader.shown(days.value()) + " and " + olderThan.label()
                        + ValueReader.shown(olderThan.value()) + ": " + (isSet(RETENTION_DAYS, days) ? "both are set"
                        : "neither is set") + "; allowed: " + Catalog.AGE_ALLOWED);
            }
            if ((setting == RETENTION_DAYS || setting == OLDER_THAN) && !oneAge) {
                continue;
            }
            Raw raw = source.get(setting);
            if (!isSet(setting, raw)) {
                if (setting.required()) {
                    read.problem(raw.label(), ValueReader.shown(raw.value()), setting.requiredProblem(),
                            setting.type().allowed());
                } else if (setting.defaultValue() != null) {
                    values.put(setting, setting.defaultValue());
                }
                continue;
            }
            Object value = setting.type().fromText(read, raw.label(), raw.value());
            if (value != null) {
                values.put(setting, value);
            } else {
                values.failed(setting);
            }
        }
        checkTogether(source, values, read);
        List<Object> rules = values.get(Catalog.RULES);
        if (rules != null) {
            List<Rules.Parsed> parsed = Rules.read(source.get(Catalog.RULES).label(), rules, values, read, problems);
            values.put(Catalog.RULES, parsed);
        }
        return values;
    }

    /** The rules between settings, for those that could be read. */
    private static void checkTogether(Source source, Values values, ValueReader read) {
        Raw prefix = source.get(PREFIX);
        if ("".equals(values.get(PREFIX)) && !Boolean.TRUE.equals(values.get(ALLOW_WHOLE_BUCKET))
                && !values.hasFailed(ALLOW_WHOLE_BUCKET)) {
            read.problem(prefix.label(), ValueReader.shown(prefix.value()), "empty, which would sweep the whole"
                    + " bucket, and " + ALLOW_WHOLE_BUCKET.label() + " is not true", Catalog.PREFIX_ALLOWED);
        }
        Long min = values.get(MIN_SIZE);
        Long max = values.get(MAX_SIZE);
        if (min != null && max != null && min > max) {
            Raw minRaw = source.get(MIN_SIZE);
            Raw maxRaw = source.get(MAX_SIZE);
            read.problem(minRaw.label(), ValueReader.shown(minRaw.value()), "larger than " + maxRaw.label()
                    + ValueReader.shown(maxRaw.value()), "a " + minRaw.label() + " no larger than " + maxRaw.label());
        }
        boolean versions = isSet(NONCURRENT_DAYS, source.get(NONCURRENT_DAYS));
        Integer keepNoncurrent = values.get(Catalog.KEEP_NONCURRENT);
        if (keepNoncurrent != null && keepNoncurrent > 0 && !versions) {
            Raw raw = source.get(Catalog.KEEP_NONCURRENT);
            read.problem(raw.label(), ValueReader.shown(raw.value()), "applies only to noncurrent versions, and "
                    + NONCURRENT_DAYS.label() + " is not set", "0 or empty, or set " + NONCURRENT_DAYS.label()
                    + " too");
        }
        if (Boolean.TRUE.equals(values.get(Catalog.BYPASS_GOVERNANCE)) && !versions) {
            Raw raw = source.get(Catalog.BYPASS_GOVERNANCE);
            read.problem(raw.label(), ValueReader.shown(raw.value()), "applies only to deleting versions, and "
                    + NONCURRENT_DAYS.label() + " is not set", "false or empty, or set " + NONCURRENT_DAYS.label()
                    + " too");
        }
    }

    private static boolean isSet(Setting<?> setting, Raw raw) {
        return raw.value() != null && !(raw.value().isEmpty() && setting.emptyIsUnset());
    }

    /** The settings of a run from values that were all read. */
    static Settings assemble(Values v) {
        Integer days = v.get(RETENTION_DAYS);
        Age age = days != null ? Age.ofDays(days) : Age.of(v.get(OLDER_THAN));
        Integer maxDeletes = v.get(Catalog.MAX_DELETES);
        Integer noncurrentDays = v.get(NONCURRENT_DAYS);
        SweepSettings sweep = SweepSettings.builder(v.get(Catalog.BUCKET), v.get(PREFIX), age)
                .dryRun(v.get(Catalog.DRY_RUN))
                .keepLatest(v.get(Catalog.KEEP_LATEST))
                .maxDeletes(maxDeletes == null ? OptionalLong.empty() : OptionalLong.of(maxDeletes))
                .include(v.getOrDefault(Catalog.INCLUDE, List.of()))
                .exclude(v.getOrDefault(Catalog.EXCLUDE, List.of()))
                .minSize(v.get(MIN_SIZE))
                .maxSize(v.get(MAX_SIZE))
                .noncurrentDays(noncurrentDays == null ? OptionalInt.empty() : OptionalInt.of(noncurrentDays))
                .keepNoncurrent(v.get(Catalog.KEEP_NONCURRENT))
                .bypassGovernance(v.get(Catalog.BYPASS_GOVERNANCE))
                .deleteConcurrency(v.get(Catalog.DELETE_CONCURRENCY))
                .listConcurrency(v.get(Catalog.LIST_CONCURRENCY))
                .startAfter(v.get(Catalog.START_AFTER))
                .groupBy(v.get(Catalog.GROUP_BY))
                .keep(Period.HOURLY, v.get(Catalog.KEEP_HOURLY))
                .keep(Period.DAILY, v.get(Catalog.KEEP_DAILY))
                .keep(Period.WEEKLY, v.get(Catalog.KEEP_WEEKLY))
                .keep(Period.MONTHLY, v.get(Catalog.KEEP_MONTHLY))
                .keep(Period.YEARLY, v.get(Catalog.KEEP_YEARLY))
                .keepWithin(v.get(Catalog.KEEP_WITHIN))
                .timezone(v.get(Catalog.TIMEZONE))
                .maxHeldObjects(v.get(Catalog.MAX_HELD_OBJECTS))
                .abortUploadsAfter(Optional.ofNullable(v.get(Catalog.ABORT_INCOMPLETE_UPLOADS_AFTER)))
                .build();
        URI endpoint = v.get(Catalog.ENDPOINT);
        Duration attemptTimeout = v.get(Catalog.ATTEMPT_TIMEOUT);
        S3Settings s3 = new S3Settings(v.get(Catalog.REGION), Optional.ofNullable(endpoint), attemptTimeout,
                Optional.ofNullable(v.get(Catalog.PROFILE)));
        MetricsSettings metrics = new MetricsSettings(v.get(Catalog.METRICS_NAMESPACE),
                Optional.ofNullable(v.get(Catalog.SWEEP_NAME)));
        @SuppressWarnings("unchecked")
        List<Rules.Parsed> rules = (List<Rules.Parsed>) (Object) v.get(Catalog.RULES);
        return new Settings(sweep, s3, metrics, v.get(Catalog.PROGRESS_INTERVAL),
                Optional.ofNullable(v.get(Catalog.MAX_DURATION)), new ChainSettings(v.get(Catalog.MAX_CHAIN_LINKS),
                Optional.ofNullable(v.get(Catalog.LAMBDA_ENDPOINT))),
                rules == null ? List.of() : Rules.assemble(rules, sweep));
    }
}
