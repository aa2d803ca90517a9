package io.github.s3sweeper.engine;

import io.github.s3sweeper.config.Age;
import io.github.s3sweeper.config.SweepSettings;
import io.github.s3sweeper.report.SweepSummary;
import io.github.s3sweeper.rules.IncompleteUpload;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.DelegatingS3Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * ABORT_INCOMPLETE_UPLOADS_AFTER against a real server: real multipart uploads (created, a part uploaded) made in two
 * groups more than a second apart, and a sweeper whose clock stands {@link #AFTER} past the first upload of the newer
 * group, so that upload is initiated exactly at the cutoff (it stays) and the older group strictly before it. The
 * server's own Initiated times decide, so the ages are exact.
 */
public abstract class UploadScenarios extends UploadServerTest {

    private Instant initiated(String key, String id) {
        return admin.listMultipartUploads(b -> b.bucket(bucket)).uploads().stream()
                .filter(u -> u.key().equals(key) && u.uploadId().equals(id)).findFirst().orElseThrow().initiated();
    }

    /** Waits over a second: the next uploads are initiated later even on a server that counts in whole seconds. */
    private void nextSecond() {
        try {
            Thread.sleep(1_100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The old group (three uploads under the prefix, two of one key; one outside it), then the new group. */
    private record Groups(List<String> oldIds, String outsideId, List<String> newIds, Instant cutoff) {
    }

    private Groups twoGroups() {
        List<String> old = List.of(upload(PREFIX + "db1/full.tar"), upload(PREFIX + "db1/full.tar"),
                upload(PREFIX + "db2/full.tar"));
        String outside = upload("archive/old.tar");
        nextSecond();
        String firstNew = upload(PREFIX + "db3/full.tar");
        List<String> fresh = List.of(firstNew, upload(PREFIX + "db4/full.tar"));
        Instant cutoff = initiated(PREFIX + "db3/full.tar", firstNew);
        for (String id : old) {
            assertThat(admin.listMultipartUploads(b -> b.bucket(bucket)).uploads().stream()
                    .filter(u -> u.uploadId().equals(id)).findFirst().orElseThrow().initiated())
                    .as("the old group was initiated before the new one").isBefore(cutoff);
        }
        return new Groups(old, outside, fresh, cutoff);
    }

    @Test
    void abortsExactlyTheUploadsInitiatedBeforeTheCutoffOverSeveralPages() {
        Groups groups = twoGroups();
        Heard heard = new Heard();
        List<String> pages = Collections.synchronizedList(new ArrayList<>());
        S3Client paged = new DelegatingS3Client(client()) {
            @Override
            public ListMultipartUploadsResponse listMultipartUploads(ListMultipartUploadsRequest request) {
                ListMultipartUploadsResponse page = super.listMultipartUploads(request);
                pages.add(request.keyMarker() + " " + request.uploadIdMarker() + ": " + page.uploads().size());
                return page;
            }
        };

        // Two uploads a page: the three old ones, two of one key, take the upload-id-marker across pages.
        SweepSummary summary = new Sweeper(paged, clockAt(groups.cutoff()), settings(false), heard)
                .uploadPageSize(2).run();

        assertThat(pages).as("pages of at most two, the first from the start").hasSizeGreaterThanOrEqualTo(3)
                .first().asString().startsWith("null null: ");

        assertThat(summary.uploadsCutoff()).isEqualTo(groups.cutoff().toString());
        assertThat(summary.uploadsScanned()).as("listed under the prefix").isEqualTo(5);
        assertThat(summary.uploadsExpired()).isEqualTo(3);
        assertThat(summary.uploadsAborted()).isEqualTo(3);
        assertThat(summary.uploadsFailed()).isZero();
        assertThat(summary.failure()).isNull();
        assertThat(heard.aborted).hasSize(3).noneMatch(line -> line.endsWith(" gone"));
        Map<String, List<String>> left = uploadsInBucket();
        assertThat(left).as("the new group, the one exactly at the cutoff included, and the one outside the prefix")
                .containsOnlyKeys(PREFIX + "db3/full.tar", PREFIX + "db4/full.tar", "archive/old.tar");
        assertThat(left.get(PREFIX + "db3/full.tar")).containsExactly(groups.newIds().get(0));
        assertThat(left.get("archive/old.tar")).containsExactly(groups.outsideId());
    }

    @Test
    void aDryRunCountsAndReportsEachUploadItWouldAbortAndAbortsNone() {
        Groups groups = twoGroups();
        Map<String, List<String>> before = uploadsInBucket();
        Heard heard = new Heard();

        SweepSummary summary = new Sweeper(client(), clockAt(groups.cutoff()), settings(true), heard)
                .uploadPageSize(1).run();

        assertThat(summary.dryRun()).isTrue();
        assertThat(summary.uploadsScanned()).isEqualTo(5);
        assertThat(summary.uploadsExpired()).as("what a real run would abort").isEqualTo(3);
        assertThat(summary.uploadsAborted()).isZero();
        assertThat(summary.uploadsFailed()).isZero();
        assertThat(heard.expired).containsExactlyInAnyOrder(PREFIX + "db1/full.tar " + groups.oldIds().get(0),
                PREFIX + "db1/full.tar " + groups.oldIds().get(1), PREFIX + "db2/full.tar " + groups.oldIds().get(2));
        assertThat(heard.aborted).isEmpty();
        assertThat(uploadsInBucket()).isEqualTo(before);
    }

    @Test
    void anOldUploadOutsideThePrefixSurvivesEvenWhenTheServerListsIt() {
        Groups groups = twoGroups();
        // A server that ignores the prefix: every upload of the bucket comes back, the one outside it too.
        S3Client ignoresPrefix = new DelegatingS3Client(client()) {
            @Override
            public ListMultipartUploadsResponse listMultipartUploads(ListMultipartUploadsRequest request) {
                return super.listMultipartUploads(request.toBuilder().prefix(null).build());
            }
        };

        SweepSummary summary = new Sweeper(ignoresPrefix, clockAt(groups.cutoff()), settings(false), SweepListener.NONE)
                .run();

        assertThat(summary.uploadsScanned()).as("the server listed all six").isEqualTo(6);
        assertThat(summary.uploadsAborted()).isEqualTo(3);
        assertThat(uploadsInBucket().get("archive/old.tar")).containsExactly(groups.outsideId());
    }

    @Test
    void anUploadGoneBeforeItsAbortCountsAsAbortedAndFailsNothing() {
        Groups groups = twoGroups();
        String gone = groups.oldIds().get(2);
        // Someone else aborts it between the listing and the sweeper's abort: the server answers NoSuchUpload.
        S3Client raced = new DelegatingS3Client(client()) {
            @Override
            public AbortMultipartUploadResponse abortMultipartUpload(AbortMultipartUploadRequest request) {
                if (request.uploadId().equals(gone)) {
                    super.abortMultipartUpload(request);
                }
                return super.abortMultipartUpload(request);
            }
        };
        Heard heard = new Heard();

        SweepSummary summary = new Sweeper(raced, clockAt(groups.cutoff()), settings(false), heard).run();

        assertThat(summary.uploadsAborted()).isEqualTo(3);
        assertThat(summary.uploadsFailed()).isZero();
        assertThat(summary.failure()).isNull();
        assertThat(heard.aborted).contains(PREFIX + "db2/full.tar " + gone + " gone");
    }

    @Test
    void anAbortS3RefusesFailsTheRunWithTheSummaryExact() {
        Groups groups = twoGroups();
        String refused = groups.oldIds().get(0);
        S3Client denies = new DelegatingS3Client(client()) {
            @Override
            public AbortMultipartUploadResponse abortMultipartUpload(AbortMultipartUploadRequest request) {
                if (request.uploadId().equals(refused)) {
                    throw (S3Exception) S3Exception.builder().statusCode(403).message("Access Denied")
                            .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied")
                                    .errorMessage("Access Denied").build()).build();
                }
                return super.abortMultipartUpload(request);
            }
        };
        Heard heard = new Heard();

        SweepFailedException failed = catchThrowableOfType(SweepFailedException.class,
                () -> new Sweeper(denies, clockAt(groups.cutoff()), settings(false), heard).run());

        SweepSummary summary = failed.summary();
        assertThat(summary.uploadsExpired()).isEqualTo(3);
        assertThat(summary.uploadsAborted()).isEqualTo(2);
        assertThat(summary.uploadsFailed()).isEqualTo(1);
        assertThat(summary.failure()).isEqualTo(failed.getMessage()).startsWith("1 of the 3 incomplete multipart"
                + " uploads chosen under s3://" + bucket + "/" + PREFIX + " could not be aborted (AccessDenied ×1)")
                .contains("s3:AbortMultipartUpload");
        assertThat(heard.failed).containsExactly(PREFIX + "db1/full.tar " + refused + " AccessDenied");
        assertThat(uploadsInBucket().get(PREFIX + "db1/full.tar")).containsExactly(refused);
    }

    @Test
    void withoutTheSettingNoUploadIsListedOrAborted() {
        Groups groups = twoGroups();
        Map<String, List<String>> before = uploadsInBucket();
        List<String> requests = Collections.synchronizedList(new ArrayList<>());
        S3Client counting = new DelegatingS3Client(client()) {
            @Override
            public ListMultipartUploadsResponse listMultipartUploads(ListMultipartUploadsRequest request) {
                requests.add("list");
                return super.listMultipartUploads(request);
            }
        };
        SweepSettings off = SweepSettings.builder(bucket, PREFIX, Age.ofDays(30)).build();

        SweepSummary summary = new Sweeper(counting, clockAt(groups.cutoff()), off, SweepListener.NONE).run();

        assertThat(summary.uploadsCutoff()).isNull();
        assertThat(summary.uploadsScanned()).isZero();
        assertThat(requests).isEmpty();
        assertThat(uploadsInBucket()).isEqualTo(before);
    }
}
