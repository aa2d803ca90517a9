package io.github.s3sweeper.cli;

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
    void unknownArgumentExitsTwoWithUsage() {
        assertThat(run(Map.of(), "--dryrun")).isEqualTo(Main.BAD_SETTINGS);
        assertThat(stderr()).contains("Unknown argument: --dryrun").contains("Usage: java -jar s3-sweeper.jar");
    }

    @Test
    void eventWithoutFileExitsTwo() {
        assertThat(run(Map.of(), "--event")).isEqualTo(Main.BAD_SETTINGS);
        assertThat(stderr()).contains("--event needs a file");
    }

    @Test
    void unreadableEventFileExitsTwo(@TempDir Path dir) {
        Path missing = dir.resolve("missing.json");

        assertThat(run(Map.of(), "--event", missing.toString())).isEqualTo(Main.BAD_SETTINGS);
        assertThat(stderr()).isEqualTo("Cannot read the event file " + missing + ": no such file"
                + System.lineSeparator());
    }

    @Test
    void eventFileThatIsNotAnObjectExitsTwo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("array.json"), "[1, 2]");

        assertThat(run(Map.of(), "--event", file.toString())).isEqualTo(Main.BAD_SETTINGS);
        assertThat(stderr()).isEqualTo("Cannot read the event file " + file + ": line 1, column 1: expected a JSON"
                + " object, found an array" + System.lineSeparator());
    }

    @Test
    void badSettingsExitTwoNamingEveryVariable() {
        assertThat(run(Map.of("RETENTION_DAYS", "0"))).isEqualTo(Main.BAD_SETTINGS);
        assertThat(stderr()).contains("BUCKET_NAME (not set): required")
                .contains("PREFIX (not set): required")
                .contains("RETENTION_DAYS=\"0\": must be at least 1");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void unknownInputFieldExitsTwo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("typo.json"), "{\"trigerr\": \"x\"}");

        assertThat(run(Map.of(), "--event", file.toString())).isEqualTo(Main.BAD_SETTINGS);
        assertThat(stderr()).contains("input field \"trigerr\": unknown");
    }

    @Test
    void helpExitsZero() {
        assertThat(run(Map.of(), "--help")).isEqualTo(Main.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--dry-run").contains("Exit status");
    }

    @Test
    void anEventCannotSwitchOffTheDryRunFlag(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("live.json"), "{\"dryRun\": false}");
        Map<String, String> env = Map.of("BUCKET_NAME", "my-backups", "PREFIX", "logs/", "RETENTION_DAYS", "30",
                "AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9");

        assertThat(run(env, "--dry-run", "--event", file.toString())).isEqualTo(Main.BAD_SETTINGS);
        assertThat(stderr()).contains("input field \"dryRun\"=false: the environment says DRY_RUN=true");
    }
}
