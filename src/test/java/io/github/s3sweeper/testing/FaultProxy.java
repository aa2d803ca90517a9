package io.github.s3sweeper.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * An HTTP proxy between an S3 client and a real S3 server that injects the faults S3 and the network produce:
 * throttling and server errors, answers cut short, connections reset, answers that stall, DeleteObjects answers that
 * refuse some keys, and permanent refusals. Faults are chosen per request kind ({@link Kind}) by {@link Rule}s, each
 * for a range of that kind's requests or at a seeded random rate.
 *
 * <p>It speaks HTTP/1.1 on raw loopback sockets, so that it can send a status line and headers and then only part of
 * the body, close a connection without an answer, or reset it (SO_LINGER 0). Requests go on to the server through
 * the JDK's HttpClient under the proxy's own Host, so the server must not check signatures (s3proxy's
 * {@code EmbeddedS3.filesystemUnsigned}, moto). Every fault that happens "after the server acted" forwards the
 * request first: the server lists or deletes, and only the answer is lost.
 */
public final class FaultProxy implements AutoCloseable {

    /** Request kinds a rule can aim at. */
    public enum Kind {
        /** ListObjectsV2, ListObjects and ListObjectVersions. */
        LIST,
        /** DeleteObjects: {@code POST /bucket?delete}. */
        DELETE,
        /** Anything else: GetBucketVersioning, HeadBucket, single-object requests. */
        OTHER
    }

    /** What the proxy does to a chosen request. */
    public enum Fault {
        /** 503 with S3's SlowDown error body; the server never sees the request. */
        SLOW_DOWN(false, true),
        /** 500 with S3's InternalError body; the server never sees the request. */
        INTERNAL_ERROR(false, true),
        /** Forwarded (the server acts); the status line, the real Content-Length and half the body, then close. */
        CUT_BODY(true, true),
        /** Forwarded (the server acts); the connection is then reset (SO_LINGER 0) with no answer at all. */
        RESET(true, true),
        /** Forwarded (the server acts); the answer is held for the rule's hold time, then sent if anyone waits. */
        STALL(true, true),
        /** DeleteObjects only: chosen keys are taken out of the request and reported as per-key errors. */
        KEY_ERRORS(true, true),
        /** 403 AccessDenied; the server never sees the request. */
        ACCESS_DENIED(false, false),
        /** 404 NoSuchBucket; the server never sees the request. */
        NO_SUCH_BUCKET(false, false),
        /** 501 NotImplemented, which S3 answers for a header it does not support; the server never sees the request. */
        NOT_IMPLEMENTED(false, false);

        private final boolean forwards;
        private final boolean transientByNature;

        Fault(boolean forwards, boolean transientByNature) {
            this.forwards = forwards;
            this.transientByNature = transientByNature;
        }

        /** True when the server receives (and acts on) the request before the fault. */
        public boolean forwards() {
            return forwards;
        }

        /** True for faults a client may retry; KEY_ERRORS depends on the code it reports. */
        public boolean isTransient() {
            return transientByNature;
        }
    }

    /**
     * Which requests of a kind a rule picks: those numbered {@code skip} to {@code skip + count - 1} (from 0, counting
     * every request of the kind the rule saw, retries included), or each with probability {@code rate} drawn from a
     * {@code Random(seed)}. A random plan never picks a request the SDK marks as its last attempt
     * ({@code amz-sdk-request: attempt=N; max=N}), so a fault at a random rate never exceeds the client's retries.
     */
    public record Plan(long skip, long count, double rate, long seed) {

        public static Plan first(long count) {
            return new Plan(0, count, 0, 0);
        }

        /** Every request of the kind from the {@code skip}-th on (0-based). */
        public static Plan from(long skip) {
            return new Plan(skip, Long.MAX_VALUE, 0, 0);
        }

        public static Plan rate(double rate, long seed) {
            return new Plan(0, Long.MAX_VALUE, rate, seed);
        }

        /** The same plan, after letting the first {@code n} requests of the kind through. */
        public Plan skipping(long n) {
            return new Plan(n, count, rate, seed);
        }

        public boolean random() {
            return rate > 0;
        }

