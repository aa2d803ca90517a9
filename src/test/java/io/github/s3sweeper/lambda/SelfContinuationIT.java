package io.github.s3sweeper.lambda;

import io.github.s3sweeper.aws.LambdaInvoker;
import io.github.s3sweeper.aws.S3ClientFactory;
import io.github.s3sweeper.report.SweepSummary;
import io.github.s3sweeper.testing.FilesystemS3Test;
import io.github.s3sweeper.testing.LambdaInvokeEndpoint;
import io.github.s3sweeper.testing.LocalContext;
import io.github.s3sweeper.testing.LogLines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A run that its time budget stops invokes the function again, through Lambda's Invoke API (a local endpoint that
 * queues the events and runs them one at a time, as reserved concurrency 1 does), until the prefix is swept. The
 * budget here is a millisecond: every run stops after its first pages, so a few thousand objects make a long chain.
 */
class SelfContinuationIT extends FilesystemS3Test {

    private static final Instant NOW = Instant.parse("2026-11-26T03:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    /** Lambda's margin before the deadline is 10 s at least: this leaves the run a millisecond to list in. */
    private static final int REMAINING_MILLIS = 10_001;
    private static final String FUNCTION = "sweeps-sweeper";

    private final LogLines log = new LogLines();
    private LambdaInvokeEndpoint lambda;
    private final List<SweepSummary> runs = new ArrayList<>();

    @BeforeEach
    void startLambda() {
        lambda = LambdaInvokeEndpoint.start();
    }

    @AfterEach
    void stopLambda() {
        lambda.close();
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("BUCKET_NAME", bucket);
        env.put("PREFIX", "backups/");
        env.put("RETENTION_DAYS", "30");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL_S3", server.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_LAMBDA", lambda.endpoint().toString());
        env.put("AWS_LAMBDA_FUNCTION_NAME", FUNCTION);
        return env;
    }

    private static LocalContext shortContext() {
        return new LocalContext(new com.amazonaws.services.lambda.runtime.LambdaLogger() {
            @Override
            public void log(String message) {
            }

            @Override
            public void log(byte[] message) {
            }
        }) {
            @Override
            public int getRemainingTimeInMillis() {
                return REMAINING_MILLIS;
            }
        };
    }

    /** The tick's first run, then every run it chains, one after another. */
    private List<SweepSummary> chain(Map<String, String> env, Map<String, Object> event) {
        SweepHandler handler = new SweepHandler(env, CLOCK, S3ClientFactory::create, log);
        runs.add(handler.handleRequest(event, shortContext()));
        lambda.drain(body -> runs.add(handler.handleRequest(LambdaInvokeEndpoint.asEvent(body), shortContext())),
                1000);
        return runs;
    }

    /** 12 sub-prefixes (one of 2,400 keys, so of several pages) and 1,300 keys directly under the prefix. */
    private Set<String> fillNestedAndFlat() {
        return fillNestedAndFlat(server, bucket);
    }

    private static Set<String> fillNestedAndFlat(io.github.s3sweeper.testing.EmbeddedS3 server, String bucket) {
        Set<String> expired = new TreeSet<>();
        for (int sub = 0; sub < 12; sub++) {
            int keys = sub == 5 ? 2_400 : 150;
            for (int i = 0; i < keys; i++) {
                put(server, bucket, String.format("backups/db%02d/%05d.gz", sub, i), i % 3 != 0, expired);
            }
        }
        for (int i = 0; i < 1_300; i++) {
            put(server, bucket, String.format("backups/top-%05d.gz", i), i % 2 == 0, expired);
        }
        server.putFile(bucket, "backups-archive/old.gz", "x", NOW.minus(Duration.ofDays(400)));
        return expired;
    }

    private void put(String key, boolean old, Set<String> expired) {
        put(server, bucket, key, old, expired);
    }

    private static void put(io.github.s3sweeper.testing.EmbeddedS3 server, String bucket, String key, boolean old,
                            Set<String> expired) {
        server.putFile(bucket, key, "x", NOW.minus(Duration.ofDays(old ? 31 : 29)));
        if (old) {
            expired.add(key);
        }
    }

