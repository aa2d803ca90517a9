package io.github.s3sweeper.testing;

import com.sun.net.httpserver.HttpServer;
import io.github.s3sweeper.testing.FaultProxy.Fault;
import io.github.s3sweeper.testing.FaultProxy.Kind;
import io.github.s3sweeper.testing.FaultProxy.Plan;
import io.github.s3sweeper.testing.FaultProxy.Rule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The fault proxy on the wire, in front of a stub server that records what reaches it: each fault does what it
 * says, the server acts where it should, and a rewritten DeleteObjects body carries checksums that match it.
 */
class FaultProxyTest {

    private static final String DELETE_BODY = "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            + "<Object><Key>p/a</Key></Object><Object><Key>p/b&amp;c</Key></Object><Object><Key>p/d</Key></Object>"
            + "<Object><Key>p/e</Key></Object><Quiet>true</Quiet></Delete>";
    private static final String LISTING = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult>"
            + "<Name>b</Name><KeyCount>0</KeyCount></ListBucketResult>";

    private HttpServer stub;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> checksumProblems = new CopyOnWriteArrayList<>();
    private FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        stub.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String text = new String(body, StandardCharsets.UTF_8);
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + text);
            String crc = exchange.getRequestHeaders().getFirst("x-amz-checksum-crc32");
            if (crc != null && !crc.equals(FaultProxy.crc(new CRC32(), body))) {
                checksumProblems.add("crc32 " + crc);
            }
            String md5 = exchange.getRequestHeaders().getFirst("Content-MD5");
            if (md5 != null && !md5.equals(md5(body))) {
                checksumProblems.add("md5 " + md5);
            }
            byte[] answer = (exchange.getRequestMethod().equals("POST")
                    ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DeleteResult xmlns=\"x\"></DeleteResult>"
                    : LISTING).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/xml");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        stub.start();
        proxy = FaultProxy.start(URI.create("http://127.0.0.1:" + stub.getAddress().getPort()));
    }

    @AfterEach
    void stop() {
        proxy.close();
        stub.stop(0);
    }

    @Test
    void crc32HeaderIsTheBase64OfTheBigEndianChecksum() {
        // The CRC-32 check value of "123456789" is 0xCBF43926.
        assertThat(FaultProxy.crc(new CRC32(), "123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo("y/Q5Jg==");
    }

    @Test
    void forwardsWhatNoRulePicksAndCountsRequestsByKind() throws IOException {
        assertThat(exchange("GET", "/b?list-type=2&prefix=p%2F", null).status()).isEqualTo(200);
        assertThat(exchange("GET", "/b?versioning", null).status()).isEqualTo(200);
        assertThat(exchange("POST", "/b?delete", DELETE_BODY).status()).isEqualTo(200);
        assertThat(exchange("GET", "/b?versions&prefix=p%2F", null).status()).isEqualTo(200);

        assertThat(proxy.requests(Kind.LIST)).isEqualTo(2);
        assertThat(proxy.requests(Kind.DELETE)).isEqualTo(1);
        assertThat(proxy.requests(Kind.OTHER)).isEqualTo(1);
        assertThat(proxy.injected()).isZero();
        assertThat(received).hasSize(4);
    }

    @Test
    void errorAnswersAreS3sAndNeverReachTheServer() throws IOException {
        proxy.inject(Rule.of(Kind.LIST, Fault.SLOW_DOWN, Plan.first(1)));
        proxy.inject(Rule.of(Kind.LIST, Fault.INTERNAL_ERROR, Plan.first(1)));
        proxy.inject(Rule.of(Kind.LIST, Fault.ACCESS_DENIED, Plan.first(1)));
        proxy.inject(Rule.of(Kind.LIST, Fault.NO_SUCH_BUCKET, Plan.first(1)));

        Answer slowDown = exchange("GET", "/b?list-type=2", null);
        Answer internal = exchange("GET", "/b?list-type=2", null);
        Answer denied = exchange("GET", "/b?list-type=2", null);
        Answer missing = exchange("GET", "/b?list-type=2", null);
        Answer passed = exchange("GET", "/b?list-type=2", null);

        assertThat(slowDown.status()).isEqualTo(503);
        assertThat(slowDown.body()).contains("<Code>SlowDown</Code>");
        assertThat(internal.status()).isEqualTo(500);
        assertThat(internal.body()).contains("<Code>InternalError</Code>");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.body()).contains("<Code>AccessDenied</Code>");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).contains("<Code>NoSuchBucket</Code>", "<BucketName>b</BucketName>");
        assertThat(passed.status()).isEqualTo(200);
        assertThat(received).hasSize(1);
        assertThat(proxy.injected(Kind.LIST)).isEqualTo(4);
    }

    @Test
    void aCutBodyKeepsTheRealLengthAndSendsLessAfterTheServerActed() throws IOException {
        proxy.inject(Rule.of(Kind.DELETE, Fault.CUT_BODY, Plan.first(1)));

        try (Socket socket = connect()) {
            send(socket, "POST", "/b?delete", DELETE_BODY);
            InputStream in = socket.getInputStream();
            Map<String, String> headers = readHead(in);
            byte[] rest = in.readAllBytes();

            int length = Integer.parseInt(headers.get("content-length"));
            assertThat(rest.length).isPositive().isLessThan(length);
        }
        assertThat(received).hasSize(1);
        assertThat(proxy.injected(Fault.CUT_BODY)).isEqualTo(1);
    }

    @Test
    void aResetConnectionAnswersNothingAfterTheServerActed() throws IOException {
        proxy.inject(Rule.of(Kind.LIST, Fault.RESET, Plan.first(1)));

        try (Socket socket = connect()) {
            send(socket, "GET", "/b?list-type=2", null);
            Throwable thrown = catchThrowable(() -> {
                int first = socket.getInputStream().read();
                if (first >= 0) {
                    throw new AssertionError("got an answer");
                }
            });

            assertThat(thrown).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
        assertThat(received).hasSize(1);
    }

    @Test
    void aStallHoldsTheAnswerAndNoticesAClientThatGivesUp() throws Exception {
        proxy.inject(Rule.stall(Kind.LIST, Plan.first(1), Duration.ofSeconds(5)));

        try (Socket socket = connect()) {
            socket.setSoTimeout(300);
            send(socket, "GET", "/b?list-type=2", null);
            Throwable timeout = catchThrowable(() -> socket.getInputStream().read());
            assertThat(timeout).isInstanceOf(java.net.SocketTimeoutException.class);
        }
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (proxy.stallsAbandoned() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(proxy.stallsAbandoned()).isEqualTo(1);
        assertThat(received).hasSize(1);
    }

    @Test
    void aStallAnswersAfterItsHoldWhenTheClientWaits() throws IOException {
        proxy.inject(Rule.stall(Kind.LIST, Plan.first(1), Duration.ofMillis(300)));
        long start = System.nanoTime();

        Answer answer = exchange("GET", "/b?list-type=2", null);

        assertThat(answer.status()).isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
        assertThat(proxy.stallsAbandoned()).isZero();
    }

    @Test
    void keyErrorsTakeKeysOutOfTheRequestFixTheChecksumsAndReportThem() throws IOException {
        proxy.inject(Rule.keyErrors("AccessDenied", 2, Plan.first(1)));
        byte[] body = DELETE_BODY.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-amz-checksum-crc32", FaultProxy.crc(new CRC32(), body));
        headers.put("Content-MD5", md5(body));

        Answer answer = exchange("POST", "/b?delete", DELETE_BODY, headers);

        assertThat(received).singleElement().satisfies(request -> assertThat(request)
                .doesNotContain("<Key>p/a</Key>", "<Key>p/d</Key>")
                .contains("<Key>p/b&amp;c</Key>", "<Key>p/e</Key>", "<Quiet>true</Quiet>"));
        assertThat(checksumProblems).isEmpty();
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("<Error><Key>p/a</Key><Code>AccessDenied</Code><Message>Access Denied"
                + "</Message></Error><Error><Key>p/d</Key><Code>AccessDenied</Code>").endsWith("</DeleteResult>");
        assertThat(proxy.refusedKeys()).extracting(FaultProxy.RefusedKey::key).containsExactly("p/a", "p/d");
    }

    @Test
    void keyErrorsOnEveryKeyAnswerWithoutTheServer() throws IOException {
        proxy.inject(Rule.keyErrors("SlowDown", 10, Plan.first(1)));

        Answer answer = exchange("POST", "/b?delete", DELETE_BODY);

        assertThat(received).isEmpty();
        assertThat(answer.body()).contains("<Key>p/b&amp;c</Key><Code>SlowDown</Code>");
        assertThat(proxy.refusedKeys()).extracting(FaultProxy.RefusedKey::key)
                .containsExactly("p/a", "p/b&c", "p/d", "p/e");
    }

    @Test
    void aRandomRateIsSeededAndSparesTheClientsLastAttempt() throws IOException {
        List<Integer> statuses = new ArrayList<>();
        proxy.inject(Rule.of(Kind.LIST, Fault.SLOW_DOWN, Plan.rate(0.5, 7)));
        for (int i = 0; i < 20; i++) {
            statuses.add(exchange("GET", "/b?list-type=2", null, Map.of("amz-sdk-request", "attempt=1; max=3"))
                    .status());
        }
        for (int i = 0; i < 20; i++) {
            assertThat(exchange("GET", "/b?list-type=2", null, Map.of("amz-sdk-request", "attempt=3; max=3"))
                    .status()).isEqualTo(200);
        }
        proxy.reset();
        proxy.inject(Rule.of(Kind.LIST, Fault.SLOW_DOWN, Plan.rate(0.5, 7)));
        List<Integer> again = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            again.add(exchange("GET", "/b?list-type=2", null).status());
        }

        assertThat(statuses).contains(200, 503).isEqualTo(again);
        assertThat(proxy.describe()).contains("seed 7");
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private record Answer(int status, String body) {
    }

    private Socket connect() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), proxy.endpoint().getPort());
    }

    private Answer exchange(String method, String target, String body) throws IOException {
        return exchange(method, target, body, Map.of());
    }

    private Answer exchange(String method, String target, String body, Map<String, String> headers)
            throws IOException {
        try (Socket socket = connect()) {
            socket.setSoTimeout(10_000);
            send(socket, method, target, body, headers);
            InputStream in = socket.getInputStream();
            String status = readLine(in);
            Map<String, String> head = readHeaders(in);
            int length = Integer.parseInt(head.getOrDefault("content-length", "0"));
            return new Answer(Integer.parseInt(status.split(" ")[1]),
                    new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }
    }

    private static void send(Socket socket, String method, String target, String body) throws IOException {
        send(socket, method, target, body, Map.of());
    }

    private static void send(Socket socket, String method, String target, String body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: test\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            request.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    private static Map<String, String> readHead(InputStream in) throws IOException {
        readLine(in);
        return readHeaders(in);
    }

    private static Map<String, String> readHeaders(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
        }
        return headers;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static String md5(byte[] body) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
