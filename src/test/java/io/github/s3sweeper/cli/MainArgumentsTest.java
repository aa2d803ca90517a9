package io.github.s3sweeper.cli;

import io.github.s3sweeper.config.Catalog;
import io.github.s3sweeper.config.Setting;
import io.github.s3sweeper.report.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Argument and settings errors: each exits 2 before any client exists, so no request can be made. */
class MainArgumentsTest {

    /** Settings that parse, with an endpoint nothing listens on: the checks below come before any request. */
    private static final Map<String, String> VALID = Map.of("BUCKET_NAME", "my-backups", "PREFIX", "logs/",
            "RETENTION_DAYS", "30", "AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void versionPrintsTheBuildsVersionAndExitsZero() {
        assertThat(run(Map.of(), "--version")).isEqualTo(Main.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("s3-sweeper " + Version.current()
                + System.lineSeparator()).matches("s3-sweeper \\d+\\.\\d+\\.\\d+\\R");
    }

    @Test
    void anUnknownFlagExitsTwoWithTheNearestFlags() {
        assertThat(run(Map.of(), "--dryrun")).isEqualTo(Main.BAD_SETTINGS);
        assertThat(stderr()).contains("Unknown option: '--dryrun'").contains("did you mean --dry-run?")
                .contains("Try 'java -jar s3-sweeper.jar --help'");
    }

    @Test
    void eventWithoutFileExitsTwo() {
        assertThat(run(Map.of(), "--event")).isEqualTo(Main.BAD_SETTINGS);
        assertThat(stderr()).contains("Missing required parameter for option '--event'");
    }

    @Test
    void unreadableEventFileExitsTwo(@TempDir Path dir) {
        Path missing = dir.resolve("missing.json");

        assertThat(run(Map.of(), "--event", missing.toString())).isEqualTo(Main.BAD_SETTINGS);
        assertThat(stderr()).contains("  --event " + missing + ": no such file" + System.lineSeparator());
    }

    @Test
    void eventFileThatIsNotAnObjectExitsTwo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("array.json"), "[1, 2]");

        assertThat(run(Map.of(), "--event", file.toString())).isEqualTo(Main.BAD_SETTINGS);
        assertThat(stderr()).contains("  --event " + file + ": line 1, column 1: expected a JSON object, found an"
                + " array" + System.lineSeparator());
    }

    @Test
    void badSettingsExitTwoWithOneProblemPerLineNamingFlagAndVariable() {
        assertThat(run(Map.of("RETENTION_DAYS", "0"))).isEqualTo(Main.BAD_SETTINGS);
        assertThat(stderr().lines()).contains(
                "s3-sweeper: invalid settings, nothing was listed or deleted:",
                "  --bucket/BUCKET_NAME (not set): required; allowed: a valid S3 bucket name: 3 to 63 characters of"
                        + " lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
                "  --prefix/PREFIX (not set): required; allowed: a key prefix of at most 1024 bytes, such as logs/ (the"
                        + " empty prefix, meaning the whole bucket, only with ALLOW_WHOLE_BUCKET=true)",
                "  --retention-days/RETENTION_DAYS=\"0\": must be at least 1; allowed: a whole number of days from 1"
                        + " to 36500");
        assertThat(stderr().lines()).allSatisfy(line -> assertThat(line.length()).isLessThan(400));
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aFlagGivenEmptyIsRefusedRatherThanDroppingItsLimit() {
        Map<String, String> env = new java.util.HashMap<>(VALID);
        env.put("MAX_DELETES", "10");

        assertThat(run(env, "--max-deletes=", "--keep-latest", "")).isEqualTo(Main.BAD_SETTINGS);
        assertThat(stderr()).contains("  --max-deletes/MAX_DELETES=\"\": empty; allowed: a whole number from 1 to"
                + " 1000000000, or empty for no cap (leave the flag out for the default)",
                "  --keep-latest/KEEP_LATEST=\"\": empty; allowed:");
    }

    @Test
    void anEmptyPrefixFlagIsTheWholeBucketAndNeedsItsOwnPermission() {
        assertThat(run(VALID, "--prefix=")).isEqualTo(Main.BAD_SETTINGS);
        assertThat(stderr()).contains("--prefix/PREFIX=\"\": empty, which would sweep the whole bucket, and"
                + " ALLOW_WHOLE_BUCKET is not true");
    }

    @Test
    void theEventFlagsHelpNamesWhatAnInputMayChangeFromTheDeclarations() {
        assertThat(run(Map.of(), "--help")).isEqualTo(Main.OK);
        String help = out.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        assertThat(help).contains("prefix (only narrowed)", "dryRun (only turned on)", "keepLatest (only raised)",
                "maxDeletes (only lowered)", "exclude (added to the configured ones)");
    }

    @Test
    void aBadOutputFormatIsRefused() {
        assertThat(run(Map.of(), "--output", "yaml")).isEqualTo(Main.BAD_SETTINGS);
        assertThat(stderr()).contains("  --output=\"yaml\": not an output format; allowed: text or json");
    }

    @Test
    void listIsOnlyForADryRun() {
        assertThat(run(VALID, "--list")).isEqualTo(Main.BAD_SETTINGS);
        assertThat(stderr()).contains("--list: lists what a dry run would delete; add --dry-run (-n)");
    }

    @Test
    void listAndJsonBothWantStdout() {
        assertThat(run(VALID, "-n", "--list", "-o", "json")).isEqualTo(Main.BAD_SETTINGS);
        assertThat(stderr()).contains("--list and --output json: both write to stdout");
    }

    @Test
    void quietAndVerboseAreRefusedTogether() {
        assertThat(run(VALID, "-q", "-v")).isEqualTo(Main.BAD_SETTINGS);
        assertThat(stderr()).contains("--quiet and --verbose: both are set");
    }

    @Test
    void helpListsEverySettingWithItsFlagAndVariable() {
        assertThat(run(Map.of(), "--help")).isEqualTo(Main.OK);
        String help = out.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        for (Setting<?> setting : Catalog.commandLine()) {
            assertThat(help).as(setting.name()).contains(setting.flag() + (setting.type().isBoolean() ? "[=" : "="));
            setting.env().ifPresent(variable -> assertThat(help).as(setting.name()).contains("[" + variable));
            setting.shortFlag().ifPresent(flag -> assertThat(help).contains(flag + ", " + setting.flag()));
        }
        assertThat(help).contains("--output=text|json", "--list", "--quiet", "--verbose", "--event=FILE",
                "--version", "Exit status: 0 done; 1 the run failed");
    }

    @Test
    void unknownInputFieldExitsTwo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("typo.json"), "{\"trigerr\": \"x\"}");

        assertThat(run(Map.of(), "--event", file.toString())).isEqualTo(Main.BAD_SETTINGS);
        assertThat(stderr()).contains("input field \"trigerr\": unknown");
    }

    @Test
    void anEventCannotSwitchOffTheDryRunFlag(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("live.json"), "{\"dryRun\": false}");
        Map<String, String> env = Map.of("BUCKET_NAME", "my-backups", "PREFIX", "logs/", "RETENTION_DAYS", "30",
                "AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9");

        assertThat(run(env, "--dry-run", "--event", file.toString())).isEqualTo(Main.BAD_SETTINGS);
        assertThat(stderr()).contains("input field \"dryRun\"=false: would switch off the configured DRY_RUN=true");
    }
}
