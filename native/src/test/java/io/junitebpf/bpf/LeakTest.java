package io.junitebpf.bpf;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static io.junitebpf.bpf.MapsFixture.u32;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thousand full cycles (open from memory, set a global, load, attach a
 * tracepoint, fire it, poll the ring buffer, read a map and a global, close)
 * leave this process's file descriptors and the kernel's programs, links and
 * maps where they were.
 *
 * <p>Detaching waits for a kernel RCU grace period (about 40 ms on the CI
 * VMs), so the cycles run on a few threads; that also exercises the binding
 * from several threads at once.
 */
class LeakTest {

    private static final int CYCLES = 1_000;
    private static final int THREADS = 4;
    private static final int WARM_UP = 8;
    private static final Set<String> OUR_MAPS = Set.of("per_thread", "slots", "per_cpu", "per_cpu_hash", "tids",
            "maps.rodata", "maps.data", "maps.bss");

    @Test
    void thousandCyclesLeaveNoFdsProgramsLinksOrMaps() throws Exception {
        byte[] elf = MapsFixture.bytes();
        MapsFixture.mountTracefs();
        for (int i = 0; i < WARM_UP; i++) {
            cycle(elf);
        }
        Set<Integer> programsBefore = new HashSet<>(KernelObjects.programIds());
        Set<Integer> linksBefore = new HashSet<>(KernelObjects.linkIds());
        Set<Integer> mapsBefore = new HashSet<>(KernelObjects.mapIds());
        long fdsBefore = openFds();

        long start = System.nanoTime();
        AtomicInteger events = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < CYCLES / THREADS; i++) {
                        events.addAndGet(cycle(elf));
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        Leftovers left = awaitLeftovers(programsBefore, linksBefore, mapsBefore);
        long fdsAfter = openFds();
        System.out.printf("LeakTest: %d cycles on %d threads in %d ms (%.1f ms per cycle per thread),"
                        + " %d ring buffer records; fds %d -> %d; kernel programs %d -> %d, links %d -> %d,"
                        + " maps %d -> %d (system-wide)%n",
                CYCLES, THREADS, elapsed.toMillis(), elapsed.toNanos() / 1e6 / (CYCLES / THREADS), events.get(),
                fdsBefore, fdsAfter, programsBefore.size(), KernelObjects.programIds().size(), linksBefore.size(),
                KernelObjects.linkIds().size(), mapsBefore.size(), KernelObjects.mapIds().size());

        assertThat(events.get()).as("each cycle's getpid reached its ring buffer").isGreaterThanOrEqualTo(CYCLES);
        assertThat(fdsAfter).as("open file descriptors of this process").isEqualTo(fdsBefore);
        assertThat(left.programs()).as("kernel programs the cycles made").isEmpty();
        assertThat(left.links()).as("kernel links to programs the cycles made").isEmpty();
        assertThat(left.maps()).as("kernel maps the cycles made").isEmpty();
    }

    /** One full cycle; returns the ring buffer records seen. */
    private static int cycle(byte[] elf) {
        try (BpfObject spec = BpfObject.open(elf, MapsFixture.RESOURCE)) {
            spec.global("target_tgid").setInt((int) ProcessHandle.current().pid());
            try (LoadedObject bpf = spec.load()) {
                bpf.program(MapsFixture.PROGRAM).attach();
                RingBuffer ring = bpf.ringBuffer("tids");
                MapsFixture.getpid(1);
                AtomicInteger seen = new AtomicInteger();
                ring.poll(Duration.ZERO, record -> seen.incrementAndGet());
                assertThat(bpf.map("slots").lookup(u32(0))).isPresent();
                assertThat(bpf.global("hits").getLong()).isPositive();
                return seen.get();
            }
        }
    }

    private record Leftovers(List<Integer> programs, List<Integer> links, List<Integer> maps) {
        boolean none() {
            return programs.isEmpty() && links.isEmpty() && maps.isEmpty();
        }
    }

    /**
     * What the cycles left in the kernel, told apart from other processes' objects by name. The
     * kernel frees programs and maps shortly after their last reference, so wait a little.
     */
    private static Leftovers awaitLeftovers(Set<Integer> programs, Set<Integer> links, Set<Integer> maps)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<Integer> ourPrograms = KernelObjects.programIds().stream().filter(id -> !programs.contains(id))
                    .filter(id -> KernelObjects.program(id).map(p -> p.name().startsWith("count_")).orElse(false))
                    .toList();
            List<Integer> ourLinks = KernelObjects.linkIds().stream().filter(id -> !links.contains(id))
                    .filter(id -> KernelObjects.link(id).flatMap(l -> KernelObjects.program(l.programId()))
                            .map(p -> p.name().startsWith("count_")).orElse(false))
                    .toList();
            List<Integer> ourMaps = KernelObjects.mapIds().stream().filter(id -> !maps.contains(id))
                    .filter(id -> KernelObjects.map(id).map(m -> OUR_MAPS.contains(m.name())).orElse(false))
                    .toList();
            Leftovers left = new Leftovers(ourPrograms, ourLinks, ourMaps);
            if (left.none() || System.nanoTime() > deadline) {
                return left;
            }
            Thread.sleep(100);
        }
    }

    private static long openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count() - 1; // the listing's own descriptor
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
