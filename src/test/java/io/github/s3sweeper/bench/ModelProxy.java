package io.github.s3sweeper.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP proxy in front of a local S3 server that makes it answer like S3 as a Lambda function sees it: a network
 * round trip on every request, a service time per listing page, and S3's per-prefix delete rate, shared by every
 * delete in flight and served in arrival order. It counts the requests by kind.
 */
public final class ModelProxy implements AutoCloseable {

    /** @param deleteKeysPerSecond keys per second all deletes share; 0 for no limit */
    public record Model(Duration roundTrip, Duration listService, double deleteKeysPerSecond) {
        static final Model NONE = new Model(Duration.ZERO, Duration.ZERO, 0);
    }

    enum Kind { LIST, DELETE_BATCH, DELETE_ONE, OTHER }

    /** Headers the JDK client sets itself and refuses to take from a caller. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "date", "expect", "from",
            "host", "upgrade", "via", "warning", "transfer-encoding", "keep-alive");
    /** Bucket sub-resources whose GET is not a listing. */
    private static final List<String> NOT_LISTINGS = List.of("location", "versioning", "acl", "policy", "uploads",
            "lifecycle", "cors", "tagging", "object-lock", "encryption", "website", "logging", "notification",
            "replication", "requestPayment", "ownershipControls", "publicAccessBlock", "accelerate");

    private final URI target;
    private final Model model;
    private final HttpServer server;
    private final HttpClient client;
    private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "model-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong lists = new AtomicLong();
    private final AtomicLong deleteBatches = new AtomicLong();
    private final AtomicLong deleteOnes = new AtomicLong();
    private final AtomicLong deleteKeys = new AtomicLong();
    private final AtomicLong others = new AtomicLong();
    private long deleteFreeAtNanos;
    /** -Dbench.trace=true: one line per request on standard error, to see where a run's time goes. */
    private static final boolean TRACE = Boolean.getBoolean("bench.trace");
    private volatile long resetAtNanos = System.nanoTime();
    private final AtomicLong firstRequestNanos = new AtomicLong(-1);
    private final AtomicLong firstDeleteNanos = new AtomicLong(-1);
    private final AtomicLong lastAnswerNanos = new AtomicLong(-1);

    public ModelProxy(URI target, Model model) throws IOException {
        this.target = target;
        this.model = model;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(handlers).build();
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.createContext("/", this::handle);
        server.setExecutor(handlers);
        server.start();
    }

    /**
     * From now on, listings are forwarded without their {@code start-after}, as a broken S3-compatible server might
     * ignore it: every listing starts at the beginning of the prefix.
     */
    public ModelProxy ignoringStartAfter() {
        ignoreStartAfter = true;
        return this;
    }

    private volatile boolean ignoreStartAfter;

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    static Kind classify(String method, String rawPath, String rawQuery) {
        String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        int slash = path.indexOf('/');
        boolean bucketLevel = slash < 0 || slash == path.length() - 1;
        String query = rawQuery == null ? "" : rawQuery;
        if (bucketLevel && method.equals("GET") && NOT_LISTINGS.stream().noneMatch(query::contains)) {
            return Kind.LIST;
        }
        if (bucketLevel && method.equals("POST") && query.contains("delete")) {
            return Kind.DELETE_BATCH;
        }
        if (!bucketLevel && method.equals("DELETE") && !query.contains("uploadId")) {
            return Kind.DELETE_ONE;
        }
        return Kind.OTHER;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String rawPath = exchange.getRequestURI().getRawPath();
            if (rawPath.startsWith("/__model/")) {
                control(exchange, rawPath);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            Kind kind = classify(method, rawPath, rawQuery);
            firstRequestNanos.compareAndSet(-1, System.nanoTime() - resetAtNanos);
            if (kind == Kind.DELETE_BATCH || kind == Kind.DELETE_ONE) {
                firstDeleteNanos.compareAndSet(-1, System.nanoTime() - resetAtNanos);
            }
            sleep(model.roundTrip().dividedBy(2));
            switch (kind) {
                case LIST -> {
                    lists.incrementAndGet();
                    sleep(model.listService());
                }
                case DELETE_BATCH -> {
                    deleteBatches.incrementAndGet();
                    waitForDeleteRate(count(new String(body, StandardCharsets.UTF_8), "<Key>"));
                }
                case DELETE_ONE -> {
                    deleteOnes.incrementAndGet();
                    waitForDeleteRate(1);
                }
                default -> others.incrementAndGet();
            }
            HttpResponse<byte[]> response = forward(exchange, method, rawPath, rawQuery, body);
            sleep(model.roundTrip().dividedBy(2));
            response.headers().map().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase())) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] answer = response.body();
            boolean noBody = method.equals("HEAD") || response.statusCode() == 204 || answer.length == 0;
            if (method.equals("HEAD")) {
                response.headers().firstValue("Content-Length")
                        .ifPresent(length -> exchange.getResponseHeaders().set("Content-Length", length));
            }
            exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : answer.length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
            lastAnswerNanos.accumulateAndGet(System.nanoTime() - resetAtNanos, Math::max);
            if (TRACE) {
                System.err.printf("trace %s %s?%s answered at %d ms%n", kind, rawPath, rawQuery,
                        (System.nanoTime() - resetAtNanos) / 1_000_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, String method, String rawPath, String rawQuery,
                                         byte[] body) throws IOException, InterruptedException {
        if (ignoreStartAfter && rawQuery != null) {
            rawQuery = java.util.Arrays.stream(rawQuery.split("&")).filter(p -> !p.startsWith("start-after="))
                    .collect(java.util.stream.Collectors.joining("&"));
        }
        URI uri = URI.create(target + rawPath + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase())) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** S3's delete rate as one queue: each request waits for the keys that arrived before it, then its own. */
    private void waitForDeleteRate(long keys) throws InterruptedException {
        if (model.deleteKeysPerSecond() <= 0) {
            return;
        }
        deleteKeys.addAndGet(keys);
        long doneAt;
        synchronized (this) {
            long now = System.nanoTime();
            doneAt = Math.max(now, deleteFreeAtNanos) + (long) (keys * 1e9 / model.deleteKeysPerSecond());
            deleteFreeAtNanos = doneAt;
        }
        long wait = doneAt - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private void control(HttpExchange exchange, String path) throws IOException {
        if (path.equals("/__model/reset")) {
            lists.set(0);
            deleteBatches.set(0);
            deleteOnes.set(0);
            deleteKeys.set(0);
            others.set(0);
            firstRequestNanos.set(-1);
            firstDeleteNanos.set(-1);
            lastAnswerNanos.set(-1);
            resetAtNanos = System.nanoTime();
        }
        // Times in milliseconds since the reset: when the first request and the first delete arrived, when the
        // last answer left.
        String json = String.format("{\"list\":%d,\"deleteBatch\":%d,\"deleteOne\":%d,\"deleteKeys\":%d,"
                        + "\"other\":%d,\"firstRequestMs\":%d,\"firstDeleteMs\":%d,\"lastAnswerMs\":%d}",
                lists.get(), deleteBatches.get(), deleteOnes.get(), deleteKeys.get(), others.get(),
                millis(firstRequestNanos.get()), millis(firstDeleteNanos.get()), millis(lastAnswerNanos.get()));
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static long millis(long nanos) {
        return nanos < 0 ? -1 : nanos / 1_000_000;
    }

    private static long count(String text, String needle) {
        long count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            count++;
        }
        return count;
    }

    private static void sleep(Duration duration) throws InterruptedException {
        if (!duration.isZero()) {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
