package io.junitebpf.junit;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The extension's configuration keys. Each is read from the JUnit configuration
 * parameters (junit-platform.properties or {@code -D} on the test JVM), then
 * from the environment variable of the same name in upper snake case
 * ({@code junit.ebpf.strict} → {@code JUNIT_EBPF_STRICT}); an annotation
 * attribute beats both. A bad value fails with the key and the value.
 */
public final class EbpfConfig {

    /** "true" to check every test for leaked programs, links and processes. */
    public static final String STRICT_PROPERTY_NAME = "junit.ebpf.strict";
    /** What to do when the environment cannot run an eBPF test: "skip" (default) or "fail". */
    public static final String UNAVAILABLE_PROPERTY_NAME = "junit.ebpf.unavailable";
    /** Events an EventStream keeps before dropping the oldest (default 100000). */
    public static final String STREAM_CAPACITY_PROPERTY_NAME = "junit.ebpf.stream.capacity";
    /** Default timeout of {@code EventStreamAssert} waits, ISO-8601 or milliseconds (default PT10S). */
    public static final String AWAIT_TIMEOUT_PROPERTY_NAME = "junit.ebpf.await.timeout";
    /** A simulated lack of privileges, for testing the unavailable path: "true" makes preflight fail. */
    public static final String SIMULATE_UNPRIVILEGED_PROPERTY_NAME = "junit.ebpf.simulate.unprivileged";

    private EbpfConfig() {
    }

    static Optional<String> raw(ExtensionContext context, String key) {
        Optional<String> value = context.getConfigurationParameter(key).filter(v -> !v.isBlank());
        if (value.isPresent()) {
            return value;
        }
        String env = System.getenv(io.junitebpf.container.ContainerConfig.environmentName(key));
        return Optional.ofNullable(env).filter(v -> !v.isBlank());
    }

    static boolean bool(ExtensionContext context, String key, boolean fallback) {
        return raw(context, key).map(v -> switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw bad(key, v, "true or false");
        }).orElse(fallback);
    }

    static int positiveInt(ExtensionContext context, String key, int fallback) {
        return raw(context, key).map(v -> {
            try {
                int n = Integer.parseInt(v.strip());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw bad(key, v, "a positive integer");
        }).orElse(fallback);
    }

    static Duration duration(ExtensionContext context, String key, Duration fallback) {
        return raw(context, key).map(v -> {
            try {
                return v.strip().startsWith("P") ? Duration.parse(v.strip()) : Duration.ofMillis(Long.parseLong(v.strip()));
            } catch (RuntimeException e) {
                throw bad(key, v, "an ISO-8601 duration such as PT5S, or milliseconds");
            }
        }).orElse(fallback);
    }

    static <E extends Enum<E>> E choice(ExtensionContext context, String key, Class<E> type, E fallback) {
        return raw(context, key).map(v -> {
            String wanted = v.strip().replace('-', '_').toUpperCase(Locale.ROOT);
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(wanted)) {
                    return e;
                }
            }
            throw bad(key, v, "one of " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList());
        }).orElse(fallback);
    }

    static ExtensionConfigurationException bad(String key, String value, String expected) {
        return new ExtensionConfigurationException("junit-ebpf configuration: " + key + "='" + value
                + "' is invalid (expected " + expected + ")");
    }
}
