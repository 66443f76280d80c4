package io.junitebpf.target;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference target: umark, built from the C source packaged in the
 * junit-ebpf-umark jar (cached by content) and launched with its own start gate.
 */
public final class Umark {

    /** The packaged source. */
    public static final String SOURCE_RESOURCE = "io/junitebpf/umark/umark.c";
    /** Flags: optimised like a real build, with symbols (never stripped) for uprobes. */
    public static final List<String> FLAGS = List.of("-O2", "-g", "-Wall");

    private Umark() {
    }

    /** The umark executable (PIE, as the system compiler builds by default). */
    public static Path executable() {
        return NativeBuild.ofResource("umark", SOURCE_RESOURCE, FLAGS).executable();
    }

    /**
     * Starts umark gated: it prints "umark ready PID" and waits for
     * {@link TargetProcess#release()}.
     *
     * @param count    iterations (each fires both USDT probes and calls both functions)
     * @param interval the wait before each iteration
     */
    public static TargetProcess launchGated(long count, Duration interval) {
        if (count < 0) {
            throw new IllegalArgumentException("umark: negative count " + count);
        }
        if (interval.isNegative()) {
            throw new IllegalArgumentException("umark: negative interval " + interval);
        }
        List<String> args = new ArrayList<>(List.of("--count", Long.toString(count),
                "--interval", Long.toString(interval.toMillis()), "--gate"));
        return TargetProcess.launch(executable(), args, TargetProcess.Gate.STDIN_LINE);
    }
}
