package io.github.s3sweeper.bench;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory model of S3 for the benchmark (bench/throughput.py starts it in its own JVM): plain HTTP on
 * loopback, path-style, no signature checks, and S3's costs as a Lambda function sees them: a round trip on every
 * request, a service time per listing page, and a delete rate per partition, served as a queue or refused with
 * 503 SlowDown past a backlog. Answers are scheduled, not slept for, so a run's waiting costs the model no CPU and
 * no thread; it counts what each tool asked for and its own CPU, so a table can show the model was not the limit.
 *
 * <p>{@code java -cp ... io.github.s3sweeper.bench.ModelS3 [--round-trip-ms 20] [--page-ms 30]
 * [--delete-rate 3500] [--backlog-ms 1000] [--port 0]} prints {@code {"endpoint":"http://127.0.0.1:PORT"}} and
 * serves until its standard input closes. Objects come from {@code POST /__model/fill}; see bench/README.md for
 * the admin endpoints.
 */
public final class ModelS3 implements AutoCloseable {

    static {
        // Read once, when the JDK's HTTP server first loads. Without TCP_NODELAY a header write followed by a body
        // write can wait for a delayed ACK (40 ms on Linux), more than the round trip being modelled.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        // The default keeps 200 idle connections; tools with 64 workers and more each keep their own.
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "2000");
        }
    }

    /**
     * The model's costs. {@code deleteKeysPerSecond} is per partition (0: no limit); {@code backlogLimit} is how
     * much queued work a partition takes before a bucket in SlowDown mode refuses more.
     */
    public record Settings(Duration roundTrip, Duration pageTime, double deleteKeysPerSecond,
                           Duration backlogLimit) {
        /** S3 from a Lambda function in the same Region, as the issue models it. */
        public static final Settings S3_LIKE = new Settings(Duration.ofMillis(20), Duration.ofMillis(30), 3500,
                Duration.ofSeconds(1));
        /** No waiting at all: for tests of what the answers say. */
        public static final Settings INSTANT = new Settings(Duration.ZERO, Duration.ZERO, 0, Duration.ofSeconds(1));
    }

    static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
    private static final String XML_DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    private static final String OWNER_ID = ModelBucket.OWNER_ID;
    private static final byte[] CONTENTS_KEY = "<Contents><Key>".getBytes(StandardCharsets.US_ASCII);
    /** Bucket sub-resources the model does not serve: a GET with one of them is not a listing. */
    private static final Set<String> SUB_RESOURCES = Set.of("acl", "policy", "versions", "uploads", "lifecycle",
            "cors", "tagging", "object-lock", "encryption", "website", "logging", "notification", "replication",
            "requestPayment", "ownershipControls", "publicAccessBlock", "accelerate", "analytics", "metrics",
            "inventory", "intelligent-tiering", "policyStatus", "uploadId", "attributes", "retention", "legal-hold");

    private final Settings settings;
    private final Map<String, ModelBucket> buckets = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final Stats stats = new Stats();
    private final AtomicLong requestIds = new AtomicLong(0x5A17000000000000L);

    private ModelS3(Settings settings, int port) throws IOException {
        this.settings = settings;
        // Handlers only parse, decide and schedule, and a scheduled answer is written by a worker: a few threads
        // serve any number of connections waiting on the model's delays.
        workers = Executors.newFixedThreadPool(16, daemon("model-s3"));
        timer = Executors.newScheduledThreadPool(2, daemon("model-s3-timer"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.createContext("/", this::handle);
        server.setExecutor(workers);
        server.start();
    }

    public static ModelS3 start(Settings settings) throws IOException {
        return new ModelS3(settings, 0);
    }

    private static ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread thread = new Thread(r, name + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The bucket, created empty when it does not exist. */
    ModelBucket bucket(String name) {
        return buckets.computeIfAbsent(name, ModelBucket::new);
    }

    Stats stats() {
        return stats;
    }

    @Override
    public void close() {
        server.stop(0);
        timer.shutdownNow();
        workers.shutdownNow();
    }

    // ------------------------------------------------------------------------------------------------ requests

    /** An answer and what the statistics should learn when it leaves. */
    record Answer(String operation, int status, byte[] body, Map<String, String> headers, long dueNanos,
                  int oldKeysListed, boolean refused) {
    }

    private void handle(HttpExchange exchange) {
        long arrival = System.nanoTime();
        try {
            String rawPath = exchange.getRequestURI().getRawPath();
            if (rawPath.startsWith("/__model/")) {
                admin(exchange, rawPath);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            Headers headers = exchange.getRequestHeaders();
            String encoding = headers.getFirst("Content-Encoding");
            String sha = headers.getFirst("x-amz-content-sha256");
            if (encoding != null && encoding.contains("aws-chunked") || sha != null && sha.startsWith("STREAMING-")) {
                body = S3Wire.awsChunked(body);
            }
            Answer answer = route(exchange.getRequestMethod(), rawPath, exchange.getRequestURI().getRawQuery(), body,
                    arrival);
            long wait = answer.dueNanos() - System.nanoTime();
            if (wait <= 0) {
                send(exchange, answer);
            } else {
                timer.schedule(() -> workers.execute(() -> send(exchange, answer)), wait, TimeUnit.NANOSECONDS);
            }
        } catch (RuntimeException | IOException e) {
            e.printStackTrace();
            send(exchange, new Answer("Error", 500, error("InternalError", "We encountered an internal error. "
                    + "Please try again. (" + e + ")", null), Map.of(), arrival, 0, false));
        }
    }

    /** Decides the answer to one S3 request that arrived at {@code arrival}; applies deletions at once. */
    Answer route(String method, String rawPath, String rawQuery, byte[] body, long arrival) {
        String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        int slash = path.indexOf('/');
        String bucketName = new String(S3Wire.percentDecode(slash < 0 ? path : path.substring(0, slash), false),
                StandardCharsets.UTF_8);
        byte[] key = slash < 0 ? new byte[0] : S3Wire.percentDecode(path.substring(slash + 1), false);
        Map<String, String> query = S3Wire.query(rawQuery);
        String operation = operation(method, bucketName, key, query);
        stats.arrived(operation, arrival);
        long roundTrip = settings.roundTrip().toNanos();
        if (operation.startsWith("Unsupported")) {
            stats.unsupported(method + " " + (bucketName.isEmpty() ? "/" : key.length == 0 ? "/BUCKET" : "/BUCKET/KEY")
                    + (query.isEmpty() ? "" : "?" + String.join("&", new TreeSet<>(query.keySet()))));
            return new Answer(operation, 501, error("NotImplemented",
                    "A header you provided implies functionality that is not implemented", null), Map.of(),
                    arrival + roundTrip, 0, false);
        }
        if (operation.equals("ListBuckets")) {
            return new Answer(operation, 200, listBuckets(), Map.of(), arrival + roundTrip, 0, false);
        }
        ModelBucket bucket = buckets.get(bucketName);
        if (bucketName.equals(WARM_UP)) {
            Answer a = routeBucket(bucket, operation, method, key, query, body, arrival, roundTrip);
            return new Answer(a.operation(), a.status(), a.body(), a.headers(), arrival, a.oldKeysListed(),
                    a.refused());
        }
        if (bucket == null) {
            return new Answer(operation, 404, method.equals("HEAD") ? new byte[0]
                    : error("NoSuchBucket", "The specified bucket does not exist", "<BucketName>" + bucketName
                    + "</BucketName>"), Map.of(), arrival + roundTrip, 0, false);
        }
        return routeBucket(bucket, operation, method, key, query, body, arrival, roundTrip);
    }

    private Answer routeBucket(ModelBucket bucket, String operation, String method, byte[] key,
                               Map<String, String> query, byte[] body, long arrival, long roundTrip) {
        return switch (operation) {
            case "ListObjectsV2", "ListObjects" -> list(bucket, query, operation.equals("ListObjectsV2"),
                    arrival + roundTrip + settings.pageTime().toNanos());
            case "DeleteObjects" -> deleteObjects(bucket, body, arrival);
            case "DeleteObject" -> deleteObject(bucket, key, arrival);
            case "HeadObject", "GetObject" -> headOrGet(bucket, key, operation.equals("GetObject"),
                    arrival + roundTrip);
            case "HeadBucket" -> new Answer(operation, 200, new byte[0], Map.of("x-amz-bucket-region", "us-east-1"),
                    arrival + roundTrip, 0, false);
            case "GetBucketVersioning" -> new Answer(operation, 200, new Bytes(128).ascii(XML_DECLARATION)
                    .ascii("<VersioningConfiguration xmlns=\"" + NAMESPACE + "\"/>").toArray(), Map.of(),
                    arrival + roundTrip, 0, false);
            case "GetBucketLocation" -> new Answer(operation, 200, new Bytes(128).ascii(XML_DECLARATION)
                    .ascii("<LocationConstraint xmlns=\"" + NAMESPACE + "\"/>").toArray(), Map.of(),
                    arrival + roundTrip, 0, false);
            default -> throw new IllegalStateException(operation);
        };
    }

    static String operation(String method, String bucket, byte[] key, Map<String, String> query) {
        boolean sub = query.keySet().stream().anyMatch(SUB_RESOURCES::contains);
        if (bucket.isEmpty()) {
            return method.equals("GET") && query.isEmpty() ? "ListBuckets" : "Unsupported";
        }
        if (key.length == 0) {
            return switch (method) {
                case "GET" -> query.containsKey("versioning") ? "GetBucketVersioning"
                        : query.containsKey("location") ? "GetBucketLocation"
                        : sub ? "Unsupported"
                        : "2".equals(query.get("list-type")) ? "ListObjectsV2" : "ListObjects";
                case "HEAD" -> "HeadBucket";
                case "POST" -> query.containsKey("delete") ? "DeleteObjects" : "Unsupported";
                default -> "Unsupported";
            };
        }
        if (sub || query.containsKey("versionId")) {
            return "Unsupported";
        }
        return switch (method) {
            case "HEAD" -> "HeadObject";
            case "GET" -> "GetObject";
            case "DELETE" -> "DeleteObject";
            default -> "Unsupported";
        };
    }

    private Answer list(ModelBucket bucket, Map<String, String> query, boolean v2, long due) {
        String operation = v2 ? "ListObjectsV2" : "ListObjects";
        int maxKeys = 1000;
        String max = query.get("max-keys");
        if (max != null) {
            try {
                maxKeys = Math.min(1000, Integer.parseInt(max.trim()));
            } catch (NumberFormatException e) {
                maxKeys = -1;
            }
            if (maxKeys < 0) {
                return new Answer(operation, 400, error("InvalidArgument", "Provided max-keys not an integer or within "
                        + "integer range", null), Map.of(), due, 0, false);
            }
        }
        byte[] prefix = utf8(query.getOrDefault("prefix", ""));
        String delimiterText = query.get("delimiter");
        byte[] delimiter = delimiterText == null || delimiterText.isEmpty() ? null : utf8(delimiterText);
        boolean url = "url".equals(query.get("encoding-type"));
        String token = v2 ? query.get("continuation-token") : null;
        byte[] from = null;
        if (token != null) {
            try {
                from = Base64.getDecoder().decode(token);
            } catch (IllegalArgumentException e) {
                from = new byte[0];
            }
            if (from.length == 0) {
                return new Answer(operation, 400, error("InvalidArgument", "The continuation token provided is "
                        + "incorrect", null), Map.of(), due, 0, false);
            }
        }
        String afterText = query.get(v2 ? "start-after" : "marker");
        byte[] after = afterText == null || afterText.isEmpty() ? null : utf8(afterText);
        ModelBucket.Page page = bucket.list(prefix, delimiter, after, from, maxKeys);
        Bytes head = new Bytes(1024);
        head.ascii(XML_DECLARATION).ascii("<ListBucketResult xmlns=\"" + NAMESPACE + "\">");
        head.element("Name", utf8(bucket.name), false);
        head.element("Prefix", prefix, url);
        if (v2) {
            if (token != null) {
                head.element("ContinuationToken", token);
            }
            if (page.truncated()) {
                head.element("NextContinuationToken", Base64.getEncoder().encodeToString(page.nextStart()));
            }
            head.element("KeyCount", Integer.toString(page.count() + page.commonPrefixes().size()));
        } else {
            head.element("Marker", after == null ? new byte[0] : after, url);
            // S3 writes NextMarker only with a delimiter; without one the client takes the last key it got.
            if (page.truncated() && delimiter != null && page.last() != null) {
                head.element("NextMarker", page.last(), url);
            }
        }
        head.element("MaxKeys", Integer.toString(maxKeys));
        if (delimiter != null) {
            head.element("Delimiter", delimiter, url);
        }
        if (url) {
            head.element("EncodingType", "url");
        }
        if (v2 && after != null) {
            head.element("StartAfter", after, url);
        }
        head.element("IsTruncated", page.truncated() ? "true" : "false");
        Bytes tail = new Bytes(256);
        for (byte[] common : page.commonPrefixes()) {
            tail.ascii("<CommonPrefixes>").element("Prefix", common, url).ascii("</CommonPrefixes>");
        }
        tail.ascii("</ListBucketResult>");

        // A page is a few hundred kilobytes: sized exactly, it is allocated once and sent without a copy.
        KeyTable table = page.table();
        byte[] keys = table.bytes();
        int size = head.length() + tail.length();
        for (int n = 0; n < page.count(); n++) {
            int i = page.contents()[n];
            ModelBucket.ObjectClass c = bucket.objectClass(table.objectClass(i));
            int keyFrom = table.start(i);
            int keyTo = table.end(i);
            size += CONTENTS_KEY.length + (v2 ? c.listingTailV2() : c.listingTailV1()).length + (table.plain(i)
                    ? keyTo - keyFrom : url ? Bytes.urlLength(keys, keyFrom, keyTo) : Bytes.xmlLength(keys, keyFrom, keyTo));
        }
        Bytes out = new Bytes(size);
        out.raw(head.toArray());
        for (int n = 0; n < page.count(); n++) {
            int i = page.contents()[n];
            ModelBucket.ObjectClass c = bucket.objectClass(table.objectClass(i));
            out.raw(CONTENTS_KEY);
            if (table.plain(i)) {
                out.raw(keys, table.start(i), table.end(i));
            } else if (url) {
                out.url(keys, table.start(i), table.end(i));
            } else {
                out.xml(keys, table.start(i), table.end(i));
            }
            out.raw(v2 ? c.listingTailV2() : c.listingTailV1());
        }
        out.raw(tail.toArray());
        return new Answer(operation, 200, out.toArray(), Map.of(), due, page.oldKeys(), false);
    }

    private Answer deleteObjects(ModelBucket bucket, byte[] body, long arrival) {
        S3Wire.DeleteRequest request = S3Wire.deleteRequest(body);
        long roundTrip = settings.roundTrip().toNanos();
        if (request == null || request.keys().isEmpty() || request.keys().size() > 1000) {
            return new Answer("DeleteObjects", 400, error("MalformedXML", "The XML you provided was not well-formed "
                    + "or did not validate against our published schema", null), Map.of(), arrival + roundTrip, 0,
                    false);
        }
        long done = deleteDone(bucket, request.keys(), arrival);
        if (done < 0) {
            return slowDown("DeleteObjects", arrival + roundTrip);
        }
        stats.deleted(request.keys().size(), bucket.delete(request.keys()));
        Bytes out = new Bytes(request.quiet() ? 256 : 128 + request.keys().size() * 64);
        out.ascii(XML_DECLARATION).ascii("<DeleteResult xmlns=\"" + NAMESPACE + "\">");
        if (!request.quiet()) {
            for (byte[] key : request.keys()) {
                out.ascii("<Deleted>").element("Key", key, false).ascii("</Deleted>");
            }
        }
        out.ascii("</DeleteResult>");
        return new Answer("DeleteObjects", 200, out.toArray(), Map.of(), done, 0, false);
    }

    private Answer deleteObject(ModelBucket bucket, byte[] key, long arrival) {
        long done = deleteDone(bucket, List.of(key), arrival);
        if (done < 0) {
            return slowDown("DeleteObject", arrival + settings.roundTrip().toNanos());
        }
        stats.deleted(1, bucket.delete(List.of(key)));
        return new Answer("DeleteObject", 204, new byte[0], Map.of(), done, 0, false);
    }

    private Answer slowDown(String operation, long due) {
        return new Answer(operation, 503, error("SlowDown", "Please reduce your request rate.", null), Map.of(), due,
                0, true);
    }

    /**
     * When a delete of {@code keys} that arrived at {@code arrival} is answered, or -1 when it is refused. The
     * request reaches S3 half a round trip later; each partition its keys fall in serves them after everything
     * queued on it before, at the partition's rate; the answer leaves when the last of them is done and arrives
     * half a round trip after that. In SlowDown mode a request that would leave any partition with more than the
     * backlog limit of work queued is refused whole, and queues nothing.
     */
    private long deleteDone(ModelBucket bucket, List<byte[]> keys, long arrival) {
        long roundTrip = settings.roundTrip().toNanos();
        long reach = arrival + roundTrip / 2;
        long leave = roundTrip - roundTrip / 2;
        double rate = settings.deleteKeysPerSecond();
        if (rate <= 0) {
            return reach + leave;
        }
        Map<String, Integer> counts = bucket.partitionCounts(keys);
        synchronized (bucket.partitionLock()) {
            if (bucket.throttling() == ModelBucket.Throttling.SLOW_DOWN) {
                for (Map.Entry<String, Integer> e : counts.entrySet()) {
                    ModelBucket.Partition p = bucket.partition(e.getKey());
                    long backlog = Math.max(0, p.freeAtNanos - reach) + work(e.getValue(), rate);
                    if (backlog > settings.backlogLimit().toNanos()) {
                        return -1;
                    }
                }
            }
            long done = reach;
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                ModelBucket.Partition p = bucket.partition(e.getKey());
                p.freeAtNanos = Math.max(reach, p.freeAtNanos) + work(e.getValue(), rate);
                done = Math.max(done, p.freeAtNanos);
            }
            return done + leave;
        }
    }

    private static long work(int keys, double rate) {
        return (long) (keys * 1e9 / rate);
    }

    private Answer headOrGet(ModelBucket bucket, byte[] key, boolean get, long due) {
        String operation = get ? "GetObject" : "HeadObject";
        ModelBucket.ObjectClass c = bucket.head(key);
        if (c == null) {
            return new Answer(operation, 404, get ? error("NoSuchKey", "The specified key does not exist.", null)
                    : new byte[0], Map.of(), due, 0, false);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Last-Modified", c.httpDate());
        headers.put("ETag", c.etag());
        headers.put("Accept-Ranges", "bytes");
        headers.put("Content-Type", "application/octet-stream");
        if (!get) {
            headers.put("Content-Length", Long.toString(c.size()));
        }
        byte[] body = get ? "x".repeat((int) Math.min(c.size(), 1 << 20)).getBytes(StandardCharsets.US_ASCII)
                : new byte[0];
        return new Answer(operation, 200, body, headers, due, 0, false);
    }

    private byte[] listBuckets() {
        Bytes out = new Bytes(256).ascii(XML_DECLARATION)
                .ascii("<ListAllMyBucketsResult xmlns=\"" + NAMESPACE + "\"><Owner><ID>" + OWNER_ID
                        + "</ID><DisplayName>bench</DisplayName></Owner><Buckets>");
        for (ModelBucket b : new TreeMap<>(buckets).values()) {
            out.ascii("<Bucket>").element("Name", utf8(b.name), false).element("CreationDate",
                    java.time.Instant.ofEpochMilli(b.createdMillis / 1000 * 1000).toString()
                            .replace("Z", ".000Z")).ascii("</Bucket>");
        }
        return out.ascii("</Buckets></ListAllMyBucketsResult>").toArray();
    }

    private byte[] error(String code, String message, String extra) {
        return new Bytes(256).ascii(XML_DECLARATION).ascii("<Error><Code>" + code + "</Code><Message>")
                .xml(utf8(message), 0, utf8(message).length).ascii("</Message>" + (extra == null ? "" : extra)
                        + "<RequestId>" + requestId() + "</RequestId><HostId>bW9kZWwtczM=</HostId></Error>")
                .toArray();
    }

    private String requestId() {
        return Long.toHexString(requestIds.incrementAndGet()).toUpperCase();
    }

    private void send(HttpExchange exchange, Answer answer) {
        try (exchange) {
            Headers headers = exchange.getResponseHeaders();
            headers.set("x-amz-request-id", requestId());
            headers.set("x-amz-id-2", "bW9kZWwtczM=");
            headers.set("Server", "AmazonS3");
            answer.headers().forEach(headers::set);
            if (answer.body().length > 0 && !headers.containsKey("Content-Type")) {
                headers.set("Content-Type", "application/xml");
            }
            // HEAD: the object's Content-Length is already among the headers, and no body follows.
            boolean noBody = answer.body().length == 0 || exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(answer.status(), noBody ? -1 : answer.body().length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            }
        } catch (IOException e) {
            // The client went away (a tool stopped at its time limit): nothing to answer.
        } finally {
            stats.answered(answer, System.nanoTime());
        }
    }

    // ------------------------------------------------------------------------------------------------ admin

    private void admin(HttpExchange exchange, String path) throws IOException {
        Map<String, String> q = S3Wire.query(exchange.getRequestURI().getRawQuery());
        String json;
        int status = 200;
        try {
            json = switch (path) {
                case "/__model/fill" -> {
                    long started = System.nanoTime();
                    ModelBucket bucket = bucket(required(q, "bucket"));
                    ModelBucket.Fill fill = bucket.fill(q.getOrDefault("prefix", ""),
                            Long.parseLong(q.getOrDefault("objects", "0")),
                            Integer.parseInt(q.getOrDefault("subPrefixes", "0")),
                            "sub-prefix".equals(q.get("partitions")) ? ModelBucket.Partitioning.SUB_PREFIX
                                    : ModelBucket.Partitioning.PREFIX,
                            (long) (Double.parseDouble(q.getOrDefault("oldDays", "60")) * 86_400_000L),
                            (long) (Double.parseDouble(q.getOrDefault("youngDays", "1")) * 86_400_000L),
                            Long.parseLong(q.getOrDefault("size", "100")));
                    if (q.containsKey("throttle")) {
                        bucket.throttling(throttling(q.get("throttle")));
                    }
                    yield String.format("{\"bucket\":%s,\"objects\":%d,\"old\":%d,\"neighbours\":%d,\"keys\":%d,"
                                    + "\"millis\":%d}", quote(bucket.name), fill.objects(), fill.old(),
                            fill.neighbours().size(), bucket.size(), (System.nanoTime() - started) / 1_000_000);
                }
                case "/__model/throttle" -> {
                    bucket(required(q, "bucket")).throttling(throttling(required(q, "mode")));
                    yield "{}";
                }
                case "/__model/restore" -> {
                    existing(q).restore();
                    yield "{}";
                }
                case "/__model/drop" -> {
                    buckets.remove(required(q, "bucket"));
                    yield "{}";
                }
                case "/__model/check" -> check(existing(q), utf8(q.getOrDefault("prefix", "")));
                case "/__model/reset" -> {
                    stats.reset(Long.parseLong(q.getOrDefault("batch", "1000")));
                    yield stats.json();
                }
                case "/__model/stats" -> stats.json();
                default -> throw new IllegalArgumentException("no such admin endpoint: " + path);
            };
        } catch (RuntimeException e) {
            status = 400;
            json = "{\"error\":" + quote(e.toString()) + "}";
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static ModelBucket.Throttling throttling(String mode) {
        return switch (mode) {
            case "queue" -> ModelBucket.Throttling.QUEUE;
            case "slowdown" -> ModelBucket.Throttling.SLOW_DOWN;
            default -> throw new IllegalArgumentException("throttle is queue or slowdown, not " + mode);
        };
    }

    private ModelBucket existing(Map<String, String> q) {
        ModelBucket bucket = buckets.get(required(q, "bucket"));
        if (bucket == null) {
            throw new IllegalArgumentException("no bucket " + q.get("bucket"));
        }
        return bucket;
    }

    private static String required(Map<String, String> q, String name) {
        String value = q.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("missing parameter " + name);
        }
        return value;
    }

    private static String check(ModelBucket bucket, byte[] prefix) {
        ModelBucket.Check c = bucket.check(prefix);
        return String.format("{\"oldPresent\":%d,\"youngPresent\":%d,\"oldDeleted\":%d,\"youngDeleted\":%d,"
                        + "\"neighbours\":%d,\"neighboursPresent\":%d,\"otherKeys\":%d,\"otherPresent\":%d}",
                c.oldPresent(), c.youngPresent(), c.oldDeleted(), c.youngDeleted(), c.neighbours(),
                c.neighboursPresent(), c.otherKeys(), c.otherPresent());
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------------------------ stats

    /** What the tools asked for since the last reset, when things happened, and the model's own CPU. */
    static final class Stats {
        private final Map<String, Long> requests = new TreeMap<>();
        private final Map<String, Long> refusedBy = new TreeMap<>();
        private final Map<String, Long> unsupported = new TreeMap<>();
        private long resetNanos = System.nanoTime();
        private long cpuAtReset = cpuNanos();
        private long batch = 1000;
        private long firstRequest = -1;
        private long firstDelete = -1;
        private long batchReady = -1;
        private long lastAnswer = -1;
        private long lastDeleteAnswer = -1;
        private long listedOld;
        private long listedPages;
        private long deleteKeys;
        private long deletedObjects;
        private int inFlight;
        private int inFlightLists;
        private int inFlightDeletes;
        private int maxInFlight;
        private int maxInFlightLists;
        private int maxInFlightDeletes;

        static long cpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }

        private static boolean isList(String op) {
            return op.startsWith("ListObjects");
        }

        private static boolean isDelete(String op) {
            return op.startsWith("DeleteObject");
        }

        synchronized void reset(long batchKeys) {
            requests.clear();
            refusedBy.clear();
            unsupported.clear();
            resetNanos = System.nanoTime();
            cpuAtReset = cpuNanos();
            batch = batchKeys;
            firstRequest = firstDelete = batchReady = lastAnswer = lastDeleteAnswer = -1;
            listedOld = listedPages = deleteKeys = deletedObjects = 0;
            maxInFlight = inFlight;
            maxInFlightLists = inFlightLists;
            maxInFlightDeletes = inFlightDeletes;
        }

        synchronized void arrived(String operation, long at) {
            requests.merge(operation, 1L, Long::sum);
            if (firstRequest < 0) {
                firstRequest = at - resetNanos;
            }
            if (isDelete(operation) && firstDelete < 0) {
                firstDelete = at - resetNanos;
            }
            maxInFlight = Math.max(maxInFlight, ++inFlight);
            if (isList(operation)) {
                maxInFlightLists = Math.max(maxInFlightLists, ++inFlightLists);
            } else if (isDelete(operation)) {
                maxInFlightDeletes = Math.max(maxInFlightDeletes, ++inFlightDeletes);
            }
        }

        synchronized void unsupported(String what) {
            unsupported.merge(what, 1L, Long::sum);
        }

        synchronized void deleted(int keys, int removed) {
            deleteKeys += keys;
            deletedObjects += removed;
        }

        synchronized void answered(Answer answer, long at) {
            String op = answer.operation();
            inFlight--;
            if (isList(op)) {
                inFlightLists--;
                listedPages++;
                listedOld += answer.oldKeysListed();
                if (batchReady < 0 && listedOld >= batch) {
                    batchReady = at - resetNanos;
                }
            } else if (isDelete(op)) {
                inFlightDeletes--;
                if (!answer.refused()) {
                    lastDeleteAnswer = at - resetNanos;
                }
            }
            if (answer.refused()) {
                refusedBy.merge(op, 1L, Long::sum);
            }
            lastAnswer = at - resetNanos;
        }

        synchronized long requests(String operation) {
            return requests.getOrDefault(operation, 0L);
        }

        synchronized long refused() {
            return refusedBy.values().stream().mapToLong(Long::longValue).sum();
        }

        synchronized long batchReadyMillis() {
            return millis(batchReady);
        }

        synchronized long firstDeleteMillis() {
            return millis(firstDelete);
        }

        synchronized int maxInFlightDeletes() {
            return maxInFlightDeletes;
        }

        synchronized Map<String, Long> unsupportedRequests() {
            return new TreeMap<>(unsupported);
        }

        private static long millis(long nanos) {
            return nanos < 0 ? -1 : nanos / 1_000_000;
        }

        synchronized String json() {
            long total = requests.values().stream().mapToLong(Long::longValue).sum();
            double cpu = (cpuNanos() - cpuAtReset) / 1e9;
            StringBuilder out = new StringBuilder("{\"requests\":").append(map(requests));
            out.append(",\"requestsTotal\":").append(total);
            out.append(",\"refused\":").append(refusedBy.values().stream().mapToLong(Long::longValue).sum());
            out.append(",\"refusedByOperation\":").append(map(refusedBy));
            out.append(",\"unsupported\":").append(map(unsupported));
            out.append(",\"listedPages\":").append(listedPages);
            out.append(",\"listedOldKeys\":").append(listedOld);
            out.append(",\"deleteKeys\":").append(deleteKeys);
            out.append(",\"deletedObjects\":").append(deletedObjects);
            // Keys a delete named that were already absent: deleted twice, or never there (S3 answers "deleted").
            out.append(",\"deleteKeysAbsent\":").append(deleteKeys - deletedObjects);
            out.append(",\"batchKeys\":").append(batch);
            out.append(",\"firstRequestMs\":").append(millis(firstRequest));
            out.append(",\"firstDeleteMs\":").append(millis(firstDelete));
            out.append(",\"batchReadyMs\":").append(millis(batchReady));
            out.append(",\"lastAnswerMs\":").append(millis(lastAnswer));
            out.append(",\"lastDeleteAnswerMs\":").append(millis(lastDeleteAnswer));
            out.append(",\"maxInFlight\":{\"all\":").append(maxInFlight).append(",\"list\":")
                    .append(maxInFlightLists).append(",\"delete\":").append(maxInFlightDeletes).append('}');
            out.append(",\"cpuSeconds\":").append(String.format("%.3f", cpu));
            out.append(",\"cpuMsPerRequest\":").append(String.format("%.4f", total == 0 ? 0 : cpu * 1000 / total));
            return out.append('}').toString();
        }

        private static String map(Map<String, Long> values) {
            List<String> parts = new ArrayList<>();
            values.forEach((k, v) -> parts.add(quote(k) + ":" + v));
            return "{" + String.join(",", parts) + "}";
        }
    }

    // ------------------------------------------------------------------------------------------------ main

    /** The bucket the warm-up uses; its answers skip the model's delays. */
    private static final String WARM_UP = "model-s3-warm-up";

    /**
     * Sends every kind of request through the HTTP server a few hundred times before the first tool does, so
     * that the first contender does not pay for the model's JIT compilation in its times or in the model's CPU.
     */
    void warmUp() {
        ModelBucket bucket = bucket(WARM_UP);
        bucket.fill("w/", 20_000, 20, ModelBucket.Partitioning.SUB_PREFIX, 60L * 86_400_000, 86_400_000, 100);
        bucket.throttling(ModelBucket.Throttling.SLOW_DOWN);
        for (int round = 0; round < ROUNDS; round++) {
            for (int sub = 0; sub < 20; sub++) {
                String prefix = String.format("w%%2Fd%04d%%2F", sub);
                warmOverHttp("GET", "?list-type=2&prefix=" + prefix + "&encoding-type=url", null);
                warmOverHttp("GET", "?list-type=2&prefix=w%2F&delimiter=%2F&fetch-owner=false", null);
                warmOverHttp("GET", "?prefix=" + prefix + "&max-keys=1000", null);
                warmOverHttp("HEAD", "/w/d0019/0019999.bak", null);
                warmOverHttp("DELETE", String.format("/w/d%04d/%07d.bak", round % 20, round % 20 * 1000 + 999 - sub),
                        null);
            }
            Bytes delete = new Bytes(64_000).ascii("<Delete><Quiet>true</Quiet>");
            for (int i = round % 20 * 1000; i < round % 20 * 1000 + 900; i++) {
                delete.ascii("<Object><Key>w/d" + String.format("%04d/%07d", i / 1000, i) + ".bak</Key></Object>");
            }
            warmOverHttp("POST", "?delete", delete.ascii("</Delete>").toArray());
            warmOverHttp("GET", "?versioning", null);
            warmOverHttp("GET", "?location", null);
            warmOverHttp("HEAD", "", null);
            warmOverHttp("HEAD", "/absent", null);
        }
        buckets.remove(WARM_UP);
        stats.reset(1000);
    }

    /**
     * About 2,000 requests: enough for C1, which the benchmark runs the model with (C2 went on compiling through
     * the runs after 10,000 requests of warm-up, at 2 CPU s per run).
     */
    private static final int ROUNDS = Integer.getInteger("model.warmUpRounds", 20);

    private void warmOverHttp(String method, String path, byte[] body) {
        try {
            java.net.HttpURLConnection c = (java.net.HttpURLConnection) URI.create(endpoint() + "/" + WARM_UP
                    + path).toURL().openConnection();
            c.setRequestMethod(method);
            if (body != null) {
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            java.io.InputStream in = c.getResponseCode() >= 400 ? c.getErrorStream() : c.getInputStream();
            if (in != null) {
                try (in) {
                    in.readAllBytes();
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("options are --name value pairs: " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        Settings settings = new Settings(Duration.ofMillis(Long.parseLong(options.getOrDefault("round-trip-ms", "20"))),
                Duration.ofMillis(Long.parseLong(options.getOrDefault("page-ms", "30"))),
                Double.parseDouble(options.getOrDefault("delete-rate", "3500")),
                Duration.ofMillis(Long.parseLong(options.getOrDefault("backlog-ms", "1000"))));
        try (ModelS3 model = new ModelS3(settings, Integer.parseInt(options.getOrDefault("port", "0")))) {
            model.warmUp();
            System.out.printf("{\"endpoint\":\"%s\",\"roundTripMs\":%d,\"pageMs\":%d,\"deleteRate\":%s,"
                            + "\"backlogMs\":%d}%n", model.endpoint(), settings.roundTrip().toMillis(),
                    settings.pageTime().toMillis(), settings.deleteKeysPerSecond(),
                    settings.backlogLimit().toMillis());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serves until the benchmark closes the pipe
            }
        }
    }
}
