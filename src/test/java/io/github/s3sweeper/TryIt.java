package io.github.s3sweeper;

import io.github.s3sweeper.cli.Main;
import io.github.s3sweeper.testing.EmbeddedS3;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The try-it command of the README: starts an S3 server in this JVM, fills a bucket with backups of several ages,
 * and runs the real handler through the local entry point, as {@code java -jar} would, with a 30-day retention.
 * No AWS account, no Docker.
 */
public final class TryIt {

    private static final String BUCKET = "demo-backups";

    private TryIt() {
    }

    public static void main(String[] args) throws Exception {
        Path storage = Files.createTempDirectory("s3-sweeper-try-it");
        int exit;
        try (EmbeddedS3 server = EmbeddedS3.filesystem(storage);
             S3Client admin = server.client()) {
            admin.createBucket(b -> b.bucket(BUCKET));
            Instant now = Instant.now();
            for (int days : new int[] {1, 7, 29, 31, 45, 90, 365}) {
                server.putFile(BUCKET, String.format("backups/db-%03d-days-old.sql.gz", days), "x".repeat(1000 + days),
                        now.minus(Duration.ofDays(days)));
            }
            server.putFile(BUCKET, "backups-archive/db-2019.sql.gz", "kept: outside the prefix",
                    now.minus(Duration.ofDays(2000)));
            server.putFile(BUCKET, "logs/app.log", "kept: outside the prefix", now.minus(Duration.ofDays(400)));

            System.out.println("== Bucket " + BUCKET + " before the run (an S3 server in this JVM at "
                    + server.endpoint() + "):");
            list(admin, now);
            // The endpoint and the keys as a user of a local S3 server would export them; the sweep itself in flags.
            Map<String, String> env = Map.of(
                    "AWS_ENDPOINT_URL_S3", server.endpoint().toString(),
                    "AWS_ACCESS_KEY_ID", EmbeddedS3.ACCESS_KEY,
                    "AWS_SECRET_ACCESS_KEY", EmbeddedS3.SECRET_KEY);
            System.setProperty("aws.accessKeyId", EmbeddedS3.ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", EmbeddedS3.SECRET_KEY);
            String[] flags = {"--bucket", BUCKET, "--prefix", "backups/", "--retention-days", "30", "--region",
                    "us-east-1", "--verbose"};
            System.out.println("\n== java -jar s3-sweeper.jar " + String.join(" ", flags)
                    + "  (each deletion, then the account):");
            System.out.flush();
            exit = Main.run(flags, env, System.out, System.out);
            System.out.println("\n== Exit status " + exit + "; bucket after the run:");
            list(admin, now);
        }
        System.exit(exit);
    }

    private static void list(S3Client s3, Instant now) {
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents()) {
            long age = Duration.between(object.lastModified(), now).toDays();
            System.out.printf("  %-40s %4d days old%n", object.key(), age);
        }
    }
}
