package io.junitebpf.demo;

import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.FeatureUnavailableException;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.ProcessEnvironment;
import io.junitebpf.bpf.Uprobe;
import io.junitebpf.bpf.Usdt;
import io.junitebpf.demo.SeedEvents.UprobeEvent;
import io.junitebpf.demo.SeedEvents.UsdtEvent;
import io.junitebpf.elf.ElfFile;
import io.junitebpf.event.RecordLayout;
import io.junitebpf.target.TargetProcess;
import io.junitebpf.target.Umark;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * uprobe_test and usdt_test: umark started behind its gate, the programs
 * attached both ways the article shows, then umark released for
 * {@code count} iterations, each printing one event per program.
 */
final class UmarkRun {

    /** umark's pause before each iteration: quick, yet each round's lines stay readable as they come. */
    static final Duration INTERVAL = Duration.ofMillis(100);
    private static final Duration SLACK = Duration.ofSeconds(10);

    private UmarkRun() {
    }

    /** func_uprobe1 by a file offset read from umark's ELF, func_uprobe2 by its SEC("uprobe/umark:func_uprobe2"). */
    static Optional<String> uprobe(int count, PrintStream out) {
        // SEC() names "umark" without a directory: libbpf looks it up on PATH, so put the built one there
        ProcessEnvironment.prependToPath(Umark.executable().getParent());
        try (LoadedObject bpf = BpfObject.openResource(Tool.UPROBE_TEST.object()).load();
             TargetProcess umark = Umark.launchGated(count, INTERVAL)) {
            long offset = ElfFile.read(umark.executable()).fileOffset("func_uprobe1");
            Uprobe func1 = Uprobe.offset(umark.executable(), offset).withPid(umark.pid());
            bpf.program("func_uprobe1").attachUprobe(func1);
            bpf.program("func_uretprobe1").attachUprobe(func1.returning());
            bpf.program("func_uprobe2").attach();
            bpf.program("func_uretprobe2").attach();
            return print(bpf, UprobeEvent.class, e -> e.task().tgid(), UprobeEvent::line, 4, count, umark, out);
        }
    }

    /** groupa:probe1 by an explicit attach (bpf_program__attach_usdt), groupb:probe2 by its SEC(). */
    static Optional<String> usdt(int count, PrintStream out) {
        ProcessEnvironment.prependToPath(Umark.executable().getParent());
        try (LoadedObject bpf = BpfObject.openResource(Tool.USDT_TEST.object()).load();
             TargetProcess umark = Umark.launchGated(count, INTERVAL)) {
            bpf.program("func_usdt1").attachUsdt(Usdt.of(umark.executable(), "groupa", "probe1")
                    .withPid(umark.pid()));
            try {
                bpf.program("func_usdt2").attach();
            } catch (FeatureUnavailableException e) {
                // kernels before 5.15: no cookies, so the SEC() attach for all processes cannot work on a PIE umark
                System.err.println("usdt_test: " + e.getMessage() + "; attaching groupb:probe2 to pid "
                        + umark.pid() + " instead");
                bpf.program("func_usdt2").attachUsdt(Usdt.of(umark.executable(), "groupb", "probe2")
                        .withPid(umark.pid()));
            }
            return print(bpf, UsdtEvent.class, e -> e.task().tgid(), UsdtEvent::line, 2, count, umark, out);
        }
    }

    /**
     * Releases umark and prints its events: {@code perRound} each iteration.
     * Sections without a pid see every umark on the machine; only ours is shown.
     */
    private static <T extends Record> Optional<String> print(LoadedObject bpf, Class<T> type,
                                                             Function<T, Integer> tgid, Function<T, String> line,
                                                             int perRound, int count, TargetProcess umark,
                                                             PrintStream out) {
        Printer<T> printer = new Printer<>(bpf.ringBuffer("events"), RecordLayout.of(type, bpf.btf()),
                e -> tgid.apply(e) == umark.pid(), line, out);
        umark.release();
        Duration timeout = INTERVAL.multipliedBy(count).plus(SLACK);
        int wanted = perRound * count;
        if (printer.printUntil(wanted, System.nanoTime() + timeout.toNanos(), () -> !umark.isAlive())) {
            return Optional.empty();
        }
        return Optional.of("printed " + printer.count() + " of " + wanted + " events in " + timeout.toSeconds()
                + " s (umark pid " + umark.pid() + " " + umark.describeExit() + ")");
    }
}
