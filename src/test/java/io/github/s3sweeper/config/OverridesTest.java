package io.github.s3sweeper.config;

import io.github.s3sweeper.rules.Glob;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Per-schedule overrides: each field, its types, and the safety rules (bucket fixed, prefix only narrows). */
class OverridesTest {

    private static final SweepSettings BASE = SweepSettings.of("my-backups", "logs/", 30, false);

    private static SweepSettings apply(Object... pairs) {
        Map<String, Object> event = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            event.put((String) pairs[i], pairs[i + 1]);
        }
        return RunRequest.parse(event).overrides().applyTo(BASE);
    }

    @Test
    void noOverridesKeepTheEnvironment() {
        assertThat(apply("trigger", "nightly")).isEqualTo(BASE);
    }

    @Test
    void overridesEachField() {
        SweepSettings settings = apply("prefix", "logs/app/", "olderThan", "36h", "dryRun", true, "keepLatest", 2,
                "maxDeletes", 100, "include", List.of("*.gz", "*.{zip,tar}"), "exclude", "keep/**",
                "minSize", "1KB", "maxSize", 5000);
        assertThat(settings.globRoot()).as("patterns stay relative to the configured PREFIX").isEqualTo("logs/");

        assertThat(settings.bucket()).isEqualTo("my-backups");
        assertThat(settings.prefix()).isEqualTo("logs/app/");
        assertThat(settings.age()).isEqualTo(Age.of(Duration.ofHours(36)));
        assertThat(settings.dryRun()).isTrue();
        assertThat(settings.keepLatest()).isEqualTo(2);
        assertThat(settings.maxDeletes()).isEqualTo(OptionalLong.of(100));
        assertThat(settings.includes()).hasSize(1);
        assertThat(settings.includes().get(0)).extracting(Glob::toString).containsExactly("*.gz", "*.{zip,tar}");
        assertThat(settings.exclude()).extracting(Glob::toString).containsExactly("keep/**");
        assertThat(settings.minSize()).isEqualTo(1000);
        assertThat(settings.maxSize()).isEqualTo(5000);
    }

    @Test
    void retentionDaysOverridesAnOlderThanFromTheEnvironment() {
        assertThat(apply("retentionDays", 3).age()).isEqualTo(Age.ofDays(3));
    }

    @Test
    void refusesAPrefixOutsideTheConfiguredOne() {
        assertThatThrownBy(() -> apply("prefix", "other/"))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("input field \"prefix\"=\"other/\": outside the configured PREFIX=\"logs/\";"
                        + " allowed: a prefix that starts with \"logs/\"");
        assertThatThrownBy(() -> apply("prefix", "log")).hasMessageContaining("outside the configured PREFIX");
        assertThatThrownBy(() -> apply("prefix", "")).hasMessageContaining("outside the configured PREFIX");
    }

    @Test
    void blamesTheInputNotTheLocaleForAReplacementCharacterInItsPrefix() {
        assertThatThrownBy(() -> apply("prefix", "logs/\uFFFD/"))
                .hasMessageEndingWith(": input field \"prefix\"=\"logs/\uFFFD/\": contains U+FFFD, the replacement"
                        + " character: the input was probably not written in UTF-8, or a character was lost before it;"
                        + " allowed: a prefix that starts with \"logs/\"");
    }

    @Test
    void showsAHugeJsonNumberCutLikeAString() {
        String digits = "9".repeat(1000);
        assertThatThrownBy(() -> apply("keepLatest", new java.math.BigInteger(digits)))
                .hasMessageEndingWith(": input field \"keepLatest\"=" + "9".repeat(100) + "... (1000 characters): must"
                        + " be at most 100000; allowed: a whole number from 0 to 100000");
    }

    @Test
    void refusesTheBucket() {
        assertThatThrownBy(() -> apply("bucket", "other-bucket"))
                .hasMessageContaining("input field \"bucket\": unknown;");
    }

    @Test
    void refusesBothThresholds() {
        assertThatThrownBy(() -> apply("retentionDays", 3, "olderThan", "3d"))
                .hasMessageContaining("input fields \"retentionDays\" and \"olderThan\": both are set");
    }

    @Test
    void refusesWrongTypesNamingTheFieldAndTheJsonTypeItHad() {
        // "2" is a whole number: what is wrong is that the input wrote it as a JSON string, and the message says so.
        assertThatThrownBy(() -> apply("dryRun", "true"))
                .hasMessageEndingWith(": input field \"dryRun\"=\"true\": a JSON string, not a boolean; allowed: true or"
                        + " false, as JSON booleans (without quotes)");
        assertThatThrownBy(() -> apply("keepLatest", "2"))
                .hasMessageEndingWith(": input field \"keepLatest\"=\"2\": a JSON string, not a number; allowed: a whole"
                        + " number from 0 to 100000");
        assertThatThrownBy(() -> apply("retentionDays", 1.5))
                .hasMessageEndingWith(": input field \"retentionDays\"=1.5: not a whole number; allowed: a whole number"
                        + " of days from 1 to 36500");
        assertThatThrownBy(() -> apply("include", List.of()))
                .hasMessageEndingWith(": input field \"include\"=[]: an empty array; allowed: comma-separated glob"
                        + " patterns matched against the key relative to the prefix: * and ? within one / segment, **"
                        + " across segments, {a,b} alternatives; one string, or a non-empty array of patterns");
        assertThatThrownBy(() -> apply("prefix", 5)).hasMessageEndingWith(": input field \"prefix\"=5: a JSON number,"
                + " not a string; allowed: a key prefix inside the configured PREFIX");
        // An object is shown as the JSON it was, not as Java prints a map.
        assertThatThrownBy(() -> apply("prefix", Map.of("a", List.of(1, true))))
                .hasMessageEndingWith(": input field \"prefix\"={\"a\":[1,true]}: a JSON object, not a string; allowed:"
                        + " a key prefix inside the configured PREFIX");
    }

    @Test
    void refusesBadValuesNamingTheField() {
        // A JSON number is shown as one: -1, not "-1".
        assertThatThrownBy(() -> apply("keepLatest", -1))
                .hasMessageContaining("input field \"keepLatest\"=-1: must be at least 0");
        assertThatThrownBy(() -> apply("olderThan", "forever"))
                .hasMessageContaining("input field \"olderThan\"=\"forever\": not a duration");
        assertThatThrownBy(() -> apply("maxSize", "big")).hasMessageContaining("input field \"maxSize\"=\"big\": not a size");
        assertThatThrownBy(() -> apply("include", List.of("*.gz", "{a")))
                .hasMessageContaining("input field \"include\"=[\"*.gz\",\"{a\"]: pattern \"{a\" has a '{' without its '}'");
    }

    @Test
    void refusesAMinimumAboveTheMaximumAfterMerging() {
        SweepSettings base = BASE.toBuilder().maxSize(100).build();

        assertThatThrownBy(() -> RunRequest.parse(Map.of("minSize", 500)).overrides().applyTo(base))
                .hasMessageContaining("input fields \"minSize\" and \"maxSize\": the minimum 500 is larger than the"
                        + " maximum 100");
    }

    @Test
    void namesTheFieldsAnInputOverridesInDeclarationOrder() {
        assertThat(RunRequest.parse(Map.of("trigger", "schedule")).overrides().fields()).isEmpty();
        assertThat(RunRequest.parse(Map.of("startAfter", "logs/x", "dryRun", true, "prefix", "logs/a/"))
                .overrides().fields()).containsExactly("prefix", "dryRun", "startAfter");
    }

    @Test
    void classicScheduledEventCarriesNoOverrides() {
        Map<String, Object> event = Map.of("source", "aws.events", "detail-type", "Scheduled Event",
                "dryRun", true);

        assertThat(RunRequest.parse(event).overrides()).isEqualTo(Overrides.NONE);
    }

    @Test
    void startAfterResumesInsideThePrefixOnly() {
        assertThat(apply("startAfter", "logs/2026/11/x.log").startAfter()).isEqualTo("logs/2026/11/x.log");
        assertThatThrownBy(() -> apply("startAfter", "other/x"))
                .hasMessageContaining("input field \"startAfter\"=\"other/x\": outside the prefix \"logs/\"");
        assertThatThrownBy(() -> apply("prefix", "logs/a/", "startAfter", "logs/b/x"))
                .hasMessageContaining("outside the prefix \"logs/a/\"");
    }

    @Test
    void anInputMayTurnADryRunOnButNeverOff() {
        SweepSettings dry = BASE.withDryRun(true);

        assertThat(RunRequest.parse(Map.of("dryRun", true)).overrides().applyTo(BASE).dryRun()).isTrue();
        assertThatThrownBy(() -> RunRequest.parse(Map.of("dryRun", false)).overrides().applyTo(dry))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("input field \"dryRun\"=false: would switch off the configured DRY_RUN=true (the environment or"
                        + " --dry-run); allowed: true, or leave it out (an input can only turn it on)");
    }

    @Test
    void nullFieldsLeaveTheEnvironmentsValue() {
        Map<String, Object> event = new HashMap<>();
        event.put("prefix", null);
        event.put("keepLatest", null);

        assertThat(RunRequest.parse(event).overrides().applyTo(BASE)).isEqualTo(BASE);
    }

    @Test
    void aNarrowerPrefixKeepsTheConfiguredExcludeInForce() {
        SweepSettings base = BASE.toBuilder().exclude(Glob.compileList("db/keep/**")).build();

        SweepSettings narrowed = RunRequest.parse(Map.of("prefix", "logs/db/")).overrides().applyTo(base);

        assertThat(narrowed.selection().matchesKey("logs/db/keep/prod.sql.gz")).isFalse();
        assertThat(narrowed.selection().matchesKey("logs/db/old.sql.gz")).isTrue();
        assertThat(narrowed.selection().matchesKey("logs/web/old.log")).as("outside the narrowed prefix").isFalse();
    }

    @Test
    void inputFiltersOnlyNarrowTheConfiguredOnes() {
        SweepSettings base = BASE.toBuilder().include(Glob.compileList("**/*.gz")).exclude(Glob.compileList("keep/**"))
                .build();

        SweepSettings run = RunRequest.parse(Map.of("include", "db/**", "exclude", "db/tmp/**")).overrides()
                .applyTo(base);

        assertThat(run.selection().matchesKey("logs/db/a.gz")).isTrue();
        assertThat(run.selection().matchesKey("logs/db/a.txt")).as("the configured include still applies").isFalse();
        assertThat(run.selection().matchesKey("logs/web/a.gz")).as("and the input's too").isFalse();
        assertThat(run.selection().matchesKey("logs/db/tmp/a.gz")).isFalse();
        assertThat(run.selection().matchesKey("logs/keep/db/a.gz")).isFalse();
    }

    @Test
    void safetyNetsCanOnlyTighten() {
        SweepSettings base = BASE.toBuilder().keepLatest(3).maxDeletes(OptionalLong.of(100)).build();

        assertThat(RunRequest.parse(Map.of("keepLatest", 5, "maxDeletes", 10)).overrides().applyTo(base).keepLatest())
                .isEqualTo(5);
        assertThatThrownBy(() -> RunRequest.parse(Map.of("keepLatest", 0)).overrides().applyTo(base))
                .hasMessageContaining("input field \"keepLatest\"=0: fewer than the configured KEEP_LATEST=3");
        assertThatThrownBy(() -> RunRequest.parse(Map.of("maxDeletes", 101)).overrides().applyTo(base))
                .hasMessageContaining("input field \"maxDeletes\"=101: more than the configured MAX_DELETES=100");
    }

    @Test
    void safetyNetsTheEnvironmentTightenedSinceYieldToItWhileTheRestStay() {
        SweepSettings tighter = BASE.toBuilder().maxDeletes(OptionalLong.of(50)).keepLatest(5).build();
        Overrides given = RunRequest.parse(Map.of("maxDeletes", 80, "keepLatest", 3, "dryRun", true,
                "prefix", "logs/app/")).overrides();

        assertThatThrownBy(() -> given.applyTo(tighter)).isInstanceOf(InvalidSettingsException.class);
        SweepSettings applied = given.yieldingToTighter(tighter).applyTo(tighter);

        assertThat(applied.maxDeletes()).hasValue(50);
        assertThat(applied.keepLatest()).isEqualTo(5);
        assertThat(applied.dryRun()).isTrue();
        assertThat(applied.prefix()).isEqualTo("logs/app/");
        assertThat(given.yieldingToTighter(BASE).applyTo(BASE).maxDeletes()).as("a cap the input lowers stays")
                .hasValue(80);
    }
}
