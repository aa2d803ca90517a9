package io.github.s3sweeper.testing;

import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The counter the bad-input tables rely on for "no connection": it must see every one, at once, and only those. */
class CountingEndpointTest {

    @Test
    void countsEveryConnectionMadeBeforeTheCallAndNoneOfItsOwn() throws Exception {
        try (CountingEndpoint endpoint = CountingEndpoint.start()) {
            assertThat(endpoint.connections()).isZero();

            for (int i = 0; i < 3; i++) {
                // Opened and closed at once, without a byte: a connection all the same.
                new Socket(endpoint.endpoint().getHost(), endpoint.endpoint().getPort()).close();
            }
            try (Socket request = new Socket(endpoint.endpoint().getHost(), endpoint.endpoint().getPort())) {
                OutputStream out = request.getOutputStream();
                out.write("GET /my-backups?list-type=2&prefix=logs%2F%0A HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                        .startsWith("HTTP/1.1 200 OK").contains("<ListBucketResult>");
            }

            assertThat(endpoint.connections()).isEqualTo(4);
            assertThat(endpoint.connections()).as("counted once").isZero();
            assertThat(endpoint.parameter("prefix")).containsExactly("logs/\n");
        }
    }
}
