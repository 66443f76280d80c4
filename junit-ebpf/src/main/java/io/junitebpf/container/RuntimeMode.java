package io.junitebpf.container;

import java.util.Locale;

/** Where a test's eBPF work runs; the value of {@value ContainerConfig#RUNTIME_PROPERTY_NAME}. */
public enum RuntimeMode {
    /** In the test JVM when it can load BPF, else in a container when a Docker engine answers, else skip. */
    AUTO("auto"),
    /** Always in the test JVM (also what the container itself runs with, so it never recurses). */
    IN_PROCESS("in-process"),
    /** Always in a container; no reachable engine is a failure, not a skip. */
    CONTAINER("container"),
    /** In the test JVM when it can load BPF, else skip; never starts a container. */
    NEVER_CONTAINER("never-container");

    private final String value;

    RuntimeMode(String value) {
        this.value = value;
    }

    /** The configuration value, e.g. "in-process". */
    public String value() {
        return value;
    }

    /** Parses a configuration value; a bad one names {@code key} and the value. */
    public static RuntimeMode parse(String key, String text) {
        String wanted = text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (RuntimeMode mode : values()) {
            if (mode.value.equals(wanted)) {
                return mode;
            }
        }
        throw new IllegalArgumentException(key + ": invalid value '" + text
                + "' (expected auto, in-process, container or never-container)");
    }
}
