package io.github.s3sweeper.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lambda's Invoke API, for asynchronous invocations only: what a run that continues itself talks to in tests. It
 * answers as Lambda does ({@code 202 Accepted}, or an error with Lambda's JSON body), keeps each accepted event in a
 * queue, and {@link #drain} runs the queued events one after another, as a function with reserved concurrency 1
 * would. It is a stand-in because no server here runs Lambda functions without Docker; the traffic it receives is the
 * production invoker's, signed, over HTTP.
 */
public final class LambdaInvokeEndpoint implements AutoCloseable {

    /** One request that reached the endpoint. */
    public record Request(String function, String invocationType, String authorization, String body) {
    }

    private static final Pattern PATH = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations");

    private final HttpServer server;
    private final List<Request> received = new ArrayList<>();
    private final Deque<String> queue = new ArrayDeque<>();
    private final Deque<Integer> failures = new ArrayDeque<>();

    private LambdaInvokeEndpoint(HttpServer server) {
        this.server = server;
    }

    public static LambdaInvokeEndpoint start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            LambdaInvokeEndpoint endpoint = new LambdaInvokeEndpoint(server);
            server.createContext("/", endpoint::handle);
            server.setExecutor(Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "lambda-invoke-endpoint");
                thread.setDaemon(true);
                return thread;
            }));
            server.start();
            return endpoint;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next {@code statuses.length} invocations are answered with these statuses instead of being accepted. */
    public synchronized void failNext(int... statuses) {
        for (int status : statuses) {
            failures.add(status);
        }
    }

    public synchronized List<Request> received() {
        return List.copyOf(received);
    }

    public synchronized int queued() {
        return queue.size();
    }

    /**
     * Runs each queued event, and each one those runs queue, one at a time, until none is left or {@code max} have
     * run.
     *
     * @return how many ran
     */
    public int drain(Consumer<String> run, int max) {
        int ran = 0;
        while (ran < max) {
            String next;
            synchronized (this) {
                next = queue.poll();
            }
            if (next == null) {
                break;
            }
            run.accept(next);
            ran++;
        }
        return ran;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Matcher path = PATH.matcher(exchange.getRequestURI().getRawPath());
            String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (!"POST".equals(exchange.getRequestMethod()) || !path.matches()) {
                answer(exchange, 404, "ResourceNotFoundException", "not an invoke: " + exchange.getRequestURI());
                return;
            }
            String function = URLDecoder.decode(path.group(1), StandardCharsets.UTF_8);
            Integer failure;
            synchronized (this) {
                received.add(new Request(function, type, authorization, new String(body, StandardCharsets.UTF_8)));
                failure = failures.poll();
            }
            if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 Credential=")
                    || !authorization.contains("/lambda/aws4_request")) {
                answer(exchange, 403, "InvalidSignatureException", "the request is not signed for lambda");
            } else if (!"Event".equals(type)) {
                answer(exchange, 400, "InvalidParameterValueException", "only asynchronous invocations here");
            } else if (failure != null) {
                answer(exchange, failure, failure == 429 ? "TooManyRequestsException" : "ServiceException",
                        "injected by the test");
            } else {
                synchronized (this) {
                    queue.add(new String(body, StandardCharsets.UTF_8));
                }
                exchange.sendResponseHeaders(202, -1);
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, String type, String message) throws IOException {
        byte[] body = ("{\"Type\":\"User\",\"message\":\"" + message.replace("\"", "'") + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("X-Amzn-ErrorType", type);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** The event as the Lambda runtime gives it to the handler. */
    public static Map<String, Object> asEvent(String body) {
        return RuntimeSerialization.readEvent(body);
    }
}