        @Override
        public String toString() {
            if (random()) {
                return String.format(Locale.ROOT, "at rate %.2f (seed %d, last attempts spared)", rate, seed);
            }
            String range = count == Long.MAX_VALUE ? "every request" : "the first " + count + " request(s)";
            return skip == 0 ? range : range + " after " + skip;
        }
    }

    /**
     * One fault aimed at one kind of request.
     *
     * @param code          for KEY_ERRORS: the S3 error code reported for each refused key
     * @param keysPerRequest for KEY_ERRORS: how many keys of each chosen DeleteObjects are refused (spread evenly)
     * @param hold          for STALL: how long the answer is held
     */
    public record Rule(Kind kind, Fault fault, Plan plan, String code, int keysPerRequest, Duration hold) {

        public Rule {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(fault, "fault");
            Objects.requireNonNull(plan, "plan");
            if (fault == Fault.KEY_ERRORS && (kind != Kind.DELETE || code == null || keysPerRequest < 1)) {
                throw new IllegalArgumentException("KEY_ERRORS needs Kind.DELETE, a code and at least one key");
            }
        }

        public static Rule of(Kind kind, Fault fault, Plan plan) {
            return new Rule(kind, fault, plan, null, 0, Duration.ofSeconds(6));
        }

        public static Rule stall(Kind kind, Plan plan, Duration hold) {
            return new Rule(kind, Fault.STALL, plan, null, 0, hold);
        }

        public static Rule keyErrors(String code, int keysPerRequest, Plan plan) {
            return new Rule(Kind.DELETE, Fault.KEY_ERRORS, plan, code, keysPerRequest, Duration.ZERO);
        }

        @Override
        public String toString() {
            String what = switch (fault) {
                case KEY_ERRORS -> "KEY_ERRORS(" + code + " on " + keysPerRequest + " key(s) per request)";
                case STALL -> "STALL(" + hold.toMillis() + " ms)";
                default -> fault.name();
            };
            return what + " on " + kind + ", " + plan;
        }
    }

    /** A key the proxy refused in a DeleteObjects answer, and the code it gave. */
    public record RefusedKey(String key, String code) {
    }

    /** Bucket sub-resources whose GET is not a listing. */
    private static final Set<String> NOT_LISTINGS = Set.of("location", "versioning", "acl", "policy", "uploads",
            "lifecycle", "cors", "tagging", "object-lock", "encryption", "website", "logging", "notification",
            "replication", "requestPayment", "ownershipControls", "publicAccessBlock", "accelerate", "policyStatus",
            "analytics", "metrics", "inventory", "intelligent-tiering");
    /** Headers the JDK client sets itself (or refuses), and hop-by-hop headers. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "date", "expect", "from",
            "host", "upgrade", "via", "warning", "transfer-encoding", "keep-alive", "te", "trailer",
            "proxy-connection");
    private static final Pattern OBJECT = Pattern.compile("<Object>(.*?)</Object>", Pattern.DOTALL);
    private static final Pattern KEY = Pattern.compile("<Key>(.*?)</Key>", Pattern.DOTALL);
    private static final Pattern VERSION_ID = Pattern.compile("<VersionId>(.*?)</VersionId>", Pattern.DOTALL);
    private static final Pattern ATTEMPT = Pattern.compile("attempt=(\\d+);\\s*max=(\\d+)");
    private static final Map<String, String> MESSAGES = Map.of(
            "SlowDown", "Please reduce your request rate.",
            "InternalError", "We encountered an internal error. Please try again.",
            "AccessDenied", "Access Denied",
            "NoSuchBucket", "The specified bucket does not exist",
            "NotImplemented", "A header you provided implies functionality that is not implemented");

    /** -Dfaults.trace=true: one line per request on standard error, with its headers and what the proxy did. */
    private static final boolean TRACE = Boolean.getBoolean("faults.trace");

    private final URI target;
    private final ServerSocket listener;
    private final HttpClient upstream;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "fault-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<ActiveRule> rules = new CopyOnWriteArrayList<>();
    private final Map<Kind, AtomicLong> requests = counters(Kind.class);
    private final Map<Kind, AtomicLong> injectedByKind = counters(Kind.class);
    private final Map<Fault, AtomicLong> injectedByFault = counters(Fault.class);
    private final AtomicLong stallsAbandoned = new AtomicLong();
    private final AtomicLong spared = new AtomicLong();
    private final List<RefusedKey> refusedKeys = new CopyOnWriteArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private FaultProxy(URI target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        this.upstream = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(threads)
                .build();
        threads.execute(this::acceptLoop);
    }

