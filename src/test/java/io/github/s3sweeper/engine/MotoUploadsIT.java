package io.github.s3sweeper.engine;

import io.github.s3sweeper.testing.MotoServer;
import io.github.s3sweeper.testing.RequiredServer;
import io.github.s3sweeper.testing.S3TestClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.s3.S3Client;

import io.github.s3sweeper.report.SweepSummary;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.DelegatingS3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The incomplete-upload scenarios against moto's standalone server. moto lists every upload as initiated at one fixed
 * time (2010-11-10T20:48:33Z) and answers every upload in one page whatever max-uploads says, so the two-group
 * scenarios of {@link UploadScenarios} cannot run here: these use that one time as the uploads' age instead. Skipped where moto is not installed;
 * {@code REQUIRE_MOTO=true} turns that skip into a failure.
 */
class MotoUploadsIT extends UploadServerTest {

    private static MotoServer server;

    @BeforeAll
    static void start() {
        Path executable = RequiredServer.executable("MotoUploadsIT", MotoServer.executable(), "REQUIRE_MOTO",
                MotoServer.INSTALL_HINT);
        server = MotoServer.start(executable, Path.of("target", "moto-uploads-server.log"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected S3Client client() {
        return S3TestClients.client(server.endpoint(), "moto-key", "moto-secret");
    }

    /** Five uploads under the prefix (two of one key) and one outside it; the one Initiated time moto lists. */
    private Instant fiveUnderThePrefixAndOneOutside() {
        for (String key : List.of("db1/full.tar", "db1/full.tar", "db2/full.tar", "db3/full.tar", "db4/full.tar")) {
            upload(PREFIX + key);
        }
        upload("archive/old.tar");
        List<Instant> times = admin.listMultipartUploads(b -> b.bucket(bucket)).uploads().stream()
                .map(MultipartUpload::initiated).distinct().toList();
        assertThat(times).as("moto lists one Initiated time for every upload").hasSize(1);
        return times.get(0);
    }

    @Test
    void abortsEveryUploadUnderThePrefixInitiatedBeforeTheCutoff() {
        Instant initiated = fiveUnderThePrefixAndOneOutside();
        List<String> pages = Collections.synchronizedList(new ArrayList<>());
        S3Client paged = new DelegatingS3Client(client()) {
            @Override
            public ListMultipartUploadsResponse listMultipartUploads(ListMultipartUploadsRequest request) {
                ListMultipartUploadsResponse page = super.listMultipartUploads(request);
                pages.add(request.keyMarker() + " " + request.uploadIdMarker() + ": " + page.uploads().size());
                return page;
            }
        };

        SweepSummary summary = new Sweeper(paged, clockAt(initiated.plusMillis(1)), settings(false),
                SweepListener.NONE).uploadPageSize(2).run();

        // moto answers every upload in one page, whatever max-uploads says (S3ProxyUploadsIT pages for real).
        assertThat(pages).singleElement().asString().isEqualTo("null null: 5");
        assertThat(summary.uploadsScanned()).isEqualTo(5);
        assertThat(summary.uploadsExpired()).isEqualTo(5);
        assertThat(summary.uploadsAborted()).isEqualTo(5);
        assertThat(summary.uploadsFailed()).isZero();
        assertThat(uploadsInBucket()).as("the one outside the prefix, as old, survives")
                .containsOnlyKeys("archive/old.tar");
    }

    @Test
    void uploadsInitiatedExactlyAtTheCutoffStay() {
        Instant initiated = fiveUnderThePrefixAndOneOutside();
        Map<String, List<String>> before = uploadsInBucket();

        SweepSummary summary = new Sweeper(client(), clockAt(initiated), settings(false), SweepListener.NONE).run();

        assertThat(summary.uploadsScanned()).isEqualTo(5);
        assertThat(summary.uploadsExpired()).isZero();
        assertThat(summary.uploadsAborted()).isZero();
        assertThat(uploadsInBucket()).isEqualTo(before);
    }

    @Test
    void aDryRunCountsWhatItWouldAbortAndAbortsNothing() {
        Instant initiated = fiveUnderThePrefixAndOneOutside();
        Map<String, List<String>> before = uploadsInBucket();

        SweepSummary summary = new Sweeper(client(), clockAt(initiated.plusSeconds(1)), settings(true),
                SweepListener.NONE).uploadPageSize(1).run();

        assertThat(summary.uploadsExpired()).isEqualTo(5);
        assertThat(summary.uploadsAborted()).isZero();
        assertThat(uploadsInBucket()).isEqualTo(before);
    }

    @Test
    void anUploadAbortedByAnotherBeforeTheSweeperCountsAsAbortedOnMotosNoSuchUpload() {
        Instant initiated = fiveUnderThePrefixAndOneOutside();
        S3Client raced = new DelegatingS3Client(client()) {
            @Override
            public AbortMultipartUploadResponse abortMultipartUpload(AbortMultipartUploadRequest request) {
                super.abortMultipartUpload(request);
                return super.abortMultipartUpload(request);
            }
        };

        SweepSummary summary = new Sweeper(raced, clockAt(initiated.plusSeconds(1)), settings(false),
                SweepListener.NONE).run();

        assertThat(summary.uploadsAborted()).isEqualTo(5);
        assertThat(summary.uploadsFailed()).isZero();
        assertThat(summary.failure()).isNull();
    }
}
