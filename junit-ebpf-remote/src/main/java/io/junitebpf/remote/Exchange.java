package io.junitebpf.remote;

import io.junitebpf.junit.spi.TestRequest;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The request half of the protocol between the test JVM and a remote runtime's JVM (container, VM): a
 * {@link TestRequest} as a properties file in the exchange
 * directory (bind-mounted read-write at the same path on both sides). {@link RemoteTestResult} is the answer.
 */
public final class Exchange {

    private Exchange() {
    }

    /** Writes {@code request} to {@code file}. */
    public static void write(TestRequest request, Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("class", request.className());
        p.setProperty("method", request.methodName());
        p.setProperty("parameterTypes", String.join(",", request.parameterTypeNames()));
        request.uniqueId().ifPresent(id -> p.setProperty("uniqueId", id));
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(out, "junit-ebpf remote test request");
        }
    }

    /** Reads a request written by {@link #write}. */
    public static TestRequest read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        String types = p.getProperty("parameterTypes", "");
        return new TestRequest(require(p, "class", file), require(p, "method", file),
                types.isEmpty() ? List.of() : List.of(types.split(",")),
                Optional.ofNullable(p.getProperty("uniqueId")));
    }

    private static String require(Properties p, String key, Path file) {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("test request " + file + ": missing '" + key + "'");
        }
        return value;
    }
}
