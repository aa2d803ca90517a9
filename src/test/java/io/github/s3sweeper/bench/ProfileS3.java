package io.github.s3sweeper.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An S3 stand-in for measuring the sweeper's own CPU: one bucket held in memory, filled in a second, answering
 * ListObjectsV2 (prefix, delimiter, start-after, continuation token, max-keys, URL encoding), DeleteObjects and
 * GetBucketVersioning at a small fraction of a millisecond of its own CPU per request, so that the tool's process
 * holds nearly all the CPU a run costs. Signatures are not checked. Optional delays make it answer like S3 from
 * Lambda (a round trip on every request, a service time per listing page) to see whether the listing is bound by
 * the tool's CPU or by the server.
 *
 * <p>Arguments: {@code objects subPrefixes roundTripMs listServiceMs}. Keys are {@code backups/NNNNNNN.bak}, or
 * {@code backups/dNNNN/NNNNNNN.bak} in {@code subPrefixes} sub-prefixes; even-numbered ones are 60 days old, the
 * others one day, plus old neighbours outside the prefix. Prints the endpoint as one JSON line, then serves until
 * standard input closes, and then prints the requests served, the keys left and its own CPU time.
 */
public final class ProfileS3 {

    private static final String BUCKET = "bench";
    private static final Pattern KEY = Pattern.compile("<Key>([^<]*)</Key>");

    /** An object, with its Contents element as a URL-encoded listing writes it, made once when filled. */
    private record Entry(String lastModified, long size, String urlContents) {
        static Entry of(String key, String lastModified, long size) {
            return new Entry(lastModified, size, contents(encode(key, true), lastModified, size));
        }
    }

    private final NavigableMap<String, Entry> objects = new ConcurrentSkipListMap<>();
    private final long roundTripMs;
    private final long listServiceMs;
    private final AtomicLong lists = new AtomicLong();
    private final AtomicLong deletes = new AtomicLong();
    private final AtomicLong deletedKeys = new AtomicLong();
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newFixedThreadPool(96, r -> {
        Thread thread = new Thread(r, "profile-s3");
        thread.setDaemon(true);
        return thread;
    });

