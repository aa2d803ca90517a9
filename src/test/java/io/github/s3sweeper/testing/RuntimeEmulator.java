package io.github.s3sweeper.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The function as Lambda runs it, without Docker: the Runtime Interface Emulator ({@code aws-lambda-rie}) starts a
 * JVM with the AWS Lambda Java runtime interface client, which loads the handler from the built jar and serves the
 * invocations the emulator receives over HTTP. Everything both write to standard output is kept, line by line,
 * as Lambda would send it to CloudWatch Logs.
 */
public final class RuntimeEmulator implements AutoCloseable {

    public static final String HANDLER = "io.github.s3sweeper.lambda.SweepHandler::handleRequest";
    private static final Path JAR = Path.of("target/s3-sweeper.jar");
    private static final Pattern START = Pattern.compile("^START RequestId: (\\S+)");

    /** One invocation: the HTTP answer, and the lines written after its START up to its REPORT. */
    public record Invocation(String requestId, String body, List<String> lines) {

        /** The lines the function and the runtime client wrote, not the emulator's own. */
        public List<String> jsonLines() {
            return lines.stream().filter(l -> l.startsWith("{")).toList();
        }
    }

    private final Process process;
    private final URI invocations;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private RuntimeEmulator(Path binary, Map<String, String> environment) throws IOException {
        int api = freePort();
        int invoke = freePort();
        List<String> command = List.of(binary.toString(),
                "--runtime-interface-emulator-address", "127.0.0.1:" + invoke,
                "--runtime-api-address", "127.0.0.1:" + api,
                javaCommand(), "-cp", classPath(),
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", HANDLER);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // Only what the test gives and what a JVM needs: no developer credentials or endpoints leak in.
        Map<String, String> env = builder.environment();
        Map<String, String> keep = new HashMap<>();
        for (String name : List.of("PATH", "HOME", "JAVA_HOME", "TMPDIR", "LANG")) {
            if (System.getenv(name) != null) {
                keep.put(name, System.getenv(name));
            }
        }
        env.clear();
        env.putAll(keep);
        env.putAll(environment);
        process = builder.start();
        invocations = URI.create("http://127.0.0.1:" + invoke + "/2015-03-31/functions/function/invocations");
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    output.add(line);
                }
            } catch (IOException e) {
                output.add("(reading the emulator's output failed: " + e + ")");
            }
        }, "rie-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * The emulator binary: {@code AWS_LAMBDA_RIE}, else {@code aws-lambda-rie} on the PATH or in Go's bin folder;
     * empty when none is installed.
     */
    public static Optional<Path> binary() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv("AWS_LAMBDA_RIE");
        if (configured != null && !configured.isEmpty()) {
            candidates.add(Path.of(configured));
        }
        Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .filter(dir -> !dir.isEmpty()).forEach(dir -> candidates.add(Path.of(dir, "aws-lambda-rie")));
        String gopath = System.getenv("GOPATH");
        candidates.add(Path.of(gopath != null && !gopath.isEmpty() ? gopath : System.getProperty("user.home") + "/go",
                "bin", "aws-lambda-rie"));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    public static RuntimeEmulator start(Path binary, Map<String, String> environment) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: the package phase builds it before the integration"
                    + " tests");
        }
        try {
            return new RuntimeEmulator(binary, environment);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Invokes the function with {@code event} and waits for the emulator's REPORT line of that invocation. */
    public Invocation invoke(String event) throws IOException, InterruptedException {
        int from = output.size();
        HttpResponse<String> response = send(event);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            // A copy: a view of the list would fail while the reader thread keeps adding lines.
            List<String> snapshot = List.copyOf(output);
            List<String> lines = snapshot.subList(from, snapshot.size());
            String requestId = lines.stream().map(START::matcher).filter(Matcher::find).map(m -> m.group(1))
                    .findFirst().orElse(null);
            if (requestId != null) {
                int report = indexOf(lines, "REPORT RequestId: " + requestId);
                if (report >= 0) {
                    int start = indexOf(lines, "START RequestId: " + requestId);
                    return new Invocation(requestId, response.body(), List.copyOf(lines.subList(start + 1,
                            report + 1)));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no REPORT line for the invocation; the emulator wrote:\n" + all());
            }
            Thread.sleep(20);
        }
    }

    private static int indexOf(List<String> lines, String start) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(start)) {
                return i;
            }
        }
        return -1;
    }

    /** The emulator listens a moment after it starts: connection refusals until then are retried. */
    private HttpResponse<String> send(String event) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(invocations).timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString(event)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (java.net.ConnectException e) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IllegalStateException("the emulator does not answer; it wrote:\n" + all(), e);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Everything the emulator and the function wrote so far, for failure messages. */
    public String all() {
        return String.join("\n", output);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /**
     * The deployment jar, as Lambda loads it, and the runtime interface client with what it needs from the test
     * class path (Lambda's managed runtime brings its own).
     */
    private static String classPath() {
        List<String> entries = new ArrayList<>();
        entries.add(JAR.toAbsolutePath().toString());
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("aws-lambda-java-runtime-interface-client-")
                    || name.startsWith("aws-lambda-java-serialization-")) {
                entries.add(entry);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
