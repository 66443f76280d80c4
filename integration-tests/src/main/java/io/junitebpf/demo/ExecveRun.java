package io.junitebpf.demo;

import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.demo.SeedEvents.ExecveEvent;
import io.junitebpf.event.RecordLayout;
import io.junitebpf.target.TargetProcess;
import io.junitebpf.target.Umark;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * trace_execve and probe_execve: the program attached where its SEC() says
 * (the tracepoint, or the kprobe on the execve syscall), then umark started
 * {@code count} times; each start's exec is printed. Every exec on the machine
 * fires the probe: only the demo's own umarks are shown, so the run ends.
 */
final class ExecveRun {

    private static final Duration PER_EXEC = Duration.ofSeconds(10);

    private ExecveRun() {
    }

    /** Runs {@code tool}; empty when all {@code count} execs were printed, else what went wrong. */
    static Optional<String> run(Tool tool, int count, PrintStream out) {
        Path umark = Umark.executable();
        try (LoadedObject bpf = BpfObject.openResource(tool.object()).load()) {
            bpf.program(tool.command()).attach(); // each object names its program after the tool
            Set<Integer> launched = ConcurrentHashMap.newKeySet();
            Printer<ExecveEvent> printer = new Printer<>(bpf.ringBuffer("events"),
                    RecordLayout.of(ExecveEvent.class, bpf.btf()),
                    e -> launched.contains(e.task().tgid()) && e.filename().equals(umark.toString()),
                    ExecveEvent::line, out);
            for (int i = 1; i <= count; i++) {
                try (TargetProcess process = TargetProcess.launch(umark, List.of("--count", "0"),
                        TargetProcess.Gate.NONE)) {
                    launched.add(process.pid());
                    long deadline = System.nanoTime() + PER_EXEC.toNanos();
                    if (!printer.printUntil(i, deadline, () -> !process.isAlive())) {
                        return Optional.of("no " + tool.command() + " event for the exec of " + umark + " as pid "
                                + process.pid() + " within " + PER_EXEC.toSeconds() + " s (umark "
                                + process.describeExit() + "); printed " + printer.count() + " of " + count);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