    /** Starts a proxy on a free loopback port in front of {@code target} (an {@code http://host:port} URL). */
    public static FaultProxy start(URI target) {
        try {
            return new FaultProxy(target);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fault proxy", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /** Adds a rule; rules are tried in the order they were added, and the first that picks a request applies. */
    public FaultProxy inject(Rule rule) {
        rules.add(new ActiveRule(rule));
        return this;
    }

    /** Removes every rule and sets every counter to zero. */
    public void reset() {
        rules.clear();
        requests.values().forEach(c -> c.set(0));
        injectedByKind.values().forEach(c -> c.set(0));
        injectedByFault.values().forEach(c -> c.set(0));
        stallsAbandoned.set(0);
        spared.set(0);
        refusedKeys.clear();
        log.clear();
    }

    /** Removes every rule, keeping the counters. */
    public void clearRules() {
        rules.clear();
    }

    public long requests(Kind kind) {
        return requests.get(kind).get();
    }

    public long injected(Kind kind) {
        return injectedByKind.get(kind).get();
    }

    public long injected(Fault fault) {
        return injectedByFault.get(fault).get();
    }

    public long injected() {
        return injectedByKind.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Stalled answers whose client closed the connection before the hold ended: its attempt timed out. */
    public long stallsAbandoned() {
        return stallsAbandoned.get();
    }

    /** Every key a KEY_ERRORS rule refused, in the order it did. */
    public List<RefusedKey> refusedKeys() {
        return List.copyOf(refusedKeys);
    }

    /** The rules (with their seeds), the counters and the faults injected, for a failure message. */
    public String describe() {
        StringBuilder text = new StringBuilder("FaultProxy{rules: ")
                .append(rules.isEmpty() ? "none" : rules.stream().map(r -> r.rule.toString())
                        .collect(Collectors.joining("; ")))
                .append("; requests ").append(counts(requests))
                .append("; injected ").append(counts(injectedByKind))
                .append("; stalls abandoned by the client ").append(stallsAbandoned.get())
                .append("; random picks spared as last attempts ").append(spared.get())
                .append("; refused keys ").append(refusedKeys.size());
        List<String> faults = List.copyOf(log);
        if (!faults.isEmpty()) {
            text.append("; faults: ").append(String.join(", ", faults.subList(0, Math.min(20, faults.size()))));
            if (faults.size() > 20) {
                text.append(", …");
            }
        }
        return text.append('}').toString();
    }

    @Override
    public String toString() {
        return describe();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(FaultProxy::closeQuietly);
        threads.shutdownNow();
    }

    // ---------------------------------------------------------------------------------------------- connections

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = listener.accept();
                open.add(socket);
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                if (!closed) {
                    log.add("accept failed: " + e);
                }
            }
        }
    }

