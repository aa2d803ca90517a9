package io.github.s3sweeper.config;

import io.github.s3sweeper.rules.Glob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The settings beyond "older than N days": each value, each kind of bad value, and their exact messages. */
class RetentionSettingsTest {

    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = SettingsParserTest.validEnv();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private static SweepSettings parse(String... pairs) {
        return SettingsParser.parse(env(pairs)).sweep();
    }

    private static String problemFor(String... pairs) {
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> SettingsParser.parse(env(pairs)));
        assertThat(e.problems()).hasSize(1);
        return e.problems().get(0);
    }

    @ParameterizedTest(name = "OLDER_THAN={0}")
    @CsvSource({
            "90m, PT1H30M", "36h, PT36H", "7d, PT168H", "PT36H, PT36H", "P7D, PT168H", "P1DT12H, PT36H",
            "pt1m, PT1M", "36500d, PT876000H", "0000000007d, PT168H",
    })
    void readsDurationsInIsoAndShortForm(String value, String iso) {
        // "0000000007d" too: leading zeros write the same number, as for RETENTION_DAYS.
        assertThat(parse("RETENTION_DAYS", "", "OLDER_THAN", value).age().duration()).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest(name = "OLDER_THAN={0}")
    @CsvSource(delimiter = '|', value = {
            "36|not a duration",
            "36 h|not a duration",
            "1w|not a duration",
            "-5d|not a duration",
            "P1M|not an ISO-8601 duration of days, hours, minutes (months and years vary in length)",
            "P1Y|not an ISO-8601 duration of days, hours, minutes (months and years vary in length)",
            "PT59S|shorter than 1 minute",
            "0m|shorter than 1 minute",
            "PT-5H|shorter than 1 minute",
            "36501d|longer than 36500 days",
            "9999999999d|longer than 36500 days",
            "99999999999999999999m|longer than 36500 days",
            "PT99999999999999999999H|longer than 36500 days",
            "P99999999999999999999D|longer than 36500 days",
            "PT-99999999999999999999M|shorter than 1 minute",
            "'  '|blank",
    })
    void rejectsBadDurations(String value, String problem) {
        assertThat(problemFor("RETENTION_DAYS", "", "OLDER_THAN", value)).isEqualTo("OLDER_THAN=\"" + value + "\": "
                + problem + "; allowed: a duration from 1 minute to 36500 days: ISO-8601 such as PT36H, P7D or"
                + " P1DT12H, or short such as 90m, 36h or 7d");
    }

    @Test
    void defaultsLeaveEveryNewRuleOff() {
        SweepSettings settings = parse();

        assertThat(settings.keepLatest()).isZero();
        assertThat(settings.maxDeletes()).isEmpty();
        assertThat(settings.includes()).isEmpty();
        assertThat(settings.exclude()).isEmpty();
        assertThat(settings.minSize()).isZero();
        assertThat(settings.maxSize()).isEqualTo(Long.MAX_VALUE);
        assertThat(settings.noncurrentDays()).isEmpty();
        assertThat(settings.bypassGovernance()).isFalse();
        assertThat(settings.deleteConcurrency()).isEqualTo(16);
        assertThat(settings.listConcurrency()).isEqualTo(16);
    }

    @Test
    void readsListConcurrency() {
        assertThat(parse("LIST_CONCURRENCY", "1").listConcurrency()).isEqualTo(1);
        assertThat(parse("LIST_CONCURRENCY", "64").listConcurrency()).isEqualTo(64);
    }

    @Test
    void emptyValuesOfOptionalSettingsMeanNotSet() {
        SweepSettings settings = parse("KEEP_LATEST", "", "MAX_DELETES", "", "INCLUDE", "", "EXCLUDE", "",
                "MIN_SIZE", "", "MAX_SIZE", "", "NONCURRENT_DAYS", "", "KEEP_NONCURRENT", "", "BYPASS_GOVERNANCE", "");

        assertThat(settings).isEqualTo(parse());
    }

    @Test
    void readsEveryRule() {
        SweepSettings settings = parse("KEEP_LATEST", "3", "MAX_DELETES", "500", "INCLUDE", "**/*.gz,*.zip",
                "EXCLUDE", "keep/**", "MIN_SIZE", "1KiB", "MAX_SIZE", "10MB", "NONCURRENT_DAYS", "7",
                "KEEP_NONCURRENT", "2", "BYPASS_GOVERNANCE", "true");

        assertThat(settings.keepLatest()).isEqualTo(3);
        assertThat(settings.maxDeletes()).isEqualTo(OptionalLong.of(500));
        assertThat(settings.includes().get(0)).extracting(Glob::toString).containsExactly("**/*.gz", "*.zip");
        assertThat(settings.exclude()).extracting(Glob::toString).containsExactly("keep/**");
        assertThat(settings.minSize()).isEqualTo(1024);
        assertThat(settings.maxSize()).isEqualTo(10_000_000);
        assertThat(settings.noncurrentDays()).isEqualTo(OptionalInt.of(7));
        assertThat(settings.keepNoncurrent()).isEqualTo(2);
        assertThat(settings.bypassGovernance()).isTrue();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0, 0", "500, 500", "500B, 500", "10KB, 10000", "10kb, 10000", "10KiB, 10240", "1MB, 1000000",
            "1MiB, 1048576", "1GB, 1000000000", "1GiB, 1073741824", "2TB, 2000000000000", "1TiB, 1099511627776",
            "'10 MB', 10000000",
    })
    void readsSizesWithDecimalAndBinaryUnits(String value, long bytes) {
        assertThat(parse("MIN_SIZE", value).minSize()).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "MAX_SIZE={0}")
    @CsvSource(delimiter = '|', value = {
            "10XB|not a size", "1.5MB|not a size", "-1|not a size", "MB|not a size",
            "9999999999999999999TB|too large", "99999999999999999999|too large", "'  '|blank",
    })
    void rejectsBadSizes(String value, String problem) {
        assertThat(problemFor("MAX_SIZE", value)).isEqualTo("MAX_SIZE=\"" + value + "\": " + problem + "; allowed: a"
                + " size in bytes, or with a unit: KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of"
                + " 1024), such as 10MB or 1GiB");
    }

    @Test
    void rejectsMinSizeAboveMaxSize() {
        assertThat(problemFor("MIN_SIZE", "10MB", "MAX_SIZE", "1MB")).isEqualTo("MIN_SIZE=\"10MB\": larger than"
                + " MAX_SIZE=\"1MB\"; allowed: a MIN_SIZE no larger than MAX_SIZE");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "KEEP_LATEST|-1|must be at least 0|a whole number from 0 to 100000",
            "KEEP_LATEST|100001|must be at most 100000|a whole number from 0 to 100000",
            "KEEP_LATEST|two|not a whole number|a whole number from 0 to 100000",
            "MAX_DELETES|0|must be at least 1|a whole number from 1 to 1000000000, or empty for no cap",
            "MAX_DELETES|1e6|not a whole number|a whole number from 1 to 1000000000, or empty for no cap",
            "NONCURRENT_DAYS|0|must be at least 1|a whole number of days from 1 to 36500, or empty to leave"
                    + " noncurrent versions alone",
            "BYPASS_GOVERNANCE|yes|not a boolean|true or false",
            "DELETE_CONCURRENCY|0|must be at least 1|a whole number from 1 to 64",
            "DELETE_CONCURRENCY|65|must be at most 64|a whole number from 1 to 64",
            "LIST_CONCURRENCY|0|must be at least 1|a whole number from 1 to 64",
            "LIST_CONCURRENCY|65|must be at most 64|a whole number from 1 to 64",
    })
    void rejectsBadNumbersAndBooleans(String name, String value, String problem, String allowed) {
        assertThat(problemFor(name, value)).isEqualTo(name + "=\"" + value + "\": " + problem + "; allowed: " + allowed);
    }

    @Test
    void rejectsKeepNoncurrentAboveLifecyclesLimit() {
        assertThat(problemFor("NONCURRENT_DAYS", "7", "KEEP_NONCURRENT", "101"))
                .isEqualTo("KEEP_NONCURRENT=\"101\": must be at most 100; allowed: a whole number from 0 to 100");
    }

    @Test
    void rejectsKeepNoncurrentWithoutNoncurrentDays() {
        assertThat(problemFor("KEEP_NONCURRENT", "3")).isEqualTo("KEEP_NONCURRENT=\"3\": applies only to noncurrent"
                + " versions, and NONCURRENT_DAYS is not set; allowed: 0 or empty, or set NONCURRENT_DAYS too");
    }

    @Test
    void rejectsBadGlobsNamingThePattern() {
        assertThat(problemFor("INCLUDE", "*.log,{a,b")).isEqualTo("INCLUDE=\"*.log,{a,b\": pattern \"{a,b\" has a"
                + " '{' without its '}'; allowed: comma-separated glob patterns matched against the key relative to the"
                + " prefix: * and ? within one / segment, ** across segments, {a,b} alternatives");
        assertThat(problemFor("EXCLUDE", "a,,b")).startsWith("EXCLUDE=\"a,,b\": an empty pattern in the list;");
        // Glob names the pattern as it is; the message shows it as values are shown, escaped.
        assertThat(problemFor("INCLUDE", "ok,x\n{b")).startsWith("INCLUDE=\"ok,x\\n{b\": pattern \"x\\n{b\" has a '{'"
                + " without its '}'; allowed:");
    }

    @Test
    void rejectsBypassGovernanceWithoutNoncurrentDays() {
        assertThat(problemFor("BYPASS_GOVERNANCE", "true")).isEqualTo("BYPASS_GOVERNANCE=\"true\": applies only to"
                + " deleting versions, and NONCURRENT_DAYS is not set; allowed: false or empty, or set NONCURRENT_DAYS too");
    }
}
