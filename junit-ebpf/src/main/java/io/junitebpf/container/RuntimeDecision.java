package io.junitebpf.container;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where one test class's eBPF work runs, and why — the sentence is logged and published as a report entry.
 *
 * @param choice what to do
 * @param reason one sentence naming the configuration and every reason that led here
 */
public record RuntimeDecision(Choice choice, String reason) {

    /** The report entry key under which the extension publishes {@link #reason()}. */
    public static final String REPORT_ENTRY_KEY = "junit.ebpf.runtime";

    /** The outcome of the choice. */
    public enum Choice {
        /** Run the test in the test JVM. */
        IN_PROCESS,
        /** Run the test in a container ({@link ContainerRuntime}). */
        CONTAINER,
        /** Skip (abort) the test with {@link #reason()}: nothing can run it and the mode allows skipping. */
        SKIP,
        /** Fail the test with {@link #reason()}: the mode demanded a runtime that is not there. */
        FAIL
    }

    public RuntimeDecision {
        Objects.requireNonNull(choice, "choice");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * Decides.
     *
     * @param mode            the configured mode
     * @param inProcessProblem why this JVM cannot load BPF (e.g. "bpf(BPF_PROG_LOAD): EPERM, not root and no
     *                         CAP_BPF"), or empty when it can
     * @param dockerProblem   asked only when needed: why no Docker engine is usable, or empty when one is
     *                        ({@link DockerEngine#problem()})
     */
    public static RuntimeDecision choose(RuntimeMode mode, Optional<String> inProcessProblem,
                                         Supplier<Optional<String>> dockerProblem) {
        String configured = ContainerConfig.RUNTIME_PROPERTY_NAME + "=" + mode.value();
        return switch (mode) {
            case IN_PROCESS -> new RuntimeDecision(Choice.IN_PROCESS, configured);
            case NEVER_CONTAINER -> inProcessProblem
                    .map(p -> new RuntimeDecision(Choice.SKIP, configured + " and this JVM cannot load BPF: " + p))
                    .orElseGet(() -> new RuntimeDecision(Choice.IN_PROCESS, configured + ": this JVM can load BPF"));
            case CONTAINER -> dockerProblem.get()
                    .map(d -> new RuntimeDecision(Choice.FAIL, configured + " but no container can be started: " + d))
                    .orElseGet(() -> new RuntimeDecision(Choice.CONTAINER, configured));
            case AUTO -> {
                if (inProcessProblem.isEmpty()) {
                    yield new RuntimeDecision(Choice.IN_PROCESS, configured + ": this JVM can load BPF");
                }
                String noBpf = "this JVM cannot load BPF (" + inProcessProblem.get() + ")";
                yield dockerProblem.get()
                        .map(d -> new RuntimeDecision(Choice.SKIP, configured + ": " + noBpf
                                + " and no container runtime is available (" + d + ")"))
                        .orElseGet(() -> new RuntimeDecision(Choice.CONTAINER, configured + ": " + noBpf
                                + "; running in a container"));
            }
        };
    }
}
