package io.junitebpf.vm;

import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.Program;
import io.junitebpf.junit.Bpf;
import io.junitebpf.junit.EbpfConfig;
import io.junitebpf.junit.EbpfTest;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The VM runtime's costs, for scripts/bench-vm (a main, not a test): boot-to-first-test per kernel (prepared
 * kernel to the first test class finished, QEMU boot and guest JVM start included), and the time per further
 * test class in the VM against the same classes in-process. Usage: {@code VmBench KERNEL...}.
 */
public final class VmBench {

    private static final int CLASSES = 6;

    /** One small class: load an object, look at a program. Copies below differ only in name. */
    @EbpfTest(objects = "bpf/trace_execve.bpf.o")
    public static class C0 {
        @Test
        void loads(LoadedObject bpf, @Bpf("trace_execve_manual") Program program) {
            assertThat(program.name()).isEqualTo("trace_execve_manual");
            assertThat(bpf).isNotNull();
        }
    }

    public static class C1 extends C0 { }
    public static class C2 extends C0 { }
    public static class C3 extends C0 { }
    public static class C4 extends C0 { }
    public static class C5 extends C0 { }

    private VmBench() {
    }

    public static void main(String[] args) {
        List<String> kernels = args.length == 0 ? List.of("6.1") : List.of(args);
        run("host");  // warm-up: class loading, JIT, umark and the objects read once
        Timings local = run("host");
        System.out.printf(Locale.ROOT, "%-8s %22s %20s %12s%n", "kernel", "boot-to-first-test", "per class (median)",
                "vs in-process");
        System.out.printf(Locale.ROOT, "%-8s %22s %17d ms %12s%n", "host", "-", local.medianOfRest(), "1.0x");
        for (String kernel : kernels) {
            Timings vm = run(kernel);
            System.out.printf(Locale.ROOT, "%-8s %19.1f s %17d ms %11.1fx%s%n", kernel, vm.first() / 1000.0,
                    vm.medianOfRest(), (double) vm.medianOfRest() / Math.max(1, local.medianOfRest()),
                    vm.failures().isEmpty() ? "" : "  FAILED: " + vm.failures());
            Guests.stopAll();
        }
    }

    /** first: ms from the launch to the end of the first class; rest: ms per later class. */
    record Timings(long first, List<Long> rest, List<String> failures) {
        long medianOfRest() {
            List<Long> sorted = rest.stream().sorted().toList();
            return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
        }
    }

    private static Timings run(String kernel) {
        List<ClassSelector> selectors = new ArrayList<>();
        for (Class<?> c : List.of(C0.class, C1.class, C2.class, C3.class, C4.class, C5.class)) {
            selectors.add(DiscoverySelectors.selectClass(c));
        }
        assertThat(selectors).hasSize(CLASSES);
        List<Long> ends = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectors)
                .configurationParameters(Map.of(EbpfConfig.KERNEL_PROPERTY_NAME, kernel)).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (id.getSource().filter(s -> s instanceof org.junit.platform.engine.support.descriptor
                                .ClassSource).isPresent()) {
                            ends.add(System.nanoTime());
                        }
                        if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                            failures.add(id.getDisplayName() + ": " + result.getThrowable().map(Throwable::toString)
                                    .orElse("?"));
                        }
                    }
                });
        List<Long> rest = new ArrayList<>();
        for (int i = 1; i < ends.size(); i++) {
            rest.add((ends.get(i) - ends.get(i - 1)) / 1_000_000);
        }
        return new Timings(ends.isEmpty() ? -1 : (ends.getFirst() - start) / 1_000_000, rest, failures);
    }
}