    @Test
    void aTinyBudgetEndsInAChainThatDeletesExactlyWhatOneRunWould() {
        Set<String> expired = fillNestedAndFlat();
        Set<String> before = keys();

        List<SweepSummary> chain = chain(env(), Map.of("trigger", "nightly"));

        assertThat(chain).as("runs in the chain").hasSizeGreaterThan(1);
        assertThat(chain.subList(0, chain.size() - 1)).allSatisfy(run -> assertThat(run.complete()).isFalse());
        assertThat(chain.get(chain.size() - 1).complete()).isTrue();
        Set<String> left = new TreeSet<>(before);
        left.removeAll(expired);
        assertThat(keys()).isEqualTo(left);
        assertThat(chain.stream().mapToLong(SweepSummary::deleted).sum()).isEqualTo(expired.size());
        assertThat(log.events("chainSummary")).singleElement().satisfies(line -> {
            assertThat(line).containsEntry("links", chain.size()).containsEntry("chainStoppedBy", "complete")
                    .containsEntry("deleted", expired.size()).containsEntry("failed", 0)
                    .containsEntry("complete", true);
            assertThat(((Number) line.get("scanned")).longValue()).isGreaterThanOrEqualTo(before.size() - 1);
        });
    }

    @Test
    void aFlatPrefixIsSweptByAChainAsByOneRun() {
        Set<String> expired = new TreeSet<>();
        for (int i = 0; i < 4_500; i++) {
            put(String.format("backups/%05d.gz", i), i % 4 != 0, expired);
        }
        Set<String> left = keys();
        left.removeAll(expired);

        List<SweepSummary> chain = chain(env(), Map.of());

        assertThat(chain).as("a run per page at least").hasSizeGreaterThanOrEqualTo(4);
        assertThat(keys()).isEqualTo(left);
        assertThat(log.events("chainSummary")).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("deleted", expired.size()).containsEntry("expired", expired.size())
                .containsEntry("scanned", 4_500).containsEntry("chainStoppedBy", "complete"));
    }

    @Test
    void eachRunResumesAfterTheKeyThePreviousOneReachedWithTheChainsState() {
        fillNestedAndFlat();

        List<SweepSummary> chain = chain(env(), Map.of("trigger", "nightly", "dryRun", true));

        List<LambdaInvokeEndpoint.Request> invokes = lambda.received();
        assertThat(invokes).hasSize(chain.size() - 1);
        for (int i = 0; i < invokes.size(); i++) {
            Map<String, Object> next = LambdaInvokeEndpoint.asEvent(invokes.get(i).body());
            assertThat(invokes.get(i).function()).isEqualTo(FUNCTION);
            assertThat(invokes.get(i).invocationType()).isEqualTo("Event");
            assertThat(next).containsEntry("trigger", "nightly").containsEntry("dryRun", true)
                    .containsEntry("startAfter", chain.get(i).resumeAfter());
            @SuppressWarnings("unchecked")
            Map<String, Object> state = (Map<String, Object>) next.get("chain");
            assertThat(state).containsEntry("link", i + 2).containsEntry("startedAt", NOW.toString());
        }
        assertThat(chain).allSatisfy(run -> assertThat(run.cutoff()).isEqualTo(chain.get(0).cutoff()));
        assertThat(log.events("chainContinued")).hasSize(chain.size() - 1);
    }

    /** A clock the test moves on: two days between runs, so objects young at the chain's start are old later. */
    private static final class MovingClock extends Clock {
        private volatile Instant now = NOW;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }
    }

    @Test
    void everyRunDecidesAgainstTheChainsStartSoObjectsThatAgeDuringTheChainStay() {
        Set<String> expired = fillNestedAndFlat();
        Set<String> young = new TreeSet<>(keys());
        young.removeAll(expired);
        young.remove("backups-archive/old.gz");
        MovingClock clock = new MovingClock();
        SweepHandler handler = new SweepHandler(env(), clock, S3ClientFactory::create, log);

        runs.add(handler.handleRequest(Map.of(), shortContext()));
        lambda.drain(body -> {
            clock.advance(Duration.ofDays(2));
            runs.add(handler.handleRequest(LambdaInvokeEndpoint.asEvent(body), shortContext()));
        }, 1000);

        assertThat(runs).hasSizeGreaterThan(1)
                .allSatisfy(run -> assertThat(run.cutoff()).isEqualTo("2026-10-27T03:00:00Z"));
        assertThat(keys()).as("29 days old at the chain's start, 31 or more by its later runs").containsAll(young);
        assertThat(keys()).doesNotContainAnyElementsOf(expired);
    }

    @Test
    void aChainThatBeganAsADryRunStaysOneWhenDryRunIsTurnedOffMeanwhile() {
        fillNestedAndFlat();
        Set<String> before = keys();
        Map<String, String> dry = env();
        dry.put("DRY_RUN", "true");
        Map<String, String> redeployed = env();
        redeployed.put("DRY_RUN", "false");

        runs.add(new SweepHandler(dry, CLOCK, S3ClientFactory::create, log).handleRequest(Map.of(), shortContext()));
        SweepHandler after = new SweepHandler(redeployed, CLOCK, S3ClientFactory::create, log);
        lambda.drain(body -> runs.add(after.handleRequest(LambdaInvokeEndpoint.asEvent(body), shortContext())), 1000);

        assertThat(runs).hasSizeGreaterThan(1).allSatisfy(run -> assertThat(run.dryRun()).isTrue());
        assertThat(keys()).isEqualTo(before);
    }

    @Test
    void theChainStopsAtMaxChainLinksAndSaysWhereTheNextTickGoesOn() {
        fillNestedAndFlat();
        Map<String, String> env = env();
        env.put("MAX_CHAIN_LINKS", "2");

        List<SweepSummary> chain = chain(env, Map.of());

        assertThat(chain).hasSize(2);
        assertThat(log.events("chainSummary")).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("links", 2).containsEntry("chainStoppedBy", "maxChainLinks")
                .containsEntry("complete", false).containsEntry("resumeAfter", chain.get(1).resumeAfter())
                .containsEntry("level", "WARN"));
    }

    @Test
    void oneLinkIsARunThatNeverContinues() {
        fillNestedAndFlat();
        Map<String, String> env = env();
        env.put("MAX_CHAIN_LINKS", "1");

        List<SweepSummary> chain = chain(env, Map.of());

        assertThat(chain).singleElement().satisfies(run -> assertThat(run.complete()).isFalse());
        assertThat(lambda.received()).isEmpty();
        assertThat(log.events("chainSummary")).isEmpty();
    }

    @Test
    void maxDeletesCountsForTheWholeChain() {
        Set<String> expired = fillNestedAndFlat();
        Map<String, String> env = env();
        env.put("MAX_DELETES", "2500");

        List<SweepSummary> chain = chain(env, Map.of());

        assertThat(chain).hasSizeGreaterThan(1);
        assertThat(chain.stream().mapToLong(SweepSummary::deleted).sum()).isEqualTo(2500);
        assertThat(expired.size() - countExpiredLeft(expired)).isEqualTo(2500);
        assertThat(log.events("chainSummary")).singleElement().satisfies(line -> assertThat(line)
                .containsEntry("chainStoppedBy", "maxDeletes").containsEntry("deleted", 2500));
    }

    private int countExpiredLeft(Set<String> expired) {
        Set<String> left = keys();
        left.retainAll(expired);
        return left.size();
    }

    @Test
    void eachRunOfAChainKeepsItsOwnNewestSoAChainNeverKeepsFewerThanOneRun() {
        // 3 sub-prefixes of old objects, the newest in the first: one run keeps those 5; a chain's later runs
        // keep their own 5 newest as well.
        for (int sub = 0; sub < 3; sub++) {
            for (int i = 0; i < 1_500; i++) {
                server.putFile(bucket, String.format("backups/s%d/%05d", sub, i), "x",
                        NOW.minus(Duration.ofDays(100 + sub)).minusSeconds(i));
            }
        }
        Map<String, String> env = env();
        env.put("KEEP_LATEST", "5");

        List<SweepSummary> chain = chain(env, Map.of());

        Set<String> left = keys();
        assertThat(chain).hasSizeGreaterThan(1);
        assertThat(left).as("the 5 newest of all").contains("backups/s0/00000", "backups/s0/00001",
                "backups/s0/00002", "backups/s0/00003", "backups/s0/00004");
        assertThat(left.size()).as("at least what one run keeps, at most 5 per run")
                .isBetween(5, 5 * chain.size());
        assertThat(chain.stream().mapToLong(SweepSummary::keptLatest).sum()).isEqualTo(left.size());
    }

    /**
     * A server that ignores start-after (a broken S3-compatible one) gives every run the same first page: the second
     * run does not move resumeAfter on, and the chain stops there instead of running MAX_CHAIN_LINKS times in vain.
     */
    @Test
    void aChainThatCannotAdvanceStopsAndSaysWhy(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (io.github.s3sweeper.testing.EmbeddedS3 unsigned =
                     io.github.s3sweeper.testing.EmbeddedS3.filesystemUnsigned(dir);
             io.github.s3sweeper.bench.ModelProxy broken = new io.github.s3sweeper.bench.ModelProxy(
                     unsigned.endpoint(), new io.github.s3sweeper.bench.ModelProxy.Model(Duration.ZERO,
                     Duration.ZERO, 0)).ignoringStartAfter();
             var client = io.github.s3sweeper.testing.S3TestClients.client(unsigned.endpoint(), "any", "any")) {
            client.createBucket(b -> b.bucket("stuck"));
            for (int i = 0; i < 3_000; i++) {
                unsigned.putFile("stuck", String.format("backups/%05d", i), "x", NOW.minus(Duration.ofDays(40)));
            }
            Map<String, String> env = env();
            env.put("BUCKET_NAME", "stuck");
            env.put("AWS_ENDPOINT_URL_S3", broken.endpoint().toString());
            // One chain of pages, each run stopping after its first: the same first page every time.
            env.put("LIST_CONCURRENCY", "1");

            List<SweepSummary> chain = chain(env, Map.of("dryRun", true));

            assertThat(chain).hasSize(2);
            assertThat(chain.get(1).resumeAfter()).isEqualTo(chain.get(0).resumeAfter());
            assertThat(log.events("chainSummary")).singleElement().satisfies(line -> assertThat(line)
                    .containsEntry("chainStoppedBy", "noProgress").containsEntry("links", 2)
                    .containsEntry("level", "WARN"));
        }
    }

    /**
     * S3 refuses three keys of the first DeleteObjects (AccessDenied, as a bucket policy would): that run still hands
     * on rather than fail (Lambda's retry of it would start a second chain), the rest of the prefix is swept, and the
     * chain's summary counts the three at ERROR.
     */
    @Test
    void keysRefusedInAnEarlyRunAreReportedAndTheChainStillSweepsTheRest(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // Unsigned: the proxy's forwarded requests no longer match their signatures.
        try (io.github.s3sweeper.testing.EmbeddedS3 unsigned =
                     io.github.s3sweeper.testing.EmbeddedS3.filesystemUnsigned(dir);
             var client = io.github.s3sweeper.testing.S3TestClients.client(unsigned.endpoint(), "any", "any");
             io.github.s3sweeper.testing.FaultProxy proxy =
                     io.github.s3sweeper.testing.FaultProxy.start(unsigned.endpoint())) {
            client.createBucket(b -> b.bucket("refusing"));
            Set<String> expired = fillNestedAndFlat(unsigned, "refusing");
            proxy.inject(io.github.s3sweeper.testing.FaultProxy.Rule.keyErrors("AccessDenied", 3,
                    io.github.s3sweeper.testing.FaultProxy.Plan.first(1)));
            Map<String, String> env = env();
            env.put("BUCKET_NAME", "refusing");
            env.put("AWS_ENDPOINT_URL_S3", proxy.endpoint().toString());

            List<SweepSummary> chain = chain(env, Map.of());

            Set<String> refused = new TreeSet<>();
            proxy.refusedKeys().forEach(key -> refused.add(key.key()));
            assertThat(refused).hasSize(3);
            assertThat(chain).hasSizeGreaterThan(1);
            assertThat(chain.get(0).failed()).isEqualTo(3);
            assertThat(chain.get(chain.size() - 1).complete()).isTrue();
            Set<String> left = new TreeSet<>(io.github.s3sweeper.testing.S3TestClients.keys(client, "refusing"));
            left.retainAll(expired);
            assertThat(left).as("expired keys left").isEqualTo(refused);
            assertThat(log.events("chainSummary")).singleElement().satisfies(line -> assertThat(line)
                    .containsEntry("level", "ERROR").containsEntry("failed", 3)
                    .containsEntry("deleted", expired.size() - 3).containsEntry("chainStoppedBy", "complete"));
        }
    }

    @Test
    void aThrottledInvokeIsTriedAgain() {
        fillNestedAndFlat();
        lambda.failNext(429);

        List<SweepSummary> chain = chain(env(), Map.of());

        assertThat(chain.get(chain.size() - 1).complete()).isTrue();
        assertThat(lambda.received().size()).isEqualTo(chain.size());
    }

    @Test
    void anInvokeLambdaRefusesFailsTheRunNamingLambdasAnswer() {
        fillNestedAndFlat();
        lambda.failNext(403);
        SweepHandler handler = new SweepHandler(env(), CLOCK, S3ClientFactory::create, log);

        assertThatThrownBy(() -> handler.handleRequest(Map.of(), shortContext()))
                .isInstanceOf(LambdaInvoker.InvokeFailedException.class)
                .hasMessageContaining("HTTP 403").hasMessageContaining(FUNCTION);
        assertThat(log.events("summary")).singleElement()
                .satisfies(line -> assertThat(line).containsEntry("complete", false));
    }

    @Test
    void outsideLambdaARunStoppedByItsBudgetDoesNotContinue() {
        fillNestedAndFlat();
        Map<String, String> env = env();
        env.remove("AWS_LAMBDA_FUNCTION_NAME");

        List<SweepSummary> chain = chain(env, Map.of());

        assertThat(chain).singleElement().satisfies(run -> assertThat(run.complete()).isFalse());
        assertThat(lambda.received()).isEmpty();
    }
}
