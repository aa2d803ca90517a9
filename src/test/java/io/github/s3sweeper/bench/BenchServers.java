package io.github.s3sweeper.bench;

import io.github.s3sweeper.testing.EmbeddedS3;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The benchmark's servers in one JVM: s3proxy's filesystem store on {@code dir} (objects are files, LastModified is
 * their mtime) and, in front of it, the {@link ModelProxy}. Prints both endpoints as one JSON line, then runs until
 * its standard input closes.
 *
 * <p>Arguments: {@code dir roundTripMs listServiceMs deleteKeysPerSecond}.
 */
public final class BenchServers {

    private BenchServers() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: BenchServers dir roundTripMs listServiceMs deleteKeysPerSecond");
            System.exit(2);
        }
        ModelProxy.Model model = new ModelProxy.Model(Duration.ofMillis(Long.parseLong(args[1])),
                Duration.ofMillis(Long.parseLong(args[2])), Double.parseDouble(args[3]));
        try (EmbeddedS3 s3 = EmbeddedS3.filesystemUnsigned(Path.of(args[0]));
             ModelProxy proxy = new ModelProxy(s3.endpoint(), model)) {
            System.out.printf("{\"s3\":\"%s\",\"model\":\"%s\"}%n", s3.endpoint(), proxy.endpoint());
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the benchmark closes the pipe
            }
        }
    }
}
