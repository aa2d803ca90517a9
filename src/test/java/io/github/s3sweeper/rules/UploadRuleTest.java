package io.github.s3sweeper.rules;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UploadRuleTest {

    private static final Instant NOW = Instant.parse("2026-03-29T01:30:00Z");
    private static final Instant CUTOFF = Instant.parse("2026-03-22T01:30:00Z");
    private static final UploadRule SEVEN_DAYS = UploadRule.initiatedMoreThan(Duration.ofDays(7), "backups/", NOW);

    private static IncompleteUpload upload(String key, Instant initiated) {
        return new IncompleteUpload(key, "id-1", initiated);
    }

    @Test
    void cutoffIsTheDurationBeforeNow() {
        assertThat(SEVEN_DAYS.cutoff()).isEqualTo(CUTOFF);
    }

    @Test
    void abortsAnUploadInitiatedOneMillisecondBeforeTheCutoff() {
        assertThat(SEVEN_DAYS.abort(upload("backups/db.tar", CUTOFF.minusMillis(1)))).isTrue();
    }

    @Test
    void leavesAnUploadInitiatedExactlyAtTheCutoff() {
        assertThat(SEVEN_DAYS.abort(upload("backups/db.tar", CUTOFF))).isFalse();
    }

    @Test
    void leavesUploadsInitiatedAfterTheCutoffOrInTheFuture() {
        assertThat(SEVEN_DAYS.abort(upload("backups/db.tar", CUTOFF.plusMillis(1)))).isFalse();
        assertThat(SEVEN_DAYS.abort(upload("backups/db.tar", NOW))).isFalse();
        assertThat(SEVEN_DAYS.abort(upload("backups/db.tar", NOW.plusSeconds(3600)))).isFalse();
    }

    @Test
    void neverAbortsAnUploadOutsideThePrefixHoweverOld() {
        assertThat(SEVEN_DAYS.abort(upload("backups-old/db.tar", Instant.EPOCH))).isFalse();
        assertThat(SEVEN_DAYS.abort(upload("other/backups/db.tar", Instant.EPOCH))).isFalse();
        assertThat(SEVEN_DAYS.abort(upload("backups", Instant.EPOCH))).isFalse();
        assertThat(SEVEN_DAYS.abort(upload("BACKUPS/db.tar", Instant.EPOCH))).isFalse();
    }

    @Test
    void aPrefixWithoutSlashMatchesAsS3Does() {
        UploadRule rule = UploadRule.initiatedMoreThan(Duration.ofDays(1), "backups", NOW);

        assertThat(rule.abort(upload("backups-old/x", Instant.EPOCH))).isTrue();
        assertThat(rule.abort(upload("backup/x", Instant.EPOCH))).isFalse();
    }

    @Test
    void theEmptyPrefixCoversEveryKey() {
        UploadRule rule = UploadRule.initiatedMoreThan(Duration.ofDays(1), "", NOW);

        assertThat(rule.abort(upload("anything", Instant.EPOCH))).isTrue();
    }

    @Test
    void leavesAnUploadWhoseInitiationOrIdTheServerDidNotGive() {
        assertThat(SEVEN_DAYS.abort(upload("backups/db.tar", null))).isFalse();
        assertThat(SEVEN_DAYS.abort(new IncompleteUpload("backups/db.tar", null, Instant.EPOCH))).isFalse();
        assertThat(SEVEN_DAYS.abort(new IncompleteUpload("backups/db.tar", "", Instant.EPOCH))).isFalse();
        assertThat(SEVEN_DAYS.abort(upload(null, Instant.EPOCH))).isFalse();
    }

    @Test
    void refusesAnAgeThatIsNotPositive() {
        assertThatThrownBy(() -> UploadRule.initiatedMoreThan(Duration.ZERO, "backups/", NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UploadRule.initiatedMoreThan(Duration.ofSeconds(-1), "backups/", NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
