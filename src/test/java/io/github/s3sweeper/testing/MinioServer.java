package io.github.s3sweeper.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * MinIO ({@code go install github.com/minio/minio@...}), started by the test on free loopback ports and stopped after
 * it. It runs in erasure mode on four fresh folders ({@code minio server '<dir>/d{1...4}'}, the braces passed to MinIO
 * as they are), which is what gives it versioning and Object Lock; {@code MINIO_CI_CD=1} lets it use folders of the
 * root disk. Found at the path in {@code MINIO_SERVER}, else as {@code minio} on the PATH or in Go's bin folder.
 */
public final class MinioServer implements AutoCloseable {

    public static final String INSTALL_HINT = "minio not found (MINIO_SERVER, the PATH, ~/go/bin): the MinIO scenarios"
            + " are skipped; install it with: go install github.com/minio/minio@latest";

    private final Process process;
    private final int port;
    private final String accessKey = "sweeper-minio";
    private final String secretKey = "sweeper-" + UUID.randomUUID();

    private MinioServer(Path executable, Path dataDir, Path log) throws IOException, InterruptedException {
        port = freePort();
        int consolePort = freePort();
        deleteTree(dataDir);
        for (int i = 1; i <= 4; i++) {
            Files.createDirectories(dataDir.resolve("d" + i));
        }
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(executable.toString(), "server",
                "--address", "127.0.0.1:" + port, "--console-address", "127.0.0.1:" + consolePort,
                dataDir.toAbsolutePath() + "/d{1...4}")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("MINIO_")); // a developer's own MinIO settings stay out
        env.put("MINIO_CI_CD", "1");
        env.put("MINIO_ROOT_USER", accessKey);
        env.put("MINIO_ROOT_PASSWORD", secretKey);
        env.put("MINIO_UPDATE", "off");
        process = builder.start();
        awaitReady(log);
    }

    public static Optional<Path> executable() {
        String configured = System.getenv("MINIO_SERVER");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "minio"));
            }
        }
        String gopath = System.getenv("GOPATH");
        candidates.add(Path.of(gopath != null && !gopath.isEmpty() ? gopath : System.getProperty("user.home") + "/go",
                "bin", "minio"));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /** Starts MinIO on {@code dataDir}/d1 ... d4 (emptied first), its output in {@code log}. */
    public static MinioServer start(Path executable, Path dataDir, Path log) {
        try {
            return new MinioServer(executable, dataDir, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + executable, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** Waits until MinIO's readiness probe answers 200: the erasure set is formatted and serves requests. */
    private void awaitReady(Path log) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(endpoint().resolve("/minio/health/ready"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("minio did not become ready; see " + log.toAbsolutePath());
            }
            Thread.sleep(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
