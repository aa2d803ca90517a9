package io.github.s3sweeper.cli;

import io.github.s3sweeper.config.Catalog;
import io.github.s3sweeper.config.Setting;
import io.github.s3sweeper.config.Settings;
import io.github.s3sweeper.config.SettingsParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the command line's settings come from: flag over variable over default, and the AWS CLI's Region order. */
class CommandLineSourceTest {

    /** A valid value of every setting that is not the default, so each flag visibly changes the run. */
    static final Map<Setting<?>, String> SAMPLES = Map.ofEntries(
            Map.entry(Catalog.BUCKET, "other-bucket"), Map.entry(Catalog.ALLOW_WHOLE_BUCKET, "true"),
            Map.entry(Catalog.PREFIX, "exports/"), Map.entry(Catalog.RETENTION_DAYS, "7"),
            Map.entry(Catalog.OLDER_THAN, "36h"), Map.entry(Catalog.DRY_RUN, "true"),
            Map.entry(Catalog.KEEP_LATEST, "4"), Map.entry(Catalog.MAX_DELETES, "100"),
            Map.entry(Catalog.GROUP_BY, "depth:1"), Map.entry(Catalog.KEEP_HOURLY, "24"),
            Map.entry(Catalog.KEEP_DAILY, "7"), Map.entry(Catalog.KEEP_WEEKLY, "4"),
            Map.entry(Catalog.KEEP_MONTHLY, "12"), Map.entry(Catalog.KEEP_YEARLY, "3"),
            Map.entry(Catalog.KEEP_WITHIN, "2d"), Map.entry(Catalog.TIMEZONE, "Europe/Paris"),
            Map.entry(Catalog.MAX_HELD_OBJECTS, "5000"),
            Map.entry(Catalog.INCLUDE, "*.gz"), Map.entry(Catalog.EXCLUDE, "keep/**"),
            Map.entry(Catalog.MIN_SIZE, "1KB"), Map.entry(Catalog.MAX_SIZE, "1GiB"),
            Map.entry(Catalog.RULES, "[{\"name\":\"db\",\"prefix\":\"logs/db/\",\"keepLatest\":3}]"),
            Map.entry(Catalog.NONCURRENT_DAYS, "9"), Map.entry(Catalog.KEEP_NONCURRENT, "2"),
            Map.entry(Catalog.BYPASS_GOVERNANCE, "true"),
            Map.entry(Catalog.ABORT_INCOMPLETE_UPLOADS_AFTER, "7d"), Map.entry(Catalog.DELETE_CONCURRENCY, "3"),
            Map.entry(Catalog.LIST_CONCURRENCY, "5"), Map.entry(Catalog.START_AFTER, "logs/m"),
            Map.entry(Catalog.REGION, "eu-central-1"), Map.entry(Catalog.ENDPOINT, "http://127.0.0.1:9000"),
            Map.entry(Catalog.PROFILE, "backup-admin"), Map.entry(Catalog.ATTEMPT_TIMEOUT, "2s"),
            Map.entry(Catalog.SWEEP_NAME, "nightly"), Map.entry(Catalog.METRICS_NAMESPACE, "Team/Storage"),
            Map.entry(Catalog.PROGRESS_INTERVAL, "5m"), Map.entry(Catalog.MAX_DURATION, "10m"));

    private static final Map<String, String> BASE = Map.of("BUCKET_NAME", "my-backups", "PREFIX", "logs/",
            "RETENTION_DAYS", "30", "AWS_REGION", "us-east-1", "HOME", "/nonexistent");

    private static Settings parse(Map<Setting<?>, String> flags, Map<String, String> env) {
        return SettingsParser.parse(new CommandLineSource(flags, env));
    }

    @Test
    void rulesFromAFileAreTheRulesItsJsonWrites(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        String json = SAMPLES.get(Catalog.RULES);
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("rules.json"), json);

        Settings fromFile = parse(Map.of(Catalog.RULES, "file:" + file), BASE);
        Map<String, String> byVariable = new HashMap<>(BASE);
        byVariable.put("RULES", "file:" + file);
        Settings fromVariableFile = parse(Map.of(), byVariable);

