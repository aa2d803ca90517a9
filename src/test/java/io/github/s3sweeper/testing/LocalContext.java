package io.github.s3sweeper.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A Lambda context for handler tests outside Lambda: no time limit, and the logger it is given. */
public class LocalContext implements Context {

    private final String requestId = UUID.randomUUID().toString();
    private final LambdaLogger logger;

    public LocalContext(LambdaLogger logger) {
        this.logger = logger;
    }

    /** Logs to {@code err}, filtered by level as Lambda's ApplicationLogLevel does. */
    public static LocalContext stderr(PrintStream err, LogLevel threshold) {
        return new LocalContext(new LambdaLogger() {
            @Override
            public void log(String message) {
                err.println(message);
            }

            @Override
            public void log(byte[] message) {
                log(new String(message, StandardCharsets.UTF_8));
            }

            @Override
            public void log(String message, LogLevel level) {
                if (level.ordinal() >= threshold.ordinal()) {
                    err.println(level + " " + message);
                }
            }
        });
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "local";
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return "s3-sweeper";
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "local";
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return Integer.MAX_VALUE;
    }

    @Override
    public int getMemoryLimitInMB() {
        return (int) (Runtime.getRuntime().maxMemory() / (1024 * 1024));
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }
}
