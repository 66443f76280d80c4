package io.junitebpf.target;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference target: umark, built from the C source packaged in the
 * junit-ebpf-umark jar (cached by content) and launched with its own start gate. As a
 * {@link TargetFactory} it is what {@code @Launch("umark")} launches.
 */
public final class Umark implements TargetFactory {

    /** umark's default arguments under test: bounded and fast, yet long enough to attach and observe. */
    public static final List<String> DEFAULT_ARGS = List.of("--count", "1000", "--interval", "20");

    /** The packaged source. */
    public static final String SOURCE_RESOURCE = "io/junitebpf/umark/umark.c";
    /** Flags: optimised like a real build, with symbols (never stripped) for uprobes. */
    public static final List<String> FLAGS = List.of("-O2", "-g", "-Wall");

    /** The factory {@code @Launch("umark")} uses; the static methods need no instance. */
    public Umark() {
    }

    /** umark gated on its stdin, with {@link #DEFAULT_ARGS} unless the test gives arguments. */
    @Override
    public Target create(String name, List<String> arguments, java.util.Map<String, String> environment) {
        List<String> args = new ArrayList<>(arguments.isEmpty() ? DEFAULT_ARGS : arguments);
        args.add("--gate");
        return new Target(executable(), args, environment, TargetProcess.Gate.STDIN_LINE);
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
