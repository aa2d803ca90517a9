package io.github.s3sweeper.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsParserTest {

    private static final String BUCKET_ALLOWED = "allowed: a valid S3 bucket name: 3 to 63 characters of lowercase"
            + " letters, digits, dots and hyphens, starting and ending with a letter or digit";
    private static final String DAYS_ALLOWED = "allowed: a whole number of days from 1 to 36500";

    static Map<String, String> validEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("BUCKET_NAME", "my-backups");
        env.put("PREFIX", "logs/");
        env.put("RETENTION_DAYS", "30");
        env.put("AWS_REGION", "eu-west-1");
        return env;
    }

    private static Map<String, String> with(String name, String value) {
        Map<String, String> env = validEnv();
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return env;
    }

    private static String problemFor(Map<String, String> env) {
        InvalidSettingsException e = org.junit.jupiter.api.Assertions.assertThrows(
                InvalidSettingsException.class, () -> SettingsParser.parse(env));
        assertThat(e.problems()).hasSize(1);
        return e.problems().get(0);
    }

    @Test
    void parsesValidSettingsWithDefaults() {
        Settings settings = SettingsParser.parse(validEnv());

        assertThat(settings.sweep()).isEqualTo(SweepSettings.of("my-backups", "logs/", 30, false));
        assertThat(settings.s3()).isEqualTo(new S3Settings("eu-west-1", Optional.empty(), S3Settings.DEFAULT_ATTEMPT_TIMEOUT));
    }

    @Test
    void readsDryRunAndAllowWholeBucketCaseInsensitively() {
        Map<String, String> env = with("DRY_RUN", "TRUE");
        env.put("ALLOW_WHOLE_BUCKET", "True");
        env.put("PREFIX", "");

        Settings settings = SettingsParser.parse(env);

        assertThat(settings.sweep().dryRun()).isTrue();
        assertThat(settings.sweep().prefix()).isEmpty();
    }

    @Test
    void acceptsRetentionDaysAtBothBounds() {
        assertThat(SettingsParser.parse(with("RETENTION_DAYS", "1")).sweep().age().days()).isEqualTo(1);
        assertThat(SettingsParser.parse(with("RETENTION_DAYS", "36500")).sweep().age().days()).isEqualTo(36500);
    }

    @ParameterizedTest(name = "RETENTION_DAYS={0}")
    @CsvSource(delimiter = '|', value = {
            "'   '|RETENTION_DAYS=\"   \": blank",
            "-5|RETENTION_DAYS=\"-5\": must be at least 1",
            "0|RETENTION_DAYS=\"0\": must be at least 1",
            "000|RETENTION_DAYS=\"000\": must be at least 1",
            "36501|RETENTION_DAYS=\"36501\": must be at most 36500",
            "99999999999999999999|RETENTION_DAYS=\"99999999999999999999\": must be at most 36500",
            "abc|RETENTION_DAYS=\"abc\": not a whole number",
            "1.5|RETENTION_DAYS=\"1.5\": not a whole number",
            "' 30'|RETENTION_DAYS=\" 30\": not a whole number",
            "30d|RETENTION_DAYS=\"30d\": not a whole number",
    })
    void rejectsBadRetentionDaysWithExactMessage(String value, String expected) {
        assertThat(problemFor(with("RETENTION_DAYS", value))).isEqualTo(expected + "; " + DAYS_ALLOWED);
    }

    @Test
    void readsLeadingZerosAsTheNumberTheyWrite() {
        assertThat(SettingsParser.parse(with("RETENTION_DAYS", "0000030")).sweep().age().days()).isEqualTo(30);
    }

    private static final String AGE_ALLOWED = "allowed: exactly one of RETENTION_DAYS (a whole number of days from 1"
            + " to 36500) or OLDER_THAN (a duration from 1 minute to 36500 days: ISO-8601 such as PT36H, P7D or"
            + " P1DT12H, or short such as 90m, 36h or 7d)";

    @Test
    void rejectsNeitherRetentionDaysNorOlderThan() {
        assertThat(problemFor(with("RETENTION_DAYS", null)))
                .isEqualTo("RETENTION_DAYS (not set) and OLDER_THAN (not set): neither is set; " + AGE_ALLOWED);
    }

    @Test
    void treatsEmptyRetentionDaysAsNotSet() {
        assertThat(problemFor(with("RETENTION_DAYS", "")))
                .isEqualTo("RETENTION_DAYS=\"\" and OLDER_THAN (not set): neither is set; " + AGE_ALLOWED);
    }

    @Test
    void rejectsBothRetentionDaysAndOlderThan() {
        assertThat(problemFor(with("OLDER_THAN", "36h")))
                .isEqualTo("RETENTION_DAYS=\"30\" and OLDER_THAN=\"36h\": both are set; " + AGE_ALLOWED);
    }

    @ParameterizedTest(name = "BUCKET_NAME={0}")
    @CsvSource(delimiter = '|', value = {
            "''|empty",
            "'  '|blank",
            "ab|length 2 is outside 3 to 63",
            "a123456789012345678901234567890123456789012345678901234567890123|length 64 is outside 3 to 63",
            "My-Bucket|has characters other than lowercase letters, digits, dots and hyphens, or does not start and end with a letter or digit",
            "my_bucket|has characters other than lowercase letters, digits, dots and hyphens, or does not start and end with a letter or digit",
            "-bucket|has characters other than lowercase letters, digits, dots and hyphens, or does not start and end with a letter or digit",
            "bucket-|has characters other than lowercase letters, digits, dots and hyphens, or does not start and end with a letter or digit",
            "my..bucket|has two adjacent dots",
            "192.168.5.4|is formatted as an IP address",
            "xn--bucket|starts with the reserved prefix xn--",
            "sthree-bucket|starts with the reserved prefix sthree-",
            "bucket-s3alias|ends with the reserved suffix -s3alias",
            "bucket--ol-s3|ends with the reserved suffix --ol-s3",
    })
    void rejectsInvalidBucketNamesWithExactMessage(String value, String problem) {
        assertThat(problemFor(with("BUCKET_NAME", value)))
                .isEqualTo("BUCKET_NAME=\"" + value + "\": " + problem + "; " + BUCKET_ALLOWED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "my.backups.2024", "a-b-c", "123"})
    void acceptsValidBucketNames(String bucket) {
        assertThat(SettingsParser.parse(with("BUCKET_NAME", bucket)).sweep().bucket()).isEqualTo(bucket);
    }

    @Test
    void rejectsMissingBucket() {
        assertThat(problemFor(with("BUCKET_NAME", null))).isEqualTo("BUCKET_NAME (not set): required; " + BUCKET_ALLOWED);
    }

    @Test
    void rejectsMissingPrefixEvenWhenWholeBucketIsAllowed() {
        Map<String, String> env = with("PREFIX", null);
        env.put("ALLOW_WHOLE_BUCKET", "true");

        assertThat(problemFor(env)).startsWith("PREFIX (not set): required; allowed: a key prefix");
    }

    @Test
    void rejectsEmptyPrefixWithoutAllowWholeBucket() {
        assertThat(problemFor(with("PREFIX", ""))).isEqualTo("PREFIX=\"\": empty, which would sweep the whole bucket,"
                + " and ALLOW_WHOLE_BUCKET is not true; allowed: a key prefix of at most 1024 bytes, such as logs/"
                + " (the empty prefix, meaning the whole bucket, only with ALLOW_WHOLE_BUCKET=true)");
    }

    @Test
    void rejectsEmptyPrefixWhenAllowWholeBucketIsFalse() {
        Map<String, String> env = with("PREFIX", "");
        env.put("ALLOW_WHOLE_BUCKET", "false");

        assertThat(problemFor(env)).startsWith("PREFIX=\"\": empty, which would sweep the whole bucket");
    }

    @Test
    void rejectsBlankPrefix() {
        assertThat(problemFor(with("PREFIX", "  "))).startsWith("PREFIX=\"  \": blank; allowed:");
    }

    @Test
    void rejectsPrefixLongerThanAKey() {
        String prefix = "é".repeat(513); // 1026 bytes in UTF-8, though only 513 characters
        assertThat(problemFor(with("PREFIX", prefix))).contains(": longer than 1024 bytes; allowed:");
    }

    @Test
    void rejectsPrefixMangledByANonUtf8Locale() {
        assertThat(problemFor(with("PREFIX", "\uFFFD\uFFFD/"))).contains("contains U+FFFD, the replacement character");
    }

    @Test
    void keepsPrefixExactlyAsGiven() {
        assertThat(SettingsParser.parse(with("PREFIX", "logs")).sweep().prefix()).isEqualTo("logs");
        assertThat(SettingsParser.parse(with("PREFIX", "/a b+c")).sweep().prefix()).isEqualTo("/a b+c");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "DRY_RUN|yes|not a boolean",
            "DRY_RUN|1|not a boolean",
            "DRY_RUN|''|empty",
            "DRY_RUN|' '|blank",
            "ALLOW_WHOLE_BUCKET|ture|not a boolean",
            "ALLOW_WHOLE_BUCKET|''|empty",
    })
    void rejectsBadBooleans(String name, String value, String problem) {
        assertThat(problemFor(with(name, value)))
                .isEqualTo(name + "=\"" + value + "\": " + problem + "; allowed: true or false");
    }

    @Test
    void rejectsMissingRegion() {
        assertThat(problemFor(with("AWS_REGION", null))).isEqualTo("AWS_REGION (not set): required (Lambda sets it;"
                + " elsewhere give --region, AWS_REGION, AWS_DEFAULT_REGION or a profile's region); allowed: an AWS"
                + " Region name such as us-east-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"EU West", "us", "a", "us-east", "useast1"})
    void rejectsMalformedRegion(String region) {
        assertThat(problemFor(with("AWS_REGION", region))).startsWith("AWS_REGION=\"" + region + "\": not a Region name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"us-east-1", "eu-central-2", "us-gov-west-1", "cn-northwest-1", "ap-southeast-5"})
    void acceptsRegionNames(String region) {
        assertThat(SettingsParser.parse(with("AWS_REGION", region)).s3().region()).isEqualTo(region);
    }

    @Test
    void readsServiceSpecificEndpointBeforeGlobalOne() {
        Map<String, String> env = with("AWS_ENDPOINT_URL", "http://global:1");
        env.put("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000");

        assertThat(SettingsParser.parse(env).s3().endpoint()).contains(URI.create("http://127.0.0.1:9000"));
    }

    @Test
    void readsGlobalEndpoint() {
        assertThat(SettingsParser.parse(with("AWS_ENDPOINT_URL", "https://minio.local")).s3().endpoint())
                .contains(URI.create("https://minio.local"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:4566", "ftp://host", "not a url", " "})
    void rejectsUnusableEndpoint(String value) {
        assertThat(problemFor(with("AWS_ENDPOINT_URL_S3", value))).isEqualTo("AWS_ENDPOINT_URL_S3=\"" + value
                + "\": not a usable endpoint URL; allowed: an absolute http:// or https:// URL such as"
                + " http://localhost:4566, or empty for S3 itself");
    }

    @ParameterizedTest(name = "S3_ATTEMPT_TIMEOUT={0} -> {1} ms")
    @org.junit.jupiter.params.provider.CsvSource({"10s, 10000", "100ms, 100", "300s, 300000", "2500ms, 2500"})
    void readsTheAttemptTimeout(String value, long millis) {
        assertThat(SettingsParser.parse(with("S3_ATTEMPT_TIMEOUT", value)).s3().attemptTimeout())
                .isEqualTo(java.time.Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"99ms", "301s", "10", "10 s", "1m", "-5s"})
    void rejectsAnAttemptTimeoutOutsideItsBounds(String value) {
        assertThat(problemFor(with("S3_ATTEMPT_TIMEOUT", value))).startsWith("S3_ATTEMPT_TIMEOUT=\"" + value + "\": ")
                .endsWith("; allowed: a duration from 100ms to 300s, such as 10s or 500ms");
    }

    @Test
    void anEmptyEndpointIsS3Itself() {
        // The template declares the variable empty, so that sam local invoke --env-vars can set it.
        assertThat(SettingsParser.parse(with("AWS_ENDPOINT_URL_S3", "")).s3().endpoint()).isEmpty();
    }

    @Test
    void metricsGoToTheDefaultNamespaceUnderTheBucketAndPrefixUnlessNamed() {
        MetricsSettings metrics = SettingsParser.parse(with("SWEEP_NAME", "")).metrics();
        assertThat(metrics.namespace()).isEqualTo("S3Sweeper");
        assertThat(metrics.sweep("b", "logs/")).isEqualTo("b/logs/");
        assertThat(SettingsParser.parse(with("SWEEP_NAME", "nightly")).metrics().sweep("b", "logs/"))
                .isEqualTo("nightly");
    }

    @ParameterizedTest
    @ValueSource(strings = {"AWS/Lambda", "has space", "ünï"})
    void rejectsANamespaceCloudWatchRefuses(String value) {
        assertThat(problemFor(with("POWERTOOLS_METRICS_NAMESPACE", value))).startsWith("POWERTOOLS_METRICS_NAMESPACE=\""
                + value + "\": not a namespace CloudWatch accepts for custom metrics; allowed: a CloudWatch namespace");
    }

    @Test
    void rejectsASweepNameCloudWatchCannotTakeAsADimensionValue() {
        assertThat(problemFor(with("SWEEP_NAME", "a\nb"))).contains("has a control character");
        assertThat(problemFor(with("SWEEP_NAME", "x".repeat(1025)))).contains("longer than 1024 characters");
    }

    @Test
    void aSweepNameDerivedFromANonAsciiPrefixDoesNotFailTheRun() {
        assertThat(SettingsParser.parse(with("SWEEP_NAME", "b/säubern/")).metrics().sweep("b", "p"))
                .isEqualTo("b/säubern/");
    }

    @Test
    void showsAValueEscapedSoItCannotBreakTheLineOrForgeAnother() {
        // A newline, an ANSI escape, a NUL, a right-to-left override and a no-break space, each as a JSON escape; the
        // quote and the backslash escaped too, so the shown value reads back unambiguously.
        assertThat(problemFor(with("DRY_RUN", "tr\"ue\\\n\u001b[31mERROR forged\u0000\u202e\u00a0")))
                .isEqualTo("DRY_RUN=\"tr\\\"ue\\\\\\n\\u001b[31mERROR forged\\u0000\\u202e\\u00a0\": not a boolean;"
                        + " allowed: true or false");
        assertThat(problemFor(with("BUCKET_NAME", "bücket-日本-🙂"))).as("printable characters stay as they are")
                .startsWith("BUCKET_NAME=\"bücket-日本-🙂\": has characters other than");
    }

    @Test
    void showsTheFirstHundredCharactersOfALongValueAndItsLength() {
        assertThat(problemFor(with("BUCKET_NAME", "b".repeat(10_000)))).isEqualTo("BUCKET_NAME=\"" + "b".repeat(100)
                + "\"... (10000 characters): length 10000 is outside 3 to 63; " + BUCKET_ALLOWED);
    }

    @Test
    void namesBothSizesSafelyWhenTheMinimumIsAboveTheMaximum() {
        Map<String, String> env = with("MIN_SIZE", "10MB");
        env.put("MAX_SIZE", "1MB");
        assertThat(problemFor(env)).isEqualTo("MIN_SIZE=\"10MB\": larger than MAX_SIZE=\"1MB\"; allowed: a MIN_SIZE no"
                + " larger than MAX_SIZE");
    }

    @Test
    void rejectsABlankSweepNameCloudWatchWouldRefuseAsADimensionValue() {
        assertThat(problemFor(with("SWEEP_NAME", "   "))).isEqualTo("SWEEP_NAME=\"   \": blank; allowed: 1 to 1024"
                + " characters without control characters, not all spaces (a CloudWatch dimension value; keep it"
                + " ASCII, which CloudWatch requires), or empty for <bucket>/<prefix>");
    }

    @Test
    void namesEveryBadVariableInOneMessage() {
        Map<String, String> env = new HashMap<>();
        env.put("BUCKET_NAME", "Bad_Bucket");
        env.put("RETENTION_DAYS", "0");
        env.put("DRY_RUN", "maybe");

        assertThatThrownBy(() -> SettingsParser.parse(env))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageStartingWith("Invalid settings, nothing was listed or deleted: BUCKET_NAME=\"Bad_Bucket\":")
                .hasMessageContaining("PREFIX (not set): required")
                .hasMessageContaining("RETENTION_DAYS=\"0\": must be at least 1")
                .hasMessageContaining("DRY_RUN=\"maybe\": not a boolean")
                .hasMessageContaining("AWS_REGION (not set): required");
        assertThat(((InvalidSettingsException) org.assertj.core.api.Assertions.catchThrowable(
                () -> SettingsParser.parse(env))).problems()).hasSize(5);
    }
}
