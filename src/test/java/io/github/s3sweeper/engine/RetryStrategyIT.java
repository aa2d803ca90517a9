package io.github.s3sweeper.engine;

import io.github.s3sweeper.aws.S3ClientFactory;
import io.github.s3sweeper.config.S3Settings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production client's own retry strategy, over HTTP: a server whose first answers break off in the middle of
 * their body, and one that stalls. The SDK's default conditions do not retry the first (it surfaces as a parse
 * failure), and a stall would cost the HTTP client's 30 s read timeout per attempt.
 */
class RetryStrategyIT {

    private static final String EMPTY_LISTING = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult"
            + " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>b</Name><Prefix>logs/</Prefix><KeyCount>0"
            + "</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>";

    /**
     * Answers each connection, on a thread of its own, with a full listing, except the first {@code broken} answers:
     * those stop halfway through their body (after {@code stall}, if any) and end with a reset.
     */
    private static void serve(ServerSocket server, int broken, Duration stall, AtomicInteger requests) {
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread answer = new Thread(() -> answer(socket, requests.incrementAndGet() <= broken, stall));
                    answer.setDaemon(true);
                    answer.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "broken-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static void answer(Socket socket, boolean broken, Duration stall) {
        try (socket) {
            readHeaders(socket.getInputStream());
            byte[] body = EMPTY_LISTING.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            if (!broken) {
                out.write(body);
                out.flush();
                return;
            }
            out.flush();
            if (!stall.isZero()) {
                Thread.sleep(stall.toMillis());
            }
            out.write(body, 0, body.length / 2);
            out.flush();
            socket.setSoLinger(true, 0); // an abortive close: the client sees a reset
        } catch (IOException | InterruptedException e) {
            // the client gave up on this answer: what a stalled answer is for
        }
    }

    private static void readHeaders(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    private static S3Settings settings(ServerSocket server, Duration attemptTimeout) {
        return new S3Settings("us-east-1", Optional.of(URI.create("http://127.0.0.1:" + server.getLocalPort())),
                attemptTimeout);
    }

    @Test
    void anAnswerCutInItsBodyIsRetriedByTheClientItself() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             var s3 = S3ClientFactory.create(settings(server, Duration.ofSeconds(5)))) {
            serve(server, 1, Duration.ZERO, requests);

            var page = s3.listObjectsV2(b -> b.bucket("b").prefix("logs/"));

            assertThat(page.keyCount()).isZero();
            assertThat(requests).as("the cut answer, then the whole one").hasValue(2);
        }
    }

    /**
     * The stall comes after the headers, while the body is read: the SDK lets the read's timeout escape as a bare
     * UncheckedIOException, so it is the engine's round (engine/Retrying) that sends the request again.
     */
    @Test
    void aStalledAnswerFailsItsAttemptWithinTheAttemptTimeoutAndIsRequestedAgain() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             var s3 = S3ClientFactory.create(settings(server, Duration.ofMillis(500)))) {
            serve(server, 1, Duration.ofSeconds(5), requests);
            long start = System.nanoTime();

            var page = new Retrying(Budget.UNLIMITED, d -> { })
                    .call(() -> s3.listObjectsV2(b -> b.bucket("b").prefix("logs/")));

            assertThat(page.keyCount()).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not the 30 s read timeout, nor the 5 s stall")
                    .isLessThan(Duration.ofSeconds(4));
            assertThat(requests).hasValue(2);
        }
    }
}
