package io.github.s3sweeper.cli;

import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import io.github.s3sweeper.aws.S3ClientFactory;
import io.github.s3sweeper.config.InvalidSettingsException;
import io.github.s3sweeper.config.SettingsParser;
import io.github.s3sweeper.engine.SweepFailedException;
import io.github.s3sweeper.lambda.SweepHandler;
import io.github.s3sweeper.report.SweepSummary;
import io.github.s3sweeper.report.Version;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar s3-sweeper.jar [--dry-run] [--event FILE]}: runs the Lambda handler once with the same
 * environment variables, the summary JSON on stdout and the logs on stderr.
 */
public final class Main {

    public static final int OK = 0;
    public static final int RUN_FAILED = 1;
    public static final int BAD_SETTINGS = 2;

    static final String USAGE = "Usage: java -jar s3-sweeper.jar [--dry-run] [--event FILE] [--version]\n"
            + "  --dry-run     list and report what would be deleted; delete nothing (same as DRY_RUN=true)\n"
            + "  --event FILE  invoke with this event JSON (for example a file in events/); default {}\n"
            + "  --version     print the version and exit\n"
            + "Settings come from the environment: BUCKET_NAME, PREFIX, RETENTION_DAYS, DRY_RUN,\n"
            + "ALLOW_WHOLE_BUCKET, AWS_REGION and, for other S3 servers, AWS_ENDPOINT_URL_S3.\n"
            + "Exit status: 0 success, 1 the run failed, 2 bad settings or arguments.";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs once and returns the exit status; nothing here calls {@code System.exit}, so tests can drive it. */
    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        Map<String, String> env = new HashMap<>(environment);
        Path eventFile = null;
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String arg = rest.remove(0);
            switch (arg) {
                case "--dry-run" -> env.put(SettingsParser.DRY_RUN, "true");
                case "--event" -> {
                    if (rest.isEmpty()) {
                        err.println("--event needs a file\n" + USAGE);
                        return BAD_SETTINGS;
                    }
                    eventFile = Path.of(rest.remove(0));
                }
                case "--version", "-V" -> {
                    out.println("s3-sweeper " + Version.current());
                    return OK;
                }
                case "--help", "-h" -> {
                    out.println(USAGE);
                    return OK;
                }
                default -> {
                    err.println("Unknown argument: " + arg + "\n" + USAGE);
                    return BAD_SETTINGS;
                }
            }
        }

        Map<String, Object> event;
        try {
            event = eventFile == null ? new HashMap<>() : EventFile.read(eventFile);
        } catch (EventFile.UnreadableException e) {
            err.println(e.getMessage());
            return BAD_SETTINGS;
        }

        List<S3Client> built = new ArrayList<>(1);
        SweepHandler handler = new SweepHandler(env, Clock.systemUTC(), settings -> {
            S3Client client = S3ClientFactory.create(settings);
            built.add(client);
            return client;
        }, err::println);
        // The handler writes its own log lines; the context only tells it there is no time limit.
        LocalContext context = LocalContext.stderr(err, LogLevel.INFO);
        try {
            SweepSummary summary = handler.handleRequest(event, context);
            out.println(summary.toJson());
            return OK;
        } catch (InvalidSettingsException e) {
            err.println(e.getMessage());
            return BAD_SETTINGS;
        } catch (SweepFailedException e) {
            out.println(e.summary().toJson());
            // Last, where a person at a terminal looks: the cause in one line.
            err.println("FAILED: " + e.getMessage());
            return RUN_FAILED;
        } catch (RuntimeException e) {
            err.println("The run failed: " + e);
            return RUN_FAILED;
        } finally {
            built.forEach(S3Client::close);
        }
    }
}
