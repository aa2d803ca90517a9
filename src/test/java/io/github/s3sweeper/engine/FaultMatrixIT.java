package io.github.s3sweeper.engine;

import io.github.s3sweeper.aws.S3ClientFactory;
import io.github.s3sweeper.lambda.SweepHandler;
import io.github.s3sweeper.report.SweepSummary;
import io.github.s3sweeper.testing.EmbeddedS3;
import io.github.s3sweeper.testing.FaultProxy;
import io.github.s3sweeper.testing.FaultProxy.Fault;
import io.github.s3sweeper.testing.FaultProxy.Kind;
import io.github.s3sweeper.testing.FaultProxy.Plan;
import io.github.s3sweeper.testing.FaultProxy.Rule;
import io.github.s3sweeper.testing.LogLines;
import io.github.s3sweeper.testing.MotoServer;
import io.github.s3sweeper.testing.S3TestClients;
import io.github.s3sweeper.testing.TemporarySystemProperties;
import io.github.s3sweeper.testing.TestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.TestAbortedException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real handler ({@link SweepHandler}, the production client from {@code AWS_ENDPOINT_URL_S3}) against real S3
 * servers behind {@link FaultProxy}: every fault × {on listing, on deletes} × {flat keys, keys in 10 sub-prefixes} ×
 * {sequential, concurrent}, on s3proxy's filesystem store (exact ages) and on moto (two upload rounds).
 *
 * <p>A transient fault (SlowDown, InternalError, an answer cut short, a reset connection, an answer that stalls
 * past the client's attempt timeout, per-key SlowDown or InternalError) must not change the outcome: the same run
 * completes and deletes exactly the expired objects. A permanent one (AccessDenied or NoSuchBucket on listing,
 * AccessDenied on keys) fails the run with a one-line cause and an exact summary, and a second run without the fault
 * finishes the job. Either way nothing that should stay is deleted.
 *
 * <p>On moto every object costs an upload (several milliseconds of moto's CPU each), so by default each fault runs
 * there once, on listing and deletes in the same run where it applies to both, the four layout × concurrency
 * combinations taking turns; {@code -Dfaults.moto=full} runs the whole matrix there too. The seed of the
 * random-rate case is printed and is set with {@code -Dfaults.seed=N}. The results, with each case's wall time, go to
 * {@code target/fault-matrix.md}.
 */
class FaultMatrixIT {

    /** How long a stalled answer is held: three times the attempt timeout the stall cases set. */
    static final Duration STALL_HOLD = Duration.ofSeconds(6);
    static final String ATTEMPT_TIMEOUT = "2s";
    static final int KEYS_REFUSED_PER_REQUEST = 7;
    /**
     * The random-rate case's seed. With one sender and one listing chain it fixes which requests fail; with several
     * in flight it fixes the sequence of draws, while the order in which requests take them varies.
     */
    static final long SEED = Long.getLong("faults.seed", 20261201L);
    /** Per fault and kind; a pick is spared when it falls on the client's last attempt. */
    static final double RANDOM_RATE = 0.2;
    private static final boolean MOTO_FULL = "full".equals(System.getProperty("faults.moto"));
    private static final Path REPORT = Path.of("target", "fault-matrix.md");

    enum Side {
        LISTING("on listing"), DELETES("on deletes"), BOTH("on listing and deletes");

        final String label;

        Side(String label) {
            this.label = label;
        }
    }

    enum Layout {
        FLAT("flat keys", "flat/"), SUB_PREFIXES("10 sub-prefixes", "nested/");

        final String label;
        final String prefix;

        Layout(String label, String prefix) {
            this.label = label;
            this.prefix = prefix;
        }

        /** The keys under the prefix, in S3's order; every other one (from the first) is the expired half. */
        List<String> keys() {
            List<String> keys = new ArrayList<>();
            if (this == FLAT) {
                for (int i = 0; i < 2500; i++) {
                    keys.add(String.format("flat/obj-%04d", i));
                }
            } else {
                for (int d = 0; d < 10; d++) {
                    for (int i = 0; i < 250; i++) {
                        keys.add(String.format("nested/d%02d/obj-%03d", d, i));
                    }
                }
                for (int i = 0; i < 10; i++) {
                    keys.add(String.format("nested/top-%02d", i));
                }
            }
            return keys;
        }

        List<Set<String>> halves() {
            List<String> keys = keys();
            Set<String> first = new TreeSet<>();
            Set<String> second = new TreeSet<>();
            for (int i = 0; i < keys.size(); i++) {
                (i % 2 == 0 ? first : second).add(keys.get(i));
            }
            return List.of(first, second);
        }
    }

    /** Objects outside both prefixes, older than anything: siblings that share the prefix's first letters. */
    static final List<String> OUTSIDE = List.of("flat-archive/obj-0000", "flat-archive/obj-0001", "flatx",
            "FLAT/obj-0000", "nested-old/d00/obj-000", "nestedx", "NESTED/d00/obj-000", "archive/flat/obj-0000");

    enum Mode {
        SEQUENTIAL(1, 1), CONCURRENT(16, 4);

        final int listConcurrency;
        final int deleteConcurrency;

        Mode(int listConcurrency, int deleteConcurrency) {
            this.listConcurrency = listConcurrency;
            this.deleteConcurrency = deleteConcurrency;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT) + " (list " + listConcurrency + ", delete " + deleteConcurrency + ")";
        }
    }

    enum Injection {
        SLOW_DOWN("SlowDown 503", true, Side.LISTING, Side.DELETES),
        INTERNAL_ERROR("InternalError 500", true, Side.LISTING, Side.DELETES),
        CUT_BODY("body cut short", true, Side.LISTING, Side.DELETES),
        RESET("connection reset", true, Side.LISTING, Side.DELETES),
        STALL("answer stalled past the attempt timeout", true, Side.LISTING, Side.DELETES),
        KEY_TRANSIENT("per-key SlowDown, then per-key InternalError", true, Side.DELETES),
        RANDOM_MIX("SlowDown, InternalError, reset at 20% each, seeded", true, Side.BOTH),
        ACCESS_DENIED("AccessDenied 403", false, Side.LISTING),
        NO_SUCH_BUCKET("NoSuchBucket 404", false, Side.LISTING),
        KEY_ACCESS_DENIED("per-key AccessDenied", false, Side.DELETES);

        final String label;
        final boolean transientFault;
        final List<Side> sides;

        Injection(String label, boolean transientFault, Side... sides) {
            this.label = label;
            this.transientFault = transientFault;
            this.sides = List.of(sides);
        }

        boolean keyErrors() {
            return this == KEY_TRANSIENT || this == KEY_ACCESS_DENIED;
        }
    }

    record Case(String server, Injection injection, Side side, Layout layout, Mode mode) {
        @Override
        public String toString() {
            return "[" + server + "] " + injection.label + " " + side.label + ", " + layout.label + ", " + mode.label();
        }
    }

    /** A bucket ready for one case: what the run must delete and what must be left. */
    /** @param age the age setting: RETENTION_DAYS or OLDER_THAN, and its value */
    record Prepared(Layout layout, String bucket, String prefix, Clock clock, Map<String, String> age,
                    Set<String> expired,
                    Set<String> expectedAfter) {
    }

    interface Fixture extends AutoCloseable {
        String name();

        URI endpoint();

        S3Client admin();

        Prepared prepare(Layout layout);

        /** The case is over; when it failed, the bucket may hold anything. */
        default void finished(Prepared prepared, boolean passed) {
        }
    }

    /** @param failure the first run's failure message, for a permanent fault */
    record Result(Case testCase, String outcome, double seconds, double runSeconds, String faults, String failure) {
    }

    private static final List<Result> RESULTS = new CopyOnWriteArrayList<>();
    private static final Map<String, Fixture> FIXTURES = new LinkedHashMap<>();
    private static final Map<String, FaultProxy> PROXIES = new HashMap<>();

    @TempDir
    static Path storage;

    /** What the case's first run saw and took: for the report, since a second run resets the proxy. */
    private String faults = "";
    private double runSeconds;
    private String failure = "";

    /**
     * The handler's client takes the SDK's default credentials: the matrix pins them for itself, whatever an earlier
     * test class in this JVM left behind (a session token makes s3proxy answer every request 501 NotImplemented).
     */
    private static TemporarySystemProperties credentials;

    @BeforeAll
    static void startServers() throws IOException {
        credentials = new TemporarySystemProperties().set("aws.accessKeyId", EmbeddedS3.ACCESS_KEY)
                .set("aws.secretAccessKey", EmbeddedS3.SECRET_KEY).clear("aws.sessionToken");
        System.err.println("FaultMatrixIT: seed of the random-rate cases " + SEED + " (rerun with -Dfaults.seed="
                + SEED + ")");
        add(new S3ProxyFixture(storeDir()));
        Optional<Path> moto = MotoServer.executable();
        if ("true".equals(System.getenv("REQUIRE_MOTO"))) {
            assertThat(moto).as(MotoServer.INSTALL_HINT).isPresent();
        } else if (moto.isEmpty()) {
            System.err.println("[SKIPPED] FaultMatrixIT on moto: " + MotoServer.INSTALL_HINT);
        }
        boolean motoCases = cases().anyMatch(c -> c.server().equals("moto"));
        moto.ifPresent(path -> add(new MotoFixture(MotoServer.start(path, Path.of("target", "moto-fault-matrix.log")),
                motoCases)));
    }

    /**
     * s3proxy's files live in memory where the machine has a tmpfs at /dev/shm (writing 2,500 files there takes a
     * tenth of the time it takes on a busy disk), else in the test's temporary directory.
     */
    private static Path storeDir() throws IOException {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return Files.createTempDirectory(shm, "fault-matrix-");
        }
        return storage;
    }

    private static void add(Fixture fixture) {
        FIXTURES.put(fixture.name(), fixture);
        PROXIES.put(fixture.name(), FaultProxy.start(fixture.endpoint()));
    }

    @AfterAll
    static void stopServersAndReport() throws Exception {
        for (FaultProxy proxy : PROXIES.values()) {
            proxy.close();
        }
        for (Fixture fixture : FIXTURES.values()) {
            fixture.close();
        }
        credentials.close();
        writeReport();
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (Injection injection : Injection.values()) {
            for (Side side : injection.sides) {
                for (Layout layout : Layout.values()) {
                    for (Mode mode : Mode.values()) {
                        cases.add(new Case("s3proxy", injection, side, layout, mode));
                    }
                }
            }
        }
        // moto: each fault once, on listing and deletes in the same run where it applies to both, the four layout x
        // concurrency combinations taking turns (every upload costs moto several milliseconds of CPU).
        Layout[] layouts = {Layout.FLAT, Layout.SUB_PREFIXES, Layout.FLAT, Layout.SUB_PREFIXES};
        Mode[] modes = {Mode.SEQUENTIAL, Mode.CONCURRENT, Mode.CONCURRENT, Mode.SEQUENTIAL};
        int turn = 0;
        for (Injection injection : Injection.values()) {
            if (MOTO_FULL) {
                for (Side side : injection.sides) {
                    for (Layout layout : Layout.values()) {
                        for (Mode mode : Mode.values()) {
                            cases.add(new Case("moto", injection, side, layout, mode));
                        }
                    }
                }
            } else {
                Side side = injection.sides.size() > 1 ? Side.BOTH : injection.sides.get(0);
                cases.add(new Case("moto", injection, side, layouts[turn % 4], modes[turn % 4]));
                turn++;
            }
        }
        // -Dfaults.only=REGEX runs the cases whose name matches, for working on one of them.
        String only = System.getProperty("faults.only");
        return cases.stream().filter(c -> only == null || java.util.regex.Pattern.compile(only).matcher(c.toString()).find());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void faultMatrix(Case testCase) {
        long start = System.nanoTime();
        String outcome = "passed";
        FaultProxy proxy = PROXIES.get(testCase.server());
        try {
            assumeTrue(FIXTURES.containsKey(testCase.server()), MotoServer.INSTALL_HINT);
            run(testCase, FIXTURES.get(testCase.server()), proxy);
        } catch (TestAbortedException e) {
            outcome = "skipped";
            throw e;
        } catch (Throwable e) {
            outcome = "FAILED: " + firstLine(e.getMessage());
            throw e;
        } finally {
            RESULTS.add(new Result(testCase, outcome, (System.nanoTime() - start) / 1e9, runSeconds, faults, failure));
        }
    }

    private void run(Case testCase, Fixture fixture, FaultProxy proxy) {
        Prepared prepared = fixture.prepare(testCase.layout());
        boolean passed = false;
        try {
            proxy.reset();
            install(testCase, proxy);
            Map<String, String> env = env(testCase, prepared, proxy);
            Run run = sweep(env, prepared.clock());
            runSeconds = run.seconds();
            failure = run.failure() == null ? "" : run.failure().getMessage();
            faults = proxy.injected() + " (" + faultCounts(proxy) + ")";
            Set<String> after = keys(fixture.admin(), prepared.bucket());
            String context = testCase + "\n" + proxy.describe() + "\n" + run;

            assertThat(after).as("nothing that should stay was deleted: " + context)
                    .containsAll(prepared.expectedAfter());
            if (testCase.injection().transientFault) {
                assertCompletedDespite(testCase, prepared, proxy, run, after, context);
            } else {
                assertFailedExactly(testCase, prepared, proxy, run, after, context);
                proxy.reset();
                Run second = sweep(env, prepared.clock());
                Set<String> afterSecond = keys(fixture.admin(), prepared.bucket());
                String secondContext = "second run, without faults: " + context + "\n" + second;
                assertThat(second.failure()).as(secondContext).isNull();
                assertThat(second.summary().complete()).as(secondContext).isTrue();
                assertThat(afterSecond).as(secondContext).isEqualTo(prepared.expectedAfter());
                assertThat(second.summary().deleted()).as(secondContext).isEqualTo(after.size()
                        - prepared.expectedAfter().size());
            }
            passed = true;
        } finally {
            fixture.finished(prepared, passed);
        }
    }

    private static void install(Case testCase, FaultProxy proxy) {
        if (testCase.side() == Side.BOTH && testCase.injection() != Injection.RANDOM_MIX) {
            install(testCase.injection(), Kind.LIST, proxy);
            install(testCase.injection(), Kind.DELETE, proxy);
        } else {
            install(testCase.injection(), testCase.side() == Side.LISTING ? Kind.LIST : Kind.DELETE, proxy);
        }
    }

    private static void install(Injection injection, Kind kind, FaultProxy proxy) {
        // On listing the first page goes through, so a fault hits a chain part-way (or a sub-prefix's chain).
        Plan twice = kind == Kind.LIST ? Plan.first(2).skipping(1) : Plan.first(2);
        Plan once = kind == Kind.LIST ? Plan.first(1).skipping(1) : Plan.first(1);
        switch (injection) {
            // Once: the SDK backs off throttling from 1 s, exponentially (two in a row cost about 5 s).
            case SLOW_DOWN -> proxy.inject(Rule.of(kind, Fault.SLOW_DOWN, once));
            case INTERNAL_ERROR -> proxy.inject(Rule.of(kind, Fault.INTERNAL_ERROR, twice));
            case CUT_BODY -> proxy.inject(Rule.of(kind, Fault.CUT_BODY, twice));
            case RESET -> proxy.inject(Rule.of(kind, Fault.RESET, twice));
            case STALL -> proxy.inject(Rule.stall(kind, once, STALL_HOLD));
            case KEY_TRANSIENT -> {
                // The first DeleteObjects refuses some keys with SlowDown, the next one (a retry, or another batch)
                // some with InternalError.
                proxy.inject(Rule.keyErrors("SlowDown", KEYS_REFUSED_PER_REQUEST, Plan.first(1)));
                proxy.inject(Rule.keyErrors("InternalError", KEYS_REFUSED_PER_REQUEST, Plan.first(1)));
            }
            case KEY_ACCESS_DENIED ->
                    proxy.inject(Rule.keyErrors("AccessDenied", KEYS_REFUSED_PER_REQUEST, Plan.first(2)));
            case ACCESS_DENIED -> proxy.inject(Rule.of(Kind.LIST, Fault.ACCESS_DENIED, Plan.from(2)));
            case NO_SUCH_BUCKET -> proxy.inject(Rule.of(Kind.LIST, Fault.NO_SUCH_BUCKET, Plan.from(2)));
            case RANDOM_MIX -> {
                long seed = SEED;
                for (Kind each : List.of(Kind.LIST, Kind.DELETE)) {
                    proxy.inject(Rule.of(each, Fault.SLOW_DOWN, Plan.rate(RANDOM_RATE, seed++)));
                    proxy.inject(Rule.of(each, Fault.INTERNAL_ERROR, Plan.rate(RANDOM_RATE, seed++)));
                    proxy.inject(Rule.of(each, Fault.RESET, Plan.rate(RANDOM_RATE, seed++)));
                }
            }
        }
    }

    private static Map<String, String> env(Case testCase, Prepared prepared, FaultProxy proxy) {
        Map<String, String> env = new HashMap<>();
        env.put("BUCKET_NAME", prepared.bucket());
        env.put("PREFIX", prepared.prefix());
        env.putAll(prepared.age());
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL_S3", proxy.endpoint().toString());
        env.put("LIST_CONCURRENCY", String.valueOf(testCase.mode().listConcurrency));
        env.put("DELETE_CONCURRENCY", String.valueOf(testCase.mode().deleteConcurrency));
        if (testCase.injection() == Injection.STALL) {
            env.put("S3_ATTEMPT_TIMEOUT", ATTEMPT_TIMEOUT);
        }
        return env;
    }

    /** What a run of the handler gave: its summary, or the failure it threw (which carries the summary). */
    record Run(SweepSummary summary, SweepFailedException failure, RuntimeException other, double seconds) {
        @Override
        public String toString() {
            if (other != null) {
                return "the run threw " + other;
            }
            return (failure != null ? "the run failed: " + failure.getMessage() + "\n" : "the run succeeded\n")
                    + "summary: " + summary.toJson();
        }
    }

    private static Run sweep(Map<String, String> env, Clock clock) {
        SweepHandler handler = new SweepHandler(env, clock, S3ClientFactory::create, new LogLines());
        long start = System.nanoTime();
        try {
            SweepSummary summary = handler.handleRequest(Map.of(), new TestContext());
            return new Run(summary, null, null, (System.nanoTime() - start) / 1e9);
        } catch (SweepFailedException e) {
            return new Run(e.summary(), e, null, (System.nanoTime() - start) / 1e9);
        } catch (RuntimeException e) {
            return new Run(null, null, e, (System.nanoTime() - start) / 1e9);
        }
    }

    private static void assertCompletedDespite(Case testCase, Prepared prepared, FaultProxy proxy, Run run,
                                               Set<String> after, String context) {
        assertThat(run.other()).as(context).isNull();
        assertThat(run.failure()).as("a transient fault failed the run: " + context).isNull();
        SweepSummary summary = run.summary();
        assertThat(summary.complete()).as(context).isTrue();
        assertThat(summary.failed()).as(context).isZero();
        assertThat(summary.expired()).as(context).isEqualTo(prepared.expired().size());
        assertThat(summary.deleted()).as(context).isEqualTo(prepared.expired().size());
        assertThat(after).as(context).isEqualTo(prepared.expectedAfter());
        assertThat(proxy.injected()).as("the fault happened: " + context).isPositive();
        if (testCase.side() == Side.BOTH && testCase.injection() != Injection.RANDOM_MIX) {
            assertThat(proxy.injected(Kind.LIST)).as("the fault happened on listing: " + context).isPositive();
            assertThat(proxy.injected(Kind.DELETE)).as("the fault happened on deletes: " + context).isPositive();
        }
        if (testCase.injection() == Injection.STALL) {
            assertThat(proxy.stallsAbandoned())
                    .as("the client gave up on the stalled answer (S3_ATTEMPT_TIMEOUT=" + ATTEMPT_TIMEOUT + ") rather"
                            + " than wait out its " + STALL_HOLD.toSeconds() + " s: " + context)
                    .isPositive();
        }
        if (testCase.injection().keyErrors()) {
            assertThat(proxy.refusedKeys()).as(context).isNotEmpty();
        }
    }

    private static void assertFailedExactly(Case testCase, Prepared prepared, FaultProxy proxy, Run run,
                                            Set<String> after, String context) {
        assertThat(run.other()).as(context).isNull();
        assertThat(run.failure()).as("a permanent fault must fail the run: " + context).isNotNull();
        String message = run.failure().getMessage();
        assertThat(message).as(context).doesNotContain("\n");
        SweepSummary summary = run.summary();
        Set<String> before = new TreeSet<>(prepared.expectedAfter());
        before.addAll(prepared.expired());
        Set<String> gone = new TreeSet<>(before);
        gone.removeAll(after);
        assertThat(prepared.expired()).as("only expired objects left the bucket: " + context).containsAll(gone);
        assertThat(summary.deleted()).as("deleted is what really left the bucket: " + context).isEqualTo(gone.size());
        assertThat(summary.deleted() + summary.failed() + summary.locked() + summary.leftByCap())
                .as("every chosen entry is accounted for: " + context).isEqualTo(summary.expired());
        assertThat(summary.failure()).as(context).isEqualTo(message);
        if (testCase.injection().keyErrors()) {
            int refused = proxy.refusedKeys().size();
            assertThat(refused).as(context).isPositive();
            assertThat(message).as(context).contains("could not be deleted (AccessDenied ×" + refused + ")");
            assertThat(summary.complete()).as(context).isTrue();
            assertThat(summary.failed()).as(context).isEqualTo(refused);
            assertThat(summary.expired()).as(context).isEqualTo(prepared.expired().size());
            Set<String> expected = new TreeSet<>(prepared.expectedAfter());
            proxy.refusedKeys().forEach(key -> expected.add(key.key()));
            assertThat(after).as(context).isEqualTo(expected);
        } else {
            assertThat(message).as(context).containsIgnoringCase(testCase.injection() == Injection.ACCESS_DENIED
                    ? "access denied (AccessDenied) to s3:ListBucket" : "does not exist (NoSuchBucket)");
            assertThat(summary.complete()).as(context).isFalse();
            assertThat(summary.stoppedBy()).as(context).isEqualTo(SweepSummary.LISTING_FAILED);
            assertThat(proxy.injected(Kind.LIST)).as(context).isPositive();
        }
    }

    /**
     * S3's 501 NotImplemented ("A header you provided implies functionality that is not implemented") is permanent,
     * and the SDK does not retry it; a run should fail after the SDK's attempts, as for AccessDenied.
     */
    @Test
    void notImplementedFailsTheRunWithoutRoundsOfRetries() {
        Fixture fixture = FIXTURES.get("s3proxy");
        FaultProxy proxy = PROXIES.get("s3proxy");
        Prepared prepared = fixture.prepare(Layout.FLAT);
        boolean passed = false;
        try {
            proxy.reset();
            proxy.inject(Rule.of(Kind.LIST, Fault.NOT_IMPLEMENTED, Plan.from(0)));
            Run run = sweep(env(new Case("s3proxy", Injection.ACCESS_DENIED, Side.LISTING, Layout.FLAT,
                    Mode.SEQUENTIAL), prepared, proxy), prepared.clock());
            String context = proxy.describe() + "\n" + run;

            assertThat(run.failure()).as(context).isNotNull();
            assertThat(run.failure().getMessage()).as(context).contains("501 NotImplemented");
            assertThat(proxy.requests(Kind.LIST)).as("one request, no retries: " + context).isEqualTo(1);
            proxy.reset();
            assertThat(sweep(env(new Case("s3proxy", Injection.ACCESS_DENIED, Side.LISTING, Layout.FLAT,
                    Mode.SEQUENTIAL), prepared, proxy), prepared.clock()).failure()).isNull();
            passed = true;
        } finally {
            fixture.finished(prepared, passed);
        }
    }

    static Set<String> keys(S3Client s3, String bucket) {
        return new TreeSet<>(S3TestClients.keys(s3, bucket));
    }

    private static String faultCounts(FaultProxy proxy) {
        return java.util.Arrays.stream(Fault.values()).filter(f -> proxy.injected(f) > 0)
                .map(f -> f.name() + " " + proxy.injected(f)).collect(Collectors.joining(", "))
                + (proxy.stallsAbandoned() > 0 ? ", abandoned " + proxy.stallsAbandoned() : "")
                + (proxy.refusedKeys().isEmpty() ? "" : ", keys refused " + proxy.refusedKeys().size());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        String line = message.strip();
        int end = line.indexOf('\n');
        line = end < 0 ? line : line.substring(0, end);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    // ------------------------------------------------------------------------------------------------- report

    private static void writeReport() throws IOException {
        if (RESULTS.isEmpty()) {
            return;
        }
        List<String> servers = RESULTS.stream().map(r -> r.testCase().server()).distinct().toList();
        StringBuilder md = new StringBuilder("# Fault matrix\n\n")
                .append("`FaultMatrixIT`, ").append(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                .append(", seed ").append(SEED).append(". Each cell: cases passed of those run, and their wall time"
                        + " in seconds (min–max).\n\n");
        md.append("| fault | side |");
        servers.forEach(s -> md.append(' ').append(s).append(" |"));
        md.append("\n|---|---|");
        servers.forEach(s -> md.append("---|"));
        md.append('\n');
        for (Injection injection : Injection.values()) {
            for (Side side : Side.values()) {
                if (RESULTS.stream().noneMatch(r -> r.testCase().injection() == injection
                        && r.testCase().side() == side)) {
                    continue;
                }
                md.append("| ").append(injection.label).append(injection.transientFault ? "" : " (permanent)")
                        .append(" | ").append(side.label).append(" |");
                for (String server : servers) {
                    List<Result> cell = RESULTS.stream().filter(r -> r.testCase().server().equals(server)
                            && r.testCase().injection() == injection && r.testCase().side() == side).toList();
                    md.append(' ').append(cell(cell)).append(" |");
                }
                md.append('\n');
            }
        }
        md.append("\n## Every case\n\nseconds: the whole case (filling the bucket, the run, a second run after a"
                + " permanent fault, the checks); run: the handler's first run alone.\n\n"
                + "| case | result | seconds | run | faults injected |\n|---|---|---|---|---|\n");
        for (Result r : RESULTS) {
            md.append("| ").append(r.testCase()).append(" | ").append(r.outcome().replace("|", "\\|")).append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f | %.1f", r.seconds(), r.runSeconds())).append(" | ")
                    .append(r.faults()).append(" |\n");
        }
        md.append("\n## What the permanent faults said\n\nThe first run's failure message, as the handler threw it.\n\n");
        for (Result r : RESULTS) {
            if (!r.testCase().injection().transientFault && !r.failure().isEmpty()) {
                md.append("- ").append(r.testCase()).append(":\n  `").append(r.failure()).append("`\n");
            }
        }
        double total = RESULTS.stream().mapToDouble(Result::seconds).sum();
        md.append(String.format(Locale.ROOT, "%nTotal: %d cases, %.1f s.%n", RESULTS.size(), total));
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, md);
        System.err.println(md);
    }

    private static String cell(List<Result> results) {
        List<Result> ran = results.stream().filter(r -> !r.outcome().equals("skipped")).toList();
        if (ran.isEmpty()) {
            return results.isEmpty() ? "—" : "skipped";
        }
        long passed = ran.stream().filter(r -> r.outcome().equals("passed")).count();
        double min = ran.stream().mapToDouble(Result::seconds).min().orElse(0);
        double max = ran.stream().mapToDouble(Result::seconds).max().orElse(0);
        String times = ran.size() == 1 ? String.format(Locale.ROOT, "%.1f s", min)
                : String.format(Locale.ROOT, "%.1f–%.1f s", min, max);
        return (passed == ran.size() ? "pass " : "**FAIL** ") + passed + "/" + ran.size() + ", " + times;
    }

    // ------------------------------------------------------------------------------------------------ servers

    /**
     * s3proxy's filesystem store without signature checks: objects are files whose mtime is their LastModified, so
     * each case gets a fresh bucket with exact ages, written straight to disk.
     */
    static final class S3ProxyFixture implements Fixture {
        private static final Instant NOW = Instant.parse("2026-11-26T03:00:00Z");
        private static final int DAYS = 30;
        private static final Instant CUTOFF = NOW.minus(Duration.ofDays(DAYS));
        private final Path dir;
        private final EmbeddedS3 server;
        private final S3Client admin;
        /** Layouts whose bucket holds exactly what the last case expected: the young half and the outside keys. */
        private final Set<Layout> clean = EnumSet.noneOf(Layout.class);
        private final Set<Layout> created = EnumSet.noneOf(Layout.class);

        S3ProxyFixture(Path dir) {
            this.dir = dir;
            this.server = EmbeddedS3.filesystemUnsigned(dir);
            this.admin = server.client();
        }

        @Override
        public String name() {
            return "s3proxy";
        }

        @Override
        public URI endpoint() {
            return server.endpoint();
        }

        @Override
        public S3Client admin() {
            return admin;
        }

        /**
         * One bucket per layout. A case that passed left exactly the young half and the outside keys, so the next
         * one only writes the expired half again; after a failed case the bucket is written afresh.
         */
        @Override
        public Prepared prepare(Layout layout) {
            String bucket = "fault-matrix-" + layout.name().toLowerCase(Locale.ROOT).replace('_', '-');
            if (created.add(layout)) {
                admin.createBucket(b -> b.bucket(bucket));
            }
            Set<String> expired = layout.halves().get(0);
            Set<String> young = layout.halves().get(1);
            if (!clean.remove(layout)) {
                emptyBucket(bucket);
                OUTSIDE.forEach(key -> server.putFile(bucket, key, "outside", NOW.minus(Duration.ofDays(400))));
                young.parallelStream().forEach(key ->
                        server.putFile(bucket, key, "young", CUTOFF.plus(Duration.ofHours(1))));
            }
            expired.parallelStream().forEach(key ->
                    server.putFile(bucket, key, "old", CUTOFF.minus(Duration.ofHours(1))));
            Set<String> after = new TreeSet<>(young);
            after.addAll(OUTSIDE);
            return new Prepared(layout, bucket, layout.prefix, Clock.fixed(NOW, ZoneOffset.UTC),
                    Map.of("RETENTION_DAYS", String.valueOf(DAYS)), expired, after);
        }

        @Override
        public void finished(Prepared prepared, boolean passed) {
            if (passed) {
                clean.add(prepared.layout());
            }
        }

        private void emptyBucket(String bucket) {
            Path bucketDir = dir.resolve(bucket);
            try (Stream<Path> files = Files.walk(bucketDir)) {
                files.sorted(Comparator.reverseOrder()).filter(path -> !path.equals(bucketDir))
                        .forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws Exception {
            admin.close();
            server.close();
            if (!dir.startsWith(storage)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }

    /**
     * moto in its own process. It sets LastModified itself, so ages come from two upload rounds with the clock placed
     * between them (as testing/TwoAges does) and {@code OLDER_THAN}: one bucket per layout, and each case uploads the
     * half of the keys that is missing, a second after a cutoff placed after the half that is there. That half is
     * then the expired one, so a case costs half the keys' uploads. The first halves are uploaded in the background
     * while the s3proxy cases run; after a failed case the bucket is emptied and filled again.
     */
    static final class MotoFixture implements Fixture {
        private static final Duration AGE = Duration.ofDays(7);
        /** moto handles uploads one at a time per core; 16 in flight measured faster than 8 or 4. */
        private static final int UPLOADERS = 16;
        private final MotoServer server;
        private final S3Client admin;
        /** For a layout whose last case passed: which half of its keys the bucket holds, uploaded before now. */
        private final Map<Layout, Integer> present = new ConcurrentHashMap<>();
        private final Map<Layout, Integer> pending = new EnumMap<>(Layout.class);
        private final CompletableFuture<Void> firstHalves;

        /** @param used whether any moto case is to run; only then are the first halves uploaded ahead */
        MotoFixture(MotoServer server, boolean used) {
            this.server = server;
            this.admin = S3TestClients.client(server.endpoint(), "moto-key", "moto-secret");
            this.firstHalves = !used ? CompletableFuture.completedFuture(null) : CompletableFuture.runAsync(() -> {
                for (Layout layout : Layout.values()) {
                    admin.createBucket(b -> b.bucket(bucket(layout)));
                    fillFirstHalf(layout);
                    present.put(layout, 0);
                }
            });
        }

        private static String bucket(Layout layout) {
            return "fault-matrix-" + layout.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        @Override
        public String name() {
            return "moto";
        }

        @Override
        public URI endpoint() {
            return server.endpoint();
        }

        @Override
        public S3Client admin() {
            return admin;
        }

        @Override
        public Prepared prepare(Layout layout) {
            firstHalves.join();
            String bucket = bucket(layout);
            List<Set<String>> halves = layout.halves();
            Integer half = present.remove(layout);
            if (half == null) {
                deleteAll(bucket, keys(admin, bucket));
                fillFirstHalf(layout);
                half = 0;
            }
            Set<String> expired = halves.get(half);
            Set<String> young = halves.get(1 - half);
            // The cutoff: just after the half that is there; the young half a full second later (moto, like S3,
            // lists LastModified to the second).
            Instant cutoff = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).plusMillis(1);
            sleepUntil(cutoff.plusMillis(1_050));
            Map<String, String> youngObjects = new LinkedHashMap<>();
            young.forEach(key -> youngObjects.put(key, "young"));
            upload(bucket, youngObjects);
            pending.put(layout, 1 - half);
            Set<String> after = new TreeSet<>(young);
            after.addAll(OUTSIDE);
            return new Prepared(layout, bucket, layout.prefix, Clock.fixed(cutoff.plus(AGE), ZoneOffset.UTC),
                    Map.of("OLDER_THAN", AGE.toDays() + "d"), expired, after);
        }

        private void fillFirstHalf(Layout layout) {
            Map<String, String> old = new LinkedHashMap<>();
            layout.halves().get(0).forEach(key -> old.put(key, "old"));
            OUTSIDE.forEach(key -> old.put(key, "outside"));
            upload(bucket(layout), old);
        }

        @Override
        public void finished(Prepared prepared, boolean passed) {
            Integer half = pending.remove(prepared.layout());
            if (passed && half != null) {
                present.put(prepared.layout(), half);
            }
        }

        private void upload(String bucket, Map<String, String> objects) {
            ExecutorService pool = Executors.newFixedThreadPool(UPLOADERS);
            try {
                List<Future<?>> puts = new ArrayList<>(objects.size());
                objects.forEach((key, body) -> puts.add(pool.submit(() ->
                        admin.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body)))));
                for (Future<?> put : puts) {
                    put.get();
                }
            } catch (Exception e) {
                throw new IllegalStateException("upload to " + bucket + " failed", e);
            } finally {
                pool.shutdownNow();
            }
        }

        private static void sleepUntil(Instant instant) {
            long wait = Duration.between(Instant.now(), instant).toMillis();
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }

        private void deleteAll(String bucket, Set<String> keys) {
            List<ObjectIdentifier> ids = keys.stream().map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            for (int i = 0; i < ids.size(); i += 1000) {
                List<ObjectIdentifier> batch = ids.subList(i, Math.min(ids.size(), i + 1000));
                admin.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
            }
        }

        @Override
        public void close() throws Exception {
            try {
                firstHalves.join();
            } catch (RuntimeException e) {
                // a failed upload has failed the first moto case already
            }
            admin.close();
            server.close();
        }
    }
}