    /** Serves one client connection: request after request while the client keeps it alive. */
    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (!closed) {
                // An idle kept-alive connection is closed after a minute, as servers do.
                socket.setSoTimeout(60_000);
                Request request = Request.read(in, out);
                if (request == null) {
                    return;
                }
                socket.setSoTimeout(0);
                if (!handle(request, socket, in, out)) {
                    return;
                }
            }
        } catch (SocketTimeoutException | EOFException | SocketException e) {
            // the client went away, or stayed idle: nothing to answer
        } catch (Exception e) {
            log.add("proxy error: " + e);
        } finally {
            open.remove(socket);
        }
    }

    /** @return false when the connection is to be closed (a fault closed it, or the client asked) */
    private boolean handle(Request request, Socket socket, InputStream in, OutputStream out)
            throws IOException, InterruptedException {
        Kind kind = request.kind();
        requests.get(kind).incrementAndGet();
        Rule rule = choose(kind, request);
        if (TRACE) {
            System.err.printf("fault-proxy %tT.%<tL %s %s %s -> %s %s%n", System.currentTimeMillis(), kind,
                    request.method, request.rawTarget, rule == null ? "forwarded" : rule.fault(),
                    Request.header(request.headers, "amz-sdk-request") + " " + request.headers.keySet());
        }
        if (rule == null) {
            Answer answer = forward(request, request.body);
            answer.write(out, request.head());
            return !request.closeAfter();
        }
        injectedByKind.get(kind).incrementAndGet();
        injectedByFault.get(rule.fault()).incrementAndGet();
        log.add(rule.fault() + "@" + kind + "#" + requests.get(kind).get());
        switch (rule.fault()) {
            case SLOW_DOWN -> error(503, "SlowDown", request).write(out, false);
            case INTERNAL_ERROR -> error(500, "InternalError", request).write(out, false);
            case ACCESS_DENIED -> error(403, "AccessDenied", request).write(out, false);
            case NO_SUCH_BUCKET -> error(404, "NoSuchBucket", request).write(out, false);
            case NOT_IMPLEMENTED -> error(501, "NotImplemented", request).write(out, false);
            case CUT_BODY -> {
                Answer answer = forward(request, request.body);
                answer.writeCut(out);
                return false;
            }
            case RESET -> {
                forward(request, request.body);
                reset(socket);
                return false;
            }
            case STALL -> {
                Answer answer = forward(request, request.body);
                if (waitForClientToLeave(socket, in, rule.hold())) {
                    stallsAbandoned.incrementAndGet();
                    return false;
                }
                answer.write(out, request.head());
            }
            case KEY_ERRORS -> keyErrors(request, rule).write(out, false);
        }
        return !request.closeAfter();
    }

    private Rule choose(Kind kind, Request request) {
        for (ActiveRule active : rules) {
            if (active.rule.kind() == kind) {
                Boolean picked = active.picks(request.lastAttempt());
                if (picked == null) {
                    spared.incrementAndGet();
                } else if (picked) {
                    return active.rule;
                }
            }
        }
        return null;
    }

    /**
     * Holds the answer for {@code hold}, watching the client's side of the connection.
     *
     * @return true when the client closed it first (its attempt timed out)
     */
    private static boolean waitForClientToLeave(Socket socket, InputStream in, Duration hold) throws IOException {
        long deadline = System.nanoTime() + hold.toNanos();
        socket.setSoTimeout(50);
        try {
            while (System.nanoTime() < deadline) {
                try {
                    if (in.read() < 0) {
                        return true;
                    }
                    // A client does not send more before its answer; if it does, the connection is unusable.
                    return true;
                } catch (SocketTimeoutException e) {
                    // still waiting
                } catch (SocketException e) {
                    return true;
                }
            }
            return false;
        } finally {
            socket.setSoTimeout(0);
        }
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // closed already
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    // ------------------------------------------------------------------------------------------------- answers

    private Answer forward(Request request, byte[] body) throws IOException, InterruptedException {
        URI uri = URI.create(target + request.rawTarget);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(120))
                .method(request.method, body.length == 0 && !request.method.equals("POST")
                        && !request.method.equals("PUT") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        request.headers.forEach((name, value) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                builder.header(name, value);
            }
        });
        HttpResponse<byte[]> response = upstream.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!NOT_FORWARDED.contains(lower) && !lower.startsWith(":")) {
                headers.put(name, values);
            }
        });
        String headLength = request.head() ? response.headers().firstValue("Content-Length").orElse("0") : null;
        return new Answer(response.statusCode(), headers, response.body(), headLength);
    }

    /** S3's error document, as S3 sends it. */
    private static Answer error(int status, String code, Request request) {
        String bucket = request.bucket();
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>"
                + MESSAGES.get(code) + "</Message>" + (code.equals("NoSuchBucket") ? "<BucketName>" + xmlEscape(bucket)
                + "</BucketName>" : "") + "<RequestId>FAULTPROXY</RequestId><HostId>fault-proxy</HostId></Error>";
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/xml"));
        headers.put("x-amz-request-id", List.of("FAULTPROXY"));
        return new Answer(status, headers, xml.getBytes(StandardCharsets.UTF_8), null);
    }

    /**
     * Takes the rule's keys out of a DeleteObjects body, fixes the body's checksum headers, forwards the rest, and
     * adds an {@code <Error>} for each key taken out to the server's answer.
     */
    private Answer keyErrors(Request request, Rule rule) throws IOException, InterruptedException {
        String body = new String(request.body, StandardCharsets.UTF_8);
        Matcher objects = OBJECT.matcher(body);
        List<int[]> spans = new ArrayList<>();
        List<String> entries = new ArrayList<>();
        while (objects.find()) {
            spans.add(new int[]{objects.start(), objects.end()});
            entries.add(objects.group(1));
        }
        int n = entries.size();
        int refuse = Math.min(rule.keysPerRequest(), n);
        Set<Integer> chosen = new java.util.TreeSet<>();
        for (int i = 0; i < refuse; i++) {
            chosen.add((int) ((long) i * n / refuse));
        }
        StringBuilder kept = new StringBuilder();
        StringBuilder errors = new StringBuilder();
        int at = 0;
        for (int i = 0; i < n; i++) {
            int[] span = spans.get(i);
            kept.append(body, at, span[0]);
            at = span[1];
            if (chosen.contains(i)) {
                Matcher key = KEY.matcher(entries.get(i));
                Matcher version = VERSION_ID.matcher(entries.get(i));
                String rawKey = key.find() ? key.group(1) : "";
                errors.append("<Error><Key>").append(rawKey).append("</Key>");
                if (version.find()) {
                    errors.append("<VersionId>").append(version.group(1)).append("</VersionId>");
                }
                errors.append("<Code>").append(rule.code()).append("</Code><Message>")
                        .append(MESSAGES.getOrDefault(rule.code(), rule.code())).append("</Message></Error>");
                refusedKeys.add(new RefusedKey(xmlUnescape(rawKey), rule.code()));
            } else {
                kept.append(body, span[0], span[1]);
            }
        }
        kept.append(body, at, body.length());
        Answer answer;
        if (refuse == n) {
            // Nothing left to send: S3 would refuse an empty Delete, so the proxy answers alone.
            Map<String, List<String>> headers = new LinkedHashMap<>();
            headers.put("Content-Type", List.of("application/xml"));
            answer = new Answer(200, headers, ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DeleteResult"
                    + " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"></DeleteResult>")
                    .getBytes(StandardCharsets.UTF_8), null);
        } else {
            byte[] newBody = kept.toString().getBytes(StandardCharsets.UTF_8);
            fixChecksums(request.headers, newBody);
            answer = forward(request, newBody);
        }
        if (answer.status != 200) {
            return answer;
        }
        String result = new String(answer.body, StandardCharsets.UTF_8);
        int close = result.lastIndexOf("</DeleteResult>");
        if (close >= 0) {
            result = result.substring(0, close) + errors + result.substring(close);
        } else {
            Matcher selfClosing = Pattern.compile("<DeleteResult([^>]*)/>").matcher(result);
            if (!selfClosing.find()) {
                throw new IOException("not a DeleteResult: " + result);
            }
            result = result.substring(0, selfClosing.start()) + "<DeleteResult" + selfClosing.group(1) + ">" + errors
                    + "</DeleteResult>" + result.substring(selfClosing.end());
        }
        return new Answer(200, answer.headers, result.getBytes(StandardCharsets.UTF_8), null);
    }

    /**
     * A changed body needs its checksums computed again: the SDK sends {@code x-amz-checksum-crc32} (base64 of the
     * big-endian CRC32) for DeleteObjects, older clients {@code Content-MD5}; the payload hash of the signature too.
     */
    static void fixChecksums(Map<String, String> headers, byte[] body) {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            switch (name) {
                case "x-amz-checksum-crc32" -> header.setValue(crc(new CRC32(), body));
                case "x-amz-checksum-crc32c" -> header.setValue(crc(new CRC32C(), body));
                case "x-amz-checksum-sha1" -> header.setValue(Base64.getEncoder().encodeToString(digest("SHA-1", body)));
                case "x-amz-checksum-sha256" ->
                        header.setValue(Base64.getEncoder().encodeToString(digest("SHA-256", body)));
                case "content-md5" -> header.setValue(Base64.getEncoder().encodeToString(digest("MD5", body)));
                case "x-amz-content-sha256" -> {
                    if (header.getValue().matches("[0-9a-f]{64}")) {
                        header.setValue(HexFormat.of().formatHex(digest("SHA-256", body)));
                    }
                }
                default -> {
                    if (name.startsWith("x-amz-checksum-") && !name.equals("x-amz-checksum-type")
                            && !name.equals("x-amz-checksum-algorithm")) {
                        throw new IllegalStateException("the proxy cannot recompute " + header.getKey());
                    }
                }
            }
        }
    }

    static String crc(Checksum checksum, byte[] body) {
        checksum.update(body, 0, body.length);
        byte[] value = ByteBuffer.allocate(4).putInt((int) checksum.getValue()).array();
        return Base64.getEncoder().encodeToString(value);
    }

    private static byte[] digest(String algorithm, byte[] body) {
        try {
            return MessageDigest.getInstance(algorithm).digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String xmlEscape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String xmlUnescape(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }

    private static <E extends Enum<E>> Map<E, AtomicLong> counters(Class<E> type) {
        Map<E, AtomicLong> map = new EnumMap<>(type);
        for (E value : type.getEnumConstants()) {
            map.put(value, new AtomicLong());
        }
        return map;
    }

    private static <E extends Enum<E>> String counts(Map<E, AtomicLong> counters) {
        return counters.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().get())
                .collect(Collectors.joining(" "));
    }

    /** A rule with the count of requests it has seen and its own random source. */
    private static final class ActiveRule {
        final Rule rule;
        final AtomicLong seen = new AtomicLong();
        final Random random;

        ActiveRule(Rule rule) {
            this.rule = rule;
            this.random = new Random(rule.plan().seed());
        }

        /** @return true to inject, false not to, null when a random pick was spared as the client's last attempt */
        Boolean picks(boolean lastAttempt) {
            Plan plan = rule.plan();
            if (plan.random()) {
                boolean hit;
                synchronized (random) {
                    hit = random.nextDouble() < plan.rate();
                }
                if (hit && lastAttempt) {
                    return null;
                }
                return hit;
            }
            long n = seen.getAndIncrement();
            return n >= plan.skip() && n - plan.skip() < plan.count();
        }
    }

    /** What goes back to the client. */
    private record Answer(int status, Map<String, List<String>> headers, byte[] body, String headLength) {

        void write(OutputStream out, boolean head) throws IOException {
            out.write(statusAndHeaders(head ? headLength : String.valueOf(body.length)));
            if (!head && hasBody()) {
                out.write(body);
            }
            out.flush();
        }

        /** The real Content-Length, then half the body (at least one byte short), then the caller closes. */
        void writeCut(OutputStream out) throws IOException {
            out.write(statusAndHeaders(String.valueOf(body.length)));
            out.write(body, 0, Math.max(0, Math.min(body.length / 2, body.length - 1)));
            out.flush();
        }

        private boolean hasBody() {
            return status != 204 && status != 304 && status >= 200;
        }

        private byte[] statusAndHeaders(String contentLength) {
            StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status))
                    .append("\r\n");
            headers.forEach((name, values) -> values.forEach(value ->
                    head.append(name).append(": ").append(value).append("\r\n")));
            if (hasBody()) {
                head.append("Content-Length: ").append(contentLength).append("\r\n");
            }
            head.append("\r\n");
            return head.toString().getBytes(StandardCharsets.ISO_8859_1);
        }

        private static String reason(int status) {
            return switch (status) {
                case 200 -> "OK";
                case 204 -> "No Content";
                case 206 -> "Partial Content";
                case 301 -> "Moved Permanently";
                case 304 -> "Not Modified";
                case 307 -> "Temporary Redirect";
                case 400 -> "Bad Request";
                case 403 -> "Forbidden";
                case 404 -> "Not Found";
                case 409 -> "Conflict";
                case 412 -> "Precondition Failed";
                case 500 -> "Internal Server Error";
                case 501 -> "Not Implemented";
                case 503 -> "Service Unavailable";
                default -> "Status " + status;
            };
        }
    }

    /** One HTTP/1.1 request as the client sent it. */
    private static final class Request {
        final String method;
        final String rawTarget;
        final Map<String, String> headers;
        final byte[] body;

        private Request(String method, String rawTarget, Map<String, String> headers, byte[] body) {
            this.method = method;
            this.rawTarget = rawTarget;
            this.headers = headers;
            this.body = body;
        }

        /** @return null when the client closed the connection between requests */
        static Request read(InputStream in, OutputStream out) throws IOException {
            String line = readLine(in);
            while (line != null && line.isEmpty()) {
                line = readLine(in);
            }
            if (line == null) {
                return null;
            }
            String[] parts = line.split(" ");
            if (parts.length != 3) {
                throw new IOException("bad request line: " + line);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String header = readLine(in); header != null && !header.isEmpty(); header = readLine(in)) {
                int colon = header.indexOf(':');
                if (colon > 0) {
                    String name = header.substring(0, colon).trim();
                    String value = header.substring(colon + 1).trim();
                    headers.merge(name, value, (a, b) -> a + "," + b);
                }
            }
            if ("100-continue".equalsIgnoreCase(header(headers, "Expect"))) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            byte[] body;
            String length = header(headers, "Content-Length");
            if ("chunked".equalsIgnoreCase(header(headers, "Transfer-Encoding"))) {
                body = readChunked(in);
            } else if (length != null) {
                body = in.readNBytes(Integer.parseInt(length));
                if (body.length < Integer.parseInt(length)) {
                    throw new EOFException("request body cut short");
                }
            } else {
                body = new byte[0];
            }
            return new Request(parts[0], parts[1], headers, body);
        }

        static String header(Map<String, String> headers, String name) {
            for (Map.Entry<String, String> header : headers.entrySet()) {
                if (header.getKey().equalsIgnoreCase(name)) {
                    return header.getValue();
                }
            }
            return null;
        }

        private static String readLine(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b >= 0; b = in.read()) {
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.ISO_8859_1);
                    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
                }
                line.write(b);
            }
            return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
        }

        private static byte[] readChunked(InputStream in) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = readLine(in);
                if (size == null) {
                    throw new EOFException("chunked body cut short");
                }
                int semicolon = size.indexOf(';');
                int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (n == 0) {
                    for (String trailer = readLine(in); trailer != null && !trailer.isEmpty(); trailer = readLine(in)) {
                        // trailers are dropped
                    }
                    return body.toByteArray();
                }
                body.write(in.readNBytes(n));
                readLine(in);
            }
        }

        boolean head() {
            return method.equals("HEAD");
        }

        boolean closeAfter() {
            return "close".equalsIgnoreCase(header(headers, "Connection"));
        }

        /** The SDK numbers its attempts: {@code amz-sdk-request: attempt=2; max=3}. */
        boolean lastAttempt() {
            String value = header(headers, "amz-sdk-request");
            if (value == null) {
                return false;
            }
            Matcher attempt = ATTEMPT.matcher(value);
            return attempt.find() && attempt.group(1).equals(attempt.group(2));
        }

        String bucket() {
            String path = rawTarget.startsWith("/") ? rawTarget.substring(1) : rawTarget;
            int end = path.indexOf('/');
            int query = path.indexOf('?');
            if (end < 0 || (query >= 0 && query < end)) {
                end = query;
            }
            return end < 0 ? path : path.substring(0, end);
        }

        Kind kind() {
            int q = rawTarget.indexOf('?');
            String path = q < 0 ? rawTarget : rawTarget.substring(0, q);
            String query = q < 0 ? "" : rawTarget.substring(q + 1);
            String trimmed = path.startsWith("/") ? path.substring(1) : path;
            int slash = trimmed.indexOf('/');
            boolean bucketLevel = !trimmed.isEmpty() && (slash < 0 || slash == trimmed.length() - 1);
            Set<String> params = new java.util.HashSet<>();
            for (String param : query.split("&")) {
                if (!param.isEmpty()) {
                    int eq = param.indexOf('=');
                    params.add(eq < 0 ? param : param.substring(0, eq));
                }
            }
            if (bucketLevel && method.equals("GET") && params.stream().noneMatch(NOT_LISTINGS::contains)) {
                return Kind.LIST;
            }
            if (bucketLevel && method.equals("POST") && params.contains("delete")) {
                return Kind.DELETE;
            }
            return Kind.OTHER;
        }
    }
}
