package io.github.s3sweeper.config;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Settings' values as read, typed by their declaration; a setting not set and without a default has none. */
final class Values {

    private final Map<Setting<?>, Object> values = new LinkedHashMap<>();
    private final Set<Setting<?>> failed = new HashSet<>();

    <T> void put(Setting<T> setting, Object value) {
        values.put(setting, value);
    }

    void failed(Setting<?> setting) {
        failed.add(setting);
    }

    boolean hasFailed(Setting<?> setting) {
        return failed.contains(setting);
    }

    @SuppressWarnings("unchecked")
    <T> T get(Setting<T> setting) {
        return (T) values.get(setting);
    }

    <T> T getOrDefault(Setting<T> setting, T fallback) {
        T value = get(setting);
        return value != null ? value : fallback;
    }
}
