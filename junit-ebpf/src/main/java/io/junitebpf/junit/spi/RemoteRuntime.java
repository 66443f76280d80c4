package io.junitebpf.junit.spi;

import io.junitebpf.junit.EbpfConfig;

import java.util.Optional;

/**
 * Somewhere other than the test JVM where the tests of an {@code @EbpfTest} class can run: a privileged container,
 * a VM with a chosen kernel. The extension finds implementations with {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/io.junitebpf.junit.spi.RemoteRuntime} entry on the test class path), picks one by
 * {@link #name()} when {@value EbpfConfig#RUNTIME_PROPERTY_NAME} asks for it — or, for {@code auto}, when the test
 * JVM cannot load BPF — and replays each {@link TestOutcome} as if the test had run in the test JVM.
 *
 * <p>Inside, the same test class runs in-process: a runtime starts its JVM with
 * {@code junit.ebpf.runtime=in-process}, so the extension there loads BPF instead of asking again.
 */
public interface RemoteRuntime {

    /** The value of {@value EbpfConfig#RUNTIME_PROPERTY_NAME} that selects this runtime, e.g. "container". */
    String name();

    /**
     * Why this runtime cannot run tests here (for example "no Docker engine reachable (...)"), or empty when it
     * can. Asked only when the runtime is needed; may take a while the first time and should remember the answer.
     */
    Optional<String> problem(EbpfConfig config);

    /** A session for the tests of {@code testClass}; nothing needs to start before its first {@link Session#run}. */
    Session open(String testClass, EbpfConfig config);

    /** The tests of one class: opened before its first test, closed after its last. */
    interface Session extends AutoCloseable {

        /**
         * Runs one test and says how it ended. Throws when the runtime cannot run tests at all (no image, start
         * refused); a test that could not finish (its JVM died, timed out) is a FAILED outcome saying so.
         */
        TestOutcome run(TestRequest request);

        /** Releases everything the session started. Idempotent. */
        @Override
        void close();
    }
}
