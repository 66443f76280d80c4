package io.junitebpf.junit;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where one test class's tests run, and why — the sentence is logged and published as the report entry
 * {@value #REPORT_ENTRY_KEY}.
 *
 * @param choice what to do
 * @param remote the {@link io.junitebpf.junit.spi.RemoteRuntime#name() remote runtime} for {@link Choice#REMOTE}
 * @param reason one sentence naming the configuration and every reason that led here
 */
record RuntimeDecision(Choice choice, Optional<String> remote, String reason) {

    /** The report entry key under which the extension publishes {@link #reason()}. */
    static final String REPORT_ENTRY_KEY = "junit.ebpf.runtime";

    /** The outcome of the choice. */
    enum Choice {
        /** Run the test in the test JVM. */
        IN_PROCESS,
        /** Run the test in {@link #remote()} and replay its outcome. */
        REMOTE,
        /** Skip (abort) the test with {@link #reason()}: nothing can run it and the mode allows skipping. */
        SKIP,
        /** Fail the test with {@link #reason()}: the mode demanded a runtime that is not there. */
        FAIL
    }

    RuntimeDecision {
        Objects.requireNonNull(choice, "choice");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * Decides.
     *
     * @param mode             the configured runtime ({@link EbpfTest.Runtime#DEFAULT} counts as AUTO)
     * @param inProcessProblem why this JVM cannot load BPF (e.g. "no privileges to load BPF (...)"), or empty
     *                         when it can
     * @param remoteProblem    asked only when needed, with a remote runtime's name: why it cannot run tests
     *                         here (not on the class path, no engine), or empty when it can
     */
    static RuntimeDecision choose(EbpfTest.Runtime mode, Optional<String> inProcessProblem,
                                  Function<String, Optional<String>> remoteProblem) {
        String configured = EbpfConfig.RUNTIME_PROPERTY_NAME + "=" + EbpfConfig.value(mode);
        String container = RemoteRuntimes.CONTAINER;
        return switch (mode) {
            case IN_PROCESS -> local(configured);
            case NEVER_CONTAINER -> inProcessProblem
                    .map(p -> skip(configured + " and this JVM cannot load BPF: " + p))
                    .orElseGet(() -> local(configured + ": this JVM can load BPF"));
            case CONTAINER -> remoteProblem.apply(container)
                    .map(d -> fail(configured + " but no container can be started: " + d))
                    .orElseGet(() -> remote(container, configured));
            case AUTO, DEFAULT -> {
                String auto = EbpfConfig.RUNTIME_PROPERTY_NAME + "=auto";
                if (inProcessProblem.isEmpty()) {
                    yield local(auto + ": this JVM can load BPF");
                }
                String noBpf = "this JVM cannot load BPF (" + inProcessProblem.get() + ")";
                yield remoteProblem.apply(container)
                        .map(d -> skip(auto + ": " + noBpf + " and no container runtime is available (" + d + ")"))
                        .orElseGet(() -> remote(container, auto + ": " + noBpf + "; running in a container"));
            }
        };
    }

    /**
     * Decides for a class whose tests must run on {@code kernel} (from {@value EbpfConfig#KERNEL_PROPERTY_NAME} or
     * {@link EbpfTest#kernel()}): in the VM runtime, or fail saying why it cannot run them.
     */
    static RuntimeDecision onKernel(String kernel, Function<String, Optional<String>> remoteProblem) {
        String configured = EbpfConfig.KERNEL_PROPERTY_NAME + "=" + kernel;
        return remoteProblem.apply(RemoteRuntimes.VM)
                .map(p -> fail(configured + " but the tests cannot run on that kernel: " + p))
                .orElseGet(() -> remote(RemoteRuntimes.VM, configured));
    }

    /** "in-process: ...", "container: ...": what the report entry says. */
    String describe() {
        String where = choice == Choice.REMOTE ? remote.orElseThrow() : EbpfConfig.value(choice);
        return where + ": " + reason;
    }

    private static RuntimeDecision local(String reason) {
        return new RuntimeDecision(Choice.IN_PROCESS, Optional.empty(), reason);
    }

    private static RuntimeDecision remote(String name, String reason) {
        return new RuntimeDecision(Choice.REMOTE, Optional.of(name), reason);
    }

    private static RuntimeDecision skip(String reason) {
        return new RuntimeDecision(Choice.SKIP, Optional.empty(), reason);
    }

    private static RuntimeDecision fail(String reason) {
        return new RuntimeDecision(Choice.FAIL, Optional.empty(), reason);
    }
}
