package io.github.s3sweeper.rules;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpiryRuleTest {

    private static final Instant NOW = Instant.parse("2026-03-29T01:30:00Z");
    private static final ExpiryRule THIRTY_DAYS = ExpiryRule.olderThanDays("logs/", NOW, 30);
    private static final Instant CUTOFF = Instant.parse("2026-02-27T01:30:00Z");

    @Test
    void cutoffIsExactlyRetentionDaysOf24HoursBeforeNow() {
        assertThat(THIRTY_DAYS.cutoff()).isEqualTo(CUTOFF);
    }

    @Test
    void deletesObjectOneMillisecondOlderThanCutoff() {
        assertThat(THIRTY_DAYS.isExpired("logs/a", CUTOFF.minusMillis(1))).isTrue();
    }

    @Test
    void keepsObjectExactlyAtCutoff() {
        assertThat(THIRTY_DAYS.isExpired("logs/a", CUTOFF)).isFalse();
    }

    @Test
    void keepsObjectNewerThanCutoff() {
        assertThat(THIRTY_DAYS.isExpired("logs/a", CUTOFF.plusMillis(1))).isFalse();
        assertThat(THIRTY_DAYS.isExpired("logs/a", NOW)).isFalse();
    }

    @Test
    void keepsObjectModifiedInTheFuture() {
        assertThat(THIRTY_DAYS.isExpired("logs/a", NOW.plusSeconds(3600))).isFalse();
    }

    @Test
    void neverDeletesKeysOutsideThePrefix() {
        Instant ancient = Instant.EPOCH;
        assertThat(THIRTY_DAYS.isExpired("logs-old/a", ancient)).isFalse();
        assertThat(THIRTY_DAYS.isExpired("other/logs/a", ancient)).isFalse();
        assertThat(THIRTY_DAYS.isExpired("logs", ancient)).isFalse();
        assertThat(THIRTY_DAYS.isExpired("LOGS/a", ancient)).isFalse();
    }

    @Test
    void prefixWithoutSlashMatchesAsS3Does() {
        ExpiryRule rule = ExpiryRule.olderThanDays("logs", NOW, 1);

        assertThat(rule.isExpired("logs-old/x", Instant.EPOCH)).isTrue();
        assertThat(rule.isExpired("logs/x", Instant.EPOCH)).isTrue();
        assertThat(rule.isExpired("log/x", Instant.EPOCH)).isFalse();
    }

    @Test
    void emptyPrefixCoversEveryKey() {
        assertThat(ExpiryRule.olderThanDays("", NOW, 1).isExpired("any/key", Instant.EPOCH)).isTrue();
    }

    @Test
    void keepsObjectsWithoutKeyOrDate() {
        assertThat(THIRTY_DAYS.isExpired(null, Instant.EPOCH)).isFalse();
        assertThat(THIRTY_DAYS.isExpired("logs/a", null)).isFalse();
    }

    @Test
    void clockZoneDoesNotMoveTheCutoff() {
        // Across a daylight-saving change: 30 days is 30 x 24 h whatever the zone, never calendar days.
        ZoneId paris = ZoneId.of("Europe/Paris");
        Clock parisClock = Clock.fixed(NOW, paris);
        Clock kiritimati = Clock.fixed(NOW, ZoneId.of("Pacific/Kiritimati"));

        assertThat(ExpiryRule.olderThanDays("logs/", parisClock.instant(), 30).cutoff()).isEqualTo(CUTOFF);
        assertThat(ExpiryRule.olderThanDays("logs/", kiritimati.instant(), 30).cutoff()).isEqualTo(CUTOFF);
        assertThat(ZonedDateTime.now(parisClock).minusDays(30).toInstant()).isNotEqualTo(CUTOFF);
    }

    @Test
    void refusesRetentionBelowOneDay() {
        assertThatThrownBy(() -> ExpiryRule.olderThanDays("logs/", NOW, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