        assertThat(fromFile).isEqualTo(parse(Map.of(Catalog.RULES, json), BASE)).isEqualTo(fromVariableFile);
        assertThat(fromFile.rules()).singleElement().satisfies(rule -> {
            assertThat(rule.name()).isEqualTo("db");
            assertThat(rule.sweep().keepLatest()).isEqualTo(3);
        });
    }

    @Test
    void aRulesFileThatCannotBeReadIsAProblemNotNoRules(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        CommandLineSource source = new CommandLineSource(Map.of(Catalog.RULES, "file:" + dir.resolve("missing.json")),
                BASE);
        SettingsParser.parse(source);

        assertThat(source.rulesFileProblem()).hasValueSatisfying(problem -> assertThat(problem)
                .startsWith("--rules/RULES=").contains("cannot read the file").contains("NoSuchFileException"));
    }

    @Test
    void theSamplesCoverEverySetting() {
        assertThat(SAMPLES.keySet()).containsExactlyInAnyOrderElementsOf(Catalog.commandLine());
    }

    @Test
    void everyFlagSetsWhatItsVariableSets() {
        for (Setting<?> setting : Catalog.commandLine()) {
            if (setting.env().isEmpty()) {
                continue;
            }
            Map<String, String> env = new HashMap<>(BASE);
            Map<Setting<?>, String> flags = new HashMap<>(Map.of(setting, SAMPLES.get(setting)));
            together(setting, env, flags);
            Map<String, String> byVariable = new HashMap<>(env);
            flags.forEach((s, value) -> byVariable.put(s.env().orElseThrow(), value));
            if (setting == Catalog.OLDER_THAN) {
                byVariable.remove("RETENTION_DAYS");
            }

            Settings fromFlag = parse(flags, env);
            Settings fromVariable = SettingsParser.parse(byVariable);

            assertThat(fromFlag).as(setting.flag()).isEqualTo(fromVariable).isNotEqualTo(parse(Map.of(), BASE));
        }
    }

    /** What a sample needs beside it to be valid: the settings it goes with. */
    private static void together(Setting<?> setting, Map<String, String> env, Map<Setting<?>, String> flags) {
        if (setting == Catalog.OLDER_THAN) {
            env.remove("RETENTION_DAYS");
        } else if (setting == Catalog.ALLOW_WHOLE_BUCKET) {
            flags.put(Catalog.PREFIX, "");
        } else if (setting == Catalog.KEEP_NONCURRENT || setting == Catalog.BYPASS_GOVERNANCE) {
            flags.put(Catalog.NONCURRENT_DAYS, "9");
        }
    }

    @Test
    void aFlagWinsOverItsVariableWhichWinsOverTheDefault() {
        Map<String, String> env = new HashMap<>(BASE);
        env.put("KEEP_LATEST", "5");

        assertThat(parse(Map.of(), BASE).sweep().keepLatest()).isZero();
        assertThat(parse(Map.of(), env).sweep().keepLatest()).isEqualTo(5);
        assertThat(parse(Map.of(Catalog.KEEP_LATEST, "8"), env).sweep().keepLatest()).isEqualTo(8);
    }

    @Test
    void eitherAgeFlagReplacesBothAgeVariables() {
        Map<String, String> env = new HashMap<>(BASE);
        env.put("OLDER_THAN", "");

        assertThat(parse(Map.of(Catalog.OLDER_THAN, "36h"), env).sweep().age().duration())
                .isEqualTo(java.time.Duration.ofHours(36));
        env.put("RETENTION_DAYS", "");
        env.put("OLDER_THAN", "36h");
        assertThat(parse(Map.of(Catalog.RETENTION_DAYS, "7"), env).sweep().age().days()).isEqualTo(7);
    }

    @Test
    void aProfileNeitherSharedFileHoldsIsNamed(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/credentials"), "[backup-admin]\naws_access_key_id = a\n"
                + "aws_secret_access_key = b\n");
        Files.writeString(home.resolve(".aws/config"), "[profile auditor]\nregion = eu-west-1\n");
        Map<String, String> env = new HashMap<>(BASE);
        env.put("HOME", home.toString());

        assertThat(new CommandLineSource(Map.of(Catalog.PROFILE, "backup-admin"), env).profileProblem()).isEmpty();
        assertThat(new CommandLineSource(Map.of(Catalog.PROFILE, "auditor"), env).profileProblem()).isEmpty();
        assertThat(new CommandLineSource(Map.of(), env).profileProblem()).isEmpty();
        assertThat(new CommandLineSource(Map.of(Catalog.PROFILE, "nope"), env).profileProblem()).contains(
                "--profile=\"nope\": no such profile in " + home.resolve(".aws/config") + " or "
                        + home.resolve(".aws/credentials") + "; allowed: a profile of those files");
    }

    @Test
    void aFlagOfTheEmptyStringIsReadAsTheEmptyVariableIs() {
        Map<String, String> env = new HashMap<>(BASE);
        env.put("MAX_DELETES", "10");

        assertThat(parse(Map.of(Catalog.MAX_DELETES, ""), env).sweep().maxDeletes()).isEmpty();
    }

    @Test
    void theRegionComesFromTheFlagThenAwsRegionThenAwsDefaultRegionThenTheProfile(@TempDir Path home)
            throws Exception {
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/config"), "[default]\nregion = ap-south-1\n\n[profile backup-admin]\n"
                + "region = sa-east-1\n");
        Map<String, String> env = new HashMap<>(BASE);
        env.remove("AWS_REGION");
        env.put("HOME", home.toString());

        assertThat(parse(Map.of(), env).s3().region()).isEqualTo("ap-south-1");
        env.put("AWS_PROFILE", "backup-admin");
        assertThat(parse(Map.of(), env).s3().region()).isEqualTo("sa-east-1");
        assertThat(parse(Map.of(Catalog.PROFILE, "default"), env).s3().region()).isEqualTo("ap-south-1");
        env.put("AWS_DEFAULT_REGION", "eu-west-3");
        assertThat(parse(Map.of(), env).s3().region()).isEqualTo("eu-west-3");
        env.put("AWS_REGION", "eu-west-2");
        assertThat(parse(Map.of(), env).s3().region()).isEqualTo("eu-west-2");
        assertThat(parse(Map.of(Catalog.REGION, "us-west-2"), env).s3().region()).isEqualTo("us-west-2");
    }

    @Test
    void theConfigFileCanBeNamedAsTheAwsCliAllows(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("config"), "[default]\nregion = ca-central-1\n");
        Map<String, String> env = new HashMap<>(BASE);
        env.remove("AWS_REGION");
        env.put("AWS_CONFIG_FILE", config.toString());

        assertThat(parse(Map.of(), env).s3().region()).isEqualTo("ca-central-1");
    }

    @Test
    void messagesNameTheFlagAndTheVariable() {
        String labels = Catalog.commandLine().stream().map(CommandLineSource::label).collect(Collectors.joining(" "));

        assertThat(labels).contains("--bucket/BUCKET_NAME", "--region/AWS_REGION", "--start-after",
                "--endpoint-url/AWS_ENDPOINT_URL_S3");
    }
}
