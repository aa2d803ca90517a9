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
        remember(name);
        System.setProperty(name, value);
        return this;
    }

    public TemporarySystemProperties clear(String name) {
        remember(name);
        System.clearProperty(name);
        return this;
    }

    /**
     * The value before the first change only. Not putIfAbsent: it takes a key mapped to null (a property that was
     * not set) for absent, so a second change would remember the first change's value and close would put it back.
     */
    private void remember(String name) {
        if (!previous.containsKey(name)) {
            previous.put(name, System.getProperty(name));
        }
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
