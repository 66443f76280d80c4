package io.junitebpf.remote;

import io.junitebpf.junit.spi.TestOutcome;
import io.junitebpf.junit.spi.TestOutcome.Status;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * What one test did on the remote side — the response half of the protocol ({@link Exchange} is the request).
 *
 * @param status        how it ended
 * @param failure       why it failed or aborted (absent when successful)
 * @param reportEntries the report entries it published, in order
 * @param stdout        what the remote test JVM printed on stdout
 * @param stderr        and on stderr
 * @param duration      wall time seen by the test JVM, remote start-up included
 * @param where         where it ran, for messages ("container 1f2e… (image …)", "vm: Linux 6.1.0-50-amd64 (tcg)")
 */
public record RemoteTestResult(Status status, Optional<Failure> failure, List<Map<String, String>> reportEntries,
                                  String stdout, String stderr, Duration duration, String where) {

    /**
     * A throwable that crossed the boundary between the JVMs.
     *
     * @param className  the original class, e.g. org.opentest4j.AssertionFailedError
     * @param message    its message (null when it had none)
     * @param stackTrace its {@code printStackTrace} text, causes included
     * @param serialized the Java-serialized throwable (both JVMs share the class path), when it could be serialized
     */
    public record Failure(String className, String message, String stackTrace, Optional<byte[]> serialized) {

        public Failure {
            Objects.requireNonNull(className, "className");
            Objects.requireNonNull(stackTrace, "stackTrace");
            Objects.requireNonNull(serialized, "serialized");
        }

        /** Captures {@code t}. */
        public static Failure of(Throwable t) {
            StringWriter text = new StringWriter();
            t.printStackTrace(new PrintWriter(text));
            Optional<byte[]> bytes;
            try (var buffer = new ByteArrayOutputStream(); var out = new ObjectOutputStream(buffer)) {
                out.writeObject(t);
                out.flush();
                bytes = Optional.of(buffer.toByteArray());
            } catch (IOException e) {
                bytes = Optional.empty();  // a non-serializable field somewhere in the chain: the text still tells
            }
            return new Failure(t.getClass().getName(), t.getMessage(), text.toString(), bytes);
        }

        /**
         * The original throwable when it deserializes on this side (same type, message, causes and stack trace
         * as on the remote side), else a {@link RemoteTestException} carrying class name, message and trace text.
         */
        public Throwable toThrowable() {
            if (serialized.isPresent()) {
                try (var in = new ObjectInputStream(new ByteArrayInputStream(serialized.get())) {
                    @Override
                    protected Class<?> resolveClass(java.io.ObjectStreamClass desc) throws IOException,
                            ClassNotFoundException {
                        ClassLoader loader = Thread.currentThread().getContextClassLoader();
                        try {
                            return Class.forName(desc.getName(), false, loader);
                        } catch (ClassNotFoundException e) {
                            return super.resolveClass(desc);
                        }
                    }
                }) {
                    return (Throwable) in.readObject();
                } catch (IOException | ClassNotFoundException | ClassCastException e) {
                    // fall through to the text form
                }
            }
            return new RemoteTestException(this);
        }
    }

    public RemoteTestResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(failure, "failure");
        reportEntries = reportEntries.stream().map(Map::copyOf).toList();
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(where, "where");
    }

    /** The outcome for the extension to replay: the failure rebuilt as a throwable. */
    public TestOutcome toOutcome() {
        return new TestOutcome(status, failure.map(Failure::toThrowable), reportEntries, stdout, stderr, duration,
                where);
    }

    /** A result for a test the runtime could not run to an answer (died, timed out, JVM failed to start). */
    public static RemoteTestResult failed(RuntimeException why, String stdout, String stderr, Duration duration,
                                          String where) {
        return new RemoteTestResult(Status.FAILED, Optional.of(Failure.of(why)), List.of(), stdout, stderr, duration,
                where);
    }

    /** The body of a response file: what the remote side writes (no duration or place). */
    public static void write(Path file, Status status, Optional<Failure> failure, List<Map<String, String>> entries,
                             String stdout, String stderr) throws IOException {
        Properties p = new Properties();
        p.setProperty("status", status.name());
        p.setProperty("stdout", stdout);
        p.setProperty("stderr", stderr);
        failure.ifPresent(f -> {
            p.setProperty("failure.class", f.className());
            if (f.message() != null) {
                p.setProperty("failure.message", f.message());
            }
            p.setProperty("failure.stackTrace", f.stackTrace());
            f.serialized().ifPresent(b -> p.setProperty("failure.serialized", Base64.getEncoder().encodeToString(b)));
        });
        for (int i = 0; i < entries.size(); i++) {
            int j = 0;
            for (Map.Entry<String, String> e : entries.get(i).entrySet()) {
                p.setProperty("reportEntry." + i + "." + j + ".key", e.getKey());
                p.setProperty("reportEntry." + i + "." + j + ".value", e.getValue());
                j++;
            }
        }
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            p.store(out, "junit-ebpf remote test response");
        }
        Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads a response file and completes it with what the host saw. */
    public static RemoteTestResult read(Path file, Duration duration, String where) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        Status status = Status.valueOf(p.getProperty("status", Status.FAILED.name()));
        Optional<Failure> failure = Optional.ofNullable(p.getProperty("failure.class")).map(c -> new Failure(c,
                p.getProperty("failure.message"), p.getProperty("failure.stackTrace", ""),
                Optional.ofNullable(p.getProperty("failure.serialized")).map(Base64.getDecoder()::decode)));
        List<Map<String, String>> entries = new ArrayList<>();
        for (int i = 0; p.containsKey("reportEntry." + i + ".0.key"); i++) {
            Map<String, String> entry = new LinkedHashMap<>();
            for (int j = 0; p.containsKey("reportEntry." + i + "." + j + ".key"); j++) {
                entry.put(p.getProperty("reportEntry." + i + "." + j + ".key"),
                        p.getProperty("reportEntry." + i + "." + j + ".value"));
            }
            entries.add(entry);
        }
        return new RemoteTestResult(status, failure, entries, p.getProperty("stdout", ""),
                p.getProperty("stderr", ""), duration, where);
    }
}
