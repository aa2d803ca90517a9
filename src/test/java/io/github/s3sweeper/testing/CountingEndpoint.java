package io.github.s3sweeper.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server that counts every connection made to it, so a test can prove that a run opened none.
 * It also answers the requests a sweep of an empty prefix makes (ListObjectsV2, ListObjectVersions,
 * GetBucketVersioning) with empty results, and records each request line, so a run whose settings are accepted
 * goes to its end here and the test can see what the run asked S3 for.
 *
 * <p>{@link #connections()} is exact, not a matter of waiting long enough: it connects once more itself and waits
 * for the server to accept that connection. The kernel hands accepted connections over in the order they were made,
 * so every connection a run made before {@code connections()} was called has been counted by then.
 */
public final class CountingEndpoint implements AutoCloseable {

    private static final String PROBE = "PROBE ";

    private final ServerSocket listener;
    private final ExecutorService workers = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "counting-endpoint");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger probeIds = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Integer>> probes = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    /** Connections accepted up to and including the last probe. */
    private int counted;

    private CountingEndpoint(ServerSocket listener) {
        this.listener = listener;
        Thread acceptor = new Thread(this::acceptAll, "counting-endpoint-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static CountingEndpoint start() {
        try {
            return new CountingEndpoint(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value for AWS_ENDPOINT_URL_S3. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /**
     * Connections made to this server since the previous call (or since it started), the ones this method makes
     * itself left out.
     */
    public synchronized int connections() {
        int id = probeIds.incrementAndGet();
        CompletableFuture<Integer> seen = new CompletableFuture<>();
        probes.put(id, seen);
        try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
            OutputStream out = probe.getOutputStream();
            out.write((PROBE + id + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int sequence = seen.get(30, TimeUnit.SECONDS);
            int made = sequence - counted;
            counted = sequence + 1;
            return made;
        } catch (Exception e) {
            throw new IllegalStateException("the counting endpoint did not see its own probe", e);
        } finally {
            probes.remove(id);
        }
    }

    /** The request lines received ("GET /bucket?list-type=2&prefix=... HTTP/1.1"), oldest first. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** The {@code name} query parameter of each request that has one, decoded, oldest first. */
    public List<String> parameter(String name) {
        return requests.stream().map(line -> query(line, name)).flatMap(Optional::stream).toList();
    }

    public void clearRequests() {
        requests.clear();
    }

    private static Optional<String> query(String requestLine, String name) {
        String[] parts = requestLine.split(" ");
        int question = parts.length > 1 ? parts[1].indexOf('?') : -1;
        if (question < 0) {
            return Optional.empty();
        }
        for (String pair : parts[1].substring(question + 1).split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            if (key.equals(name)) {
                return Optional.of(equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private void acceptAll() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                int sequence = accepted.getAndIncrement();
                workers.execute(() -> serve(socket, sequence));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, int sequence) {
        try (socket) {
            socket.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            String requestLine = in.readLine();
            if (requestLine == null) {
                return;
            }
            if (requestLine.startsWith(PROBE)) {
                CompletableFuture<Integer> probe = probes.get(Integer.parseInt(requestLine.substring(PROBE.length())));
                if (probe != null) {
                    probe.complete(sequence);
                }
                return;
            }
            requests.add(requestLine);
            long contentLength = 0;
            for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
                if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    contentLength = Long.parseLong(header.substring(15).trim());
                }
            }
            in.skip(contentLength);
            byte[] body = answer(requestLine).getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        } catch (IOException e) {
            // the client went away: nothing to answer
        }
    }

    /** An empty listing, an unversioned bucket, or an empty DeleteObjects result. */
    private static String answer(String requestLine) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
        if (requestLine.contains("?versioning")) {
            return xml + "<VersioningConfiguration/>";
        }
        if (requestLine.contains("?versions")) {
            return xml + "<ListVersionsResult><IsTruncated>false</IsTruncated></ListVersionsResult>";
        }
        if (requestLine.startsWith("POST")) {
            return xml + "<DeleteResult/>";
        }
        return xml + "<ListBucketResult><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>";
    }

    @Override
    public void close() throws IOException {
        listener.close();
        workers.shutdownNow();
    }
}
