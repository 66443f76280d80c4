package io.junitebpf.junit;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * junit-ebpf's configuration keys, and the one reader of them (used by the extension and by runtime
 * providers such as the container runtime).
 *
 * <p>A key {@code junit.ebpf.x.y-z} is read from the JUnit configuration parameters
 * ({@code junit-platform.properties}, or {@code -D} on the test JVM), then from the environment variable
 * {@link #environmentName(String) JUNIT_EBPF_X_Y_Z}; an annotation attribute beats both, a blank value counts as
 * unset. A bad value fails with {@link ExtensionConfigurationException} naming the key (or the variable) and the
 * value. Durations are a number with a unit — {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h} — or an ISO-8601
 * duration ({@code PT10M}); a bare number means seconds, as in JUnit's own timeout keys.
 */
public final class EbpfConfig {

    /** Every key starts with this. */
    public static final String PREFIX = "junit.ebpf.";
    /** "true" to check every test for leaked programs, links and processes. */
    public static final String STRICT_PROPERTY_NAME = "junit.ebpf.strict";
    /** What to do when the environment cannot run an eBPF test: "skip" (default) or "fail". */
    public static final String UNAVAILABLE_PROPERTY_NAME = "junit.ebpf.unavailable";
    /** Events an EventStream keeps before dropping the oldest (default 100000). */
    public static final String STREAM_CAPACITY_PROPERTY_NAME = "junit.ebpf.stream.capacity";
    /** Where the tests run: auto, in-process, container or never-container ({@link EbpfTest.Runtime}). */
    public static final String RUNTIME_PROPERTY_NAME = "junit.ebpf.runtime";
    /**
     * The kernel to run the tests on: 5.10, 6.1, 6.12, latest (Debian's kernels) or the path of a kernel image, in a
     * VM ({@code io.junitebpf:junit-ebpf-vm}); "host" or unset runs them here. Beats {@link EbpfTest#kernel()}, so
     * that one property moves a whole suite to another kernel.
     */
    public static final String KERNEL_PROPERTY_NAME = "junit.ebpf.kernel";
    /** A simulated lack of privileges, for testing the unavailable path: "true" makes preflight fail. */
    public static final String SIMULATE_UNPRIVILEGED_PROPERTY_NAME = "junit.ebpf.simulate.unprivileged";

    private static final Pattern WITH_UNIT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    private final UnaryOperator<String> parameters;
    private final UnaryOperator<String> environment;

    private EbpfConfig(UnaryOperator<String> parameters, UnaryOperator<String> environment) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /**
     * A reader of {@code parameters} (by key), then {@code environment} (by {@link #environmentName}); both
     * return null for a missing entry.
     */
    public static EbpfConfig of(UnaryOperator<String> parameters, UnaryOperator<String> environment) {
        return new EbpfConfig(parameters, environment);
    }

    /** A reader of this JVM's system properties and environment (outside JUnit, e.g. in a runtime provider). */
    public static EbpfConfig system() {
        return of(System::getProperty, System::getenv);
    }

    /** A reader of the JUnit configuration parameters of {@code context} and of this JVM's environment. */
    static EbpfConfig of(ExtensionContext context) {
        return of(key -> context.getConfigurationParameter(key).orElse(null), System::getenv);
    }

    /** The environment variable that stands for {@code key}: junit.ebpf.container.java-home → JUNIT_EBPF_CONTAINER_JAVA_HOME. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The value of {@code key}, stripped; empty when unset or blank. */
    public Optional<String> string(String key) {
        return Optional.ofNullable(parameters.apply(key)).map(String::strip).filter(v -> !v.isEmpty())
                .or(() -> Optional.ofNullable(environment.apply(environmentName(key))).map(String::strip)
                        .filter(v -> !v.isEmpty()));
    }

    /** true/yes/on/1 or false/no/off/0. */
    public boolean bool(String key, boolean fallback) {
        return string(key).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw bad(key, v, "true or false");
        }).orElse(fallback);
    }

    /** A positive int. */
    public int positiveInt(String key, int fallback) {
        return string(key).map(v -> {
            try {
                int n = Integer.parseInt(v);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw bad(key, v, "a positive integer");
        }).orElse(fallback);
    }

    /** A positive duration: 500ms, 5s, 2m, 1h, a bare number of seconds, or ISO-8601 (PT10M). */
    public Duration duration(String key, Duration fallback) {
        return string(key).map(v -> {
            Duration parsed = parseDuration(v);
            if (parsed == null || parsed.isZero() || parsed.isNegative()) {
                throw bad(key, v, "a positive duration such as 500ms, 30s, 10m or PT10M; a bare number is seconds");
            }
            return parsed;
        }).orElse(fallback);
    }

    /** An enum constant by its name in lower case with '-' for '_' ("in-process" → IN_PROCESS). */
    public <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
        return string(key).map(v -> {
            String wanted = v.replace('-', '_').toUpperCase(Locale.ROOT);
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(wanted)) {
                    return e;
                }
            }
            throw bad(key, v, "one of " + String.join(", ", Arrays.stream(type.getEnumConstants())
                    .map(EbpfConfig::value).toList()));
        }).orElse(fallback);
    }

    /** How an enum constant is written in configuration: IN_PROCESS → "in-process". */
    public static String value(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A failure naming where the bad value came from (the key, or the variable standing for it) and the value. */
    public ExtensionConfigurationException bad(String key, String value, String expected) {
        String property = parameters.apply(key);
        String source = property != null && !property.isBlank() ? key : environmentName(key) + " (" + key + ")";
        return new ExtensionConfigurationException("junit-ebpf configuration: " + source + "='" + value
                + "' is invalid (expected " + expected + ")");
    }

    private static Duration parseDuration(String text) {
        if (text.startsWith("P") || text.startsWith("p")) {
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        Matcher m = WITH_UNIT.matcher(text);
        if (!m.matches()) {
            return null;
        }
        long amount;
        try {
            amount = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return null;
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        try {
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofSeconds(amount);
            };
        } catch (ArithmeticException e) {
            return null;
        }
    }
}
