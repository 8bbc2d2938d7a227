package dev.trainstream.events;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Compact-constructor checks shared by the event records, each failure naming the offending field. */
final class FieldChecks {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private FieldChecks() {
    }

    static String nonBlank(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must be a non-blank string, got " + quoted(value));
        }
        return value;
    }

    static <T> T nonNull(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        return value;
    }

    static String sha256(String value, String field) {
        if (value == null || !SHA256_HEX.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be 64 lower-case hex characters (sha256), got " + quoted(value));
        }
        return value;
    }

    static int atLeast(int value, int min, String field) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + ", got " + value);
        }
        return value;
    }

    static long atLeast(long value, long min, String field) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + ", got " + value);
        }
        return value;
    }

    static double finite(double value, String field) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(field + " must be a finite number, got " + value);
        }
        return value;
    }

    static double fraction(double value, String field) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(field + " must be within [0, 1], got " + value);
        }
        return value;
    }

    /** Copies a list, rejecting a null list or null elements with the field's name. */
    static <T> List<T> copy(List<T> values, String field) {
        nonNull(values, field);
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw new IllegalArgumentException(field + "[" + i + "] must not be null");
            }
        }
        return List.copyOf(values);
    }

    static <T> List<T> copyNonEmpty(List<T> values, String field) {
        List<T> copy = copy(values, field);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        return copy;
    }

    static Map<String, String> copy(Map<String, String> values, String field) {
        nonNull(values, field);
        values.forEach((k, v) -> {
            nonBlank(k, field + " key");
            nonNull(v, field + "[" + k + "]");
        });
        return Map.copyOf(values);
    }

    private static String quoted(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }
}
