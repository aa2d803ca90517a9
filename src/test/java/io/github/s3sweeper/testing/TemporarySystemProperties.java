package io.github.s3sweeper.testing;

import java.util.HashMap;
import java.util.Map;

/**
 * Sets system properties (the SDK's default credentials chain reads aws.accessKeyId, aws.secretAccessKey and
 * aws.sessionToken first) and puts back what was there on close, so one test class cannot change another's.
 */
public final class TemporarySystemProperties implements AutoCloseable {

    private final Map<String, String> previous = new HashMap<>();

    public TemporarySystemProperties set(String name, String value) {
        previous.putIfAbsent(name, System.getProperty(name));
        System.setProperty(name, value);
        return this;
    }

    public TemporarySystemProperties clear(String name) {
        previous.putIfAbsent(name, System.getProperty(name));
        System.clearProperty(name);
        return this;
    }

    /** Keys the unit tests' clients sign with when no other credentials are configured; no server checks them. */
    public static TemporarySystemProperties dummyCredentials() {
        TemporarySystemProperties properties = new TemporarySystemProperties();
        if (System.getProperty("aws.accessKeyId") == null) {
            properties.set("aws.accessKeyId", "dummy-access-key").set("aws.secretAccessKey", "dummy-secret-key");
        }
        return properties;
    }

    @Override
    public void close() {
        previous.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
        previous.clear();
    }
}