    ProfileS3(int count, int subPrefixes, long roundTripMs, long listServiceMs) throws IOException {
        this.roundTripMs = roundTripMs;
        this.listServiceMs = listServiceMs;
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String old = now.minus(60, ChronoUnit.DAYS).toString();
        String young = now.minus(1, ChronoUnit.DAYS).toString();
        int per = subPrefixes > 0 ? (count + subPrefixes - 1) / subPrefixes : 0;
        for (int i = 0; i < count; i++) {
            String key = subPrefixes > 0 ? String.format("backups/d%04d/%07d.bak", i / per, i)
                    : String.format("backups/%07d.bak", i);
            objects.put(key, Entry.of(key, i % 2 == 0 ? old : young, 100));
        }
        for (int i = 0; i < 10; i++) {
            String key = String.format("other/%02d.bak", i);
            objects.put(key, Entry.of(key, old, 100));
        }
        objects.put("backups-old/x.bak", Entry.of("backups-old/x.bak", old, 100));
        // Its own code compiled before the first request, so that a run's first pages do not wait on a cold server.
        for (int i = 0; i < 300; i++) {
            list(Map.of("prefix", "backups/", "encoding-type", "url", "max-keys", "1000"));
        }
        // Without it the JDK's server waits for the client's delayed acknowledgement on every answer (40 ms).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.createContext("/", this::handle);
        server.setExecutor(handlers);
        server.start();
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ProfileS3 objects subPrefixes roundTripMs listServiceMs");
            System.exit(2);
        }
        ProfileS3 s3 = new ProfileS3(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]),
                Long.parseLong(args[3]));
        System.out.printf("{\"endpoint\":\"http://127.0.0.1:%d\",\"bucket\":\"%s\"}%n",
                s3.server.getAddress().getPort(), BUCKET);
        System.out.flush();
        long cpuAtStart = cpuNanos();
        while (System.in.read() >= 0) {
            // serves until the caller closes the pipe
        }
        s3.server.stop(0);
        System.out.printf("{\"lists\":%d,\"deletes\":%d,\"deletedKeys\":%d,\"left\":%d,\"serverCpuSeconds\":%.2f}%n",
                s3.lists.get(), s3.deletes.get(), s3.deletedKeys.get(), s3.objects.size(),
                (cpuNanos() - cpuAtStart) / 1e9);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            int status = 200;
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && query.containsKey("versioning")) {
                body = "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>"
                        .getBytes(StandardCharsets.UTF_8);
            } else if (method.equals("GET") && "2".equals(query.get("list-type"))) {
                lists.incrementAndGet();
                pause(roundTripMs + listServiceMs);
                body = list(query).getBytes(StandardCharsets.UTF_8);
            } else if (method.equals("POST") && query.containsKey("delete")) {
                deletes.incrementAndGet();
                pause(roundTripMs);
                body = delete(exchange.getRequestBody());
            } else {
                status = 501;
                body = "<Error><Code>NotImplemented</Code><Message>not modelled</Message></Error>"
                        .getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/xml");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private String list(Map<String, String> query) {
        String prefix = query.getOrDefault("prefix", "");
        String delimiter = query.get("delimiter");
        boolean url = "url".equals(query.get("encoding-type"));
        int maxKeys = Integer.parseInt(query.getOrDefault("max-keys", "1000"));
        String token = query.get("continuation-token");
        String after = token != null ? token : query.get("start-after");
        NavigableMap<String, Entry> from = after == null ? objects.tailMap(prefix, true) : objects.tailMap(after, false);
        StringBuilder contents = new StringBuilder(200 * maxKeys);
        StringBuilder prefixes = new StringBuilder();
        int count = 0;
        String last = null;
        boolean lastIsPrefix = false;
        boolean truncated = false;
        for (Map.Entry<String, Entry> e : from.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(prefix)) {
                break;
            }
            if (count == maxKeys) {
                truncated = true;
                break;
            }
            int cut = delimiter == null ? -1 : key.indexOf(delimiter, prefix.length());
            if (cut >= 0) {
                String common = key.substring(0, cut + delimiter.length());
                if (common.equals(last)) {
                    continue;
                }
                prefixes.append("<CommonPrefixes><Prefix>").append(encode(common, url)).append("</Prefix></CommonPrefixes>");
                last = common;
                lastIsPrefix = true;
            } else {
                contents.append(url ? e.getValue().urlContents()
                        : contents(encode(key, false), e.getValue().lastModified(), e.getValue().size()));
                last = key;
                lastIsPrefix = false;
            }
            count++;
        }
        // The token is where the next page starts: after the last key, or after every key of the last common prefix.
        String next = lastIsPrefix ? last + Character.MAX_VALUE : last;
        StringBuilder xml = new StringBuilder(contents.length() + prefixes.length() + 600);
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>").append(BUCKET)
                .append("</Name><Prefix>").append(encode(prefix, url)).append("</Prefix>");
        if (token != null) {
            xml.append("<ContinuationToken>").append(tokenOf(token)).append("</ContinuationToken>");
        }
        if (truncated) {
            xml.append("<NextContinuationToken>").append(tokenOf(next)).append("</NextContinuationToken>");
        }
        xml.append("<KeyCount>").append(count).append("</KeyCount><MaxKeys>").append(maxKeys).append("</MaxKeys>");
        if (delimiter != null) {
            xml.append("<Delimiter>").append(encode(delimiter, url)).append("</Delimiter>");
        }
        if (url) {
            xml.append("<EncodingType>url</EncodingType>");
        }
        xml.append("<IsTruncated>").append(truncated).append("</IsTruncated>").append(contents).append(prefixes)
                .append("</ListBucketResult>");
        return xml.toString();
    }

    private static String contents(String encodedKey, String lastModified, long size) {
        return "<Contents><Key>" + encodedKey + "</Key><LastModified>" + lastModified + "</LastModified><ETag>&quot;"
                + "d41d8cd98f00b204e9800998ecf8427e&quot;</ETag><Size>" + size
                + "</Size><StorageClass>STANDARD</StorageClass></Contents>";
    }

    /** Opaque to the client, as S3's are: the position to resume after, in URL-safe base64. */
    private static String tokenOf(String position) {
        return Base64.getUrlEncoder().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    private static String positionOf(String token) {
        return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    }

    private static String encode(String text, boolean url) {
        if (!url) {
            return text.replace("&", "&amp;").replace("<", "&lt;");
        }
        // S3's encoding-type=url: every byte but the unreserved ones and '/' percent-encoded; '+' never stands for a space.
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/")
                .replace("*", "%2A").replace("%7E", "~");
    }

    private byte[] delete(InputStream in) throws IOException {
        String request = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        Matcher keys = KEY.matcher(request);
        int n = 0;
        while (keys.find()) {
            String key = keys.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                    .replace("&apos;", "'").replace("&amp;", "&");
            objects.remove(key);
            n++;
        }
        deletedKeys.addAndGet(n);
        // Quiet mode: only errors are listed, and there are none.
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DeleteResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"></DeleteResult>"
                .getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw == null) {
            return query;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            query.put(name, name.equals("continuation-token") ? positionOf(value) : value);
        }
        return query;
    }

    private static void pause(long ms) {
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
