package io.junitebpf.junit;

import io.junitebpf.bpf.Configuration;
import io.junitebpf.bpf.ConfigurationException;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * junit-ebpf's configuration keys, and their reader for the extension and runtime providers such as the
 * container runtime: native's {@link Configuration} (the one reader, which native's own keys go through too) with
 * JUnit's configuration parameters as the first source and JUnit's exception for a bad value.
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
    public static final String PREFIX = Configuration.PREFIX;
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

    private final Configuration reader;

    private EbpfConfig(Configuration reader) {
        this.reader = reader;
    }

    /**
     * A reader of {@code parameters} (by key), then {@code environment} (by {@link #environmentName}); both
     * return null for a missing entry.
     */
    public static EbpfConfig of(UnaryOperator<String> parameters, UnaryOperator<String> environment) {
        return new EbpfConfig(Configuration.of(parameters, environment));
    }

    /** A reader of this JVM's system properties and environment (outside JUnit, e.g. in a runtime provider). */
    public static EbpfConfig system() {
        return new EbpfConfig(Configuration.system());
    }

    /** A reader of the JUnit configuration parameters of {@code context} and of this JVM's environment. */
    static EbpfConfig of(ExtensionContext context) {
        return of(key -> context.getConfigurationParameter(key).orElse(null), System::getenv);
    }

    /** The environment variable that stands for {@code key}: junit.ebpf.container.java-home → JUNIT_EBPF_CONTAINER_JAVA_HOME. */
    public static String environmentName(String key) {
        return Configuration.environmentName(key);
    }

    /** The value of {@code key}, stripped; empty when unset or blank. */
    public Optional<String> string(String key) {
        return reader.string(key);
    }

    /** true/yes/on/1 or false/no/off/0. */
    public boolean bool(String key, boolean fallback) {
        return read(() -> reader.bool(key, fallback));
    }

    /** A positive int. */
    public int positiveInt(String key, int fallback) {
        return read(() -> reader.positiveInt(key, fallback));
    }

    /** A positive duration: 500ms, 5s, 2m, 1h, a bare number of seconds, or ISO-8601 (PT10M). */
    public Duration duration(String key, Duration fallback) {
        return read(() -> reader.duration(key, fallback));
    }

    /** An enum constant by its name in lower case with '-' for '_' ("in-process" → IN_PROCESS). */
    public <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
        return read(() -> reader.choice(key, type, fallback));
    }

    /** How an enum constant is written in configuration: IN_PROCESS → "in-process". */
    public static String value(Enum<?> constant) {
        return Configuration.value(constant);
    }

    /** A failure naming where the bad value came from (the key, or the variable standing for it) and the value. */
    public ExtensionConfigurationException bad(String key, String value, String expected) {
        return junit(reader.bad(key, value, expected));
    }

    private static <T> T read(Supplier<T> value) {
        try {
            return value.get();
        } catch (ConfigurationException e) {
            throw junit(e);
        }
    }

    private static ExtensionConfigurationException junit(ConfigurationException e) {
        return new ExtensionConfigurationException(e.getMessage(), e);
    }
}
