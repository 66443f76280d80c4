package io.junitebpf.bpf;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Raw tracepoints, tracepoints, kprobes and ksyscalls attached to the running
 * kernel, each counting this JVM's events in attach.bpf.c's .bss; closing a
 * link really detaches (the counter stops). getppid(2) is the trigger: the JVM
 * never calls it on its own, so the counts are exact.
 */
class AttachKindsTest {

    private static final int CALLS = 25;
    private static final int PARENT = (int) ProcessHandle.current().parent().orElseThrow().pid();

    @BeforeAll
    static void mountTracefs() {
        MapsFixture.mountTracefs();
    }

    @Test
    void rawTracepointCountsThisProcessesSyscalls() {
        try (LoadedObject bpf = AttachFixture.load()) {
            Link link = bpf.program("on_raw_tp").attachRawTracepoint("sys_enter");
            assertThat(link.description()).isEqualTo("raw tracepoint sys_enter");
            GlobalVariable getppids = bpf.global("raw_tp_watched");

            AttachFixture.getppid(CALLS);

            assertThat(getppids.getLong()).isEqualTo(CALLS);
            assertThat(bpf.global("raw_tp_hits").getLong()).as("all syscalls of this JVM")
                    .isGreaterThanOrEqualTo(CALLS);
            assertStopsAfterClose(link, getppids, () -> AttachFixture.getppid(CALLS));
        }
    }

    @Test
    void rawTracepointNamedInItsSectionAttachesWithAttach() {
        try (LoadedObject bpf = AttachFixture.load()) {
            Program program = bpf.program("on_raw_tp_named");
            assertThat(program.section()).isEqualTo("raw_tracepoint/sys_enter");
            Link link = program.attach();

            AttachFixture.getppid(CALLS);

            assertThat(bpf.global("raw_tp_named_hits").getLong()).isEqualTo(CALLS);
            assertStopsAfterClose(link, bpf.global("raw_tp_named_hits"), () -> AttachFixture.getppid(CALLS));
        }
    }

    @Test
    void tracepointAttachedExplicitlyCountsAndReadsTheParentWithCoRe() {
        try (LoadedObject bpf = AttachFixture.load()) {
            Link link = bpf.program("on_tp").attachTracepoint("syscalls", "sys_enter_getppid");
            assertThat(link.description()).isEqualTo("tracepoint syscalls:sys_enter_getppid");

            int parent = AttachFixture.getppid(CALLS);

            assertThat(parent).isEqualTo(PARENT);
            assertThat(bpf.global("tp_hits").getLong()).isEqualTo(CALLS);
            assertThat(bpf.global("tp_parent_tgid").getInt()).as("task->real_parent->tgid read with CO-RE")
                    .isEqualTo(PARENT);
            assertStopsAfterClose(link, bpf.global("tp_hits"), () -> AttachFixture.getppid(CALLS));
        }
    }

    @Test
    void tracepointNamedInItsSectionAttachesWithAttach() {
        try (LoadedObject bpf = AttachFixture.load()) {
            Link link = bpf.program("on_tp_named").attach();

            AttachFixture.getppid(CALLS);

            assertThat(bpf.global("tp_named_hits").getLong()).isEqualTo(CALLS);
            assertStopsAfterClose(link, bpf.global("tp_named_hits"), () -> AttachFixture.getppid(CALLS));
        }
    }

    @Test
    void closingTheObjectClosesItsLinks() {
        Link raw;
        Link tracepoint;
        try (LoadedObject bpf = AttachFixture.load()) {
            raw = bpf.program("on_raw_tp").attachRawTracepoint("sys_enter");
            tracepoint = bpf.program("on_tp").attachTracepoint("syscalls", "sys_enter_getppid");
            assertThat(raw.closed()).isFalse();
        }
        assertThat(raw.closed()).isTrue();
        assertThat(tracepoint.closed()).isTrue();
        raw.close(); // idempotent
    }

    @Test
    void kprobeOnAKernelFunctionCountsAndStopsAfterClose() {
        AttachFixture.assumeFeature(KernelFeature.KPROBES);
        try (LoadedObject bpf = AttachFixture.load()) {
            Link link = bpf.program("on_kprobe").attachKprobe(Kprobe.function("do_sys_openat2"));
            assertThat(link.description()).isEqualTo("kprobe do_sys_openat2");

            openFiles(CALLS);

            assertThat(bpf.global("kprobe_hits").getLong()).as("openat(2) calls of this JVM")
                    .isGreaterThanOrEqualTo(CALLS);
            assertStopsAfterClose(link, bpf.global("kprobe_hits"), () -> openFiles(CALLS));
        }
    }

    @Test
    void ksyscallFindsTheSyscallsEntrySymbol() {
        AttachFixture.assumeFeature(KernelFeature.KPROBES);
        try (LoadedObject bpf = AttachFixture.load()) {
            Link link = bpf.program("on_ksyscall").attachKprobe(Kprobe.syscall("getppid"));

            AttachFixture.getppid(CALLS);

            assertThat(bpf.global("ksyscall_hits").getLong()).isEqualTo(CALLS);
            assertStopsAfterClose(link, bpf.global("ksyscall_hits"), () -> AttachFixture.getppid(CALLS));
        }
    }

    /** Without CONFIG_KPROBES the kprobe programs still load; attaching them fails with a BpfException. */
    @Test
    void withoutKprobesAttachingAKprobeFailsClearly() {
        assumeFalse(KernelFeatures.has(KernelFeature.KPROBES), "the kernel has kprobes");
        try (LoadedObject bpf = AttachFixture.load()) {
            assertThat(bpf.program("on_kprobe").loaded()).isTrue();
            assertThatThrownBy(() -> bpf.program("on_kprobe").attachKprobe(Kprobe.function("do_sys_openat2")))
                    .isInstanceOf(FeatureUnavailableException.class)
                    .hasMessageContaining("KPROBES unavailable")
                    .hasMessageContaining("CONFIG_KPROBES");
            assertThatThrownBy(() -> bpf.program("on_ksyscall").attachKprobe(Kprobe.syscall("getppid")))
                    .isInstanceOf(FeatureUnavailableException.class)
                    .hasMessageContaining("KPROBES unavailable");
        }
    }

    /** Fires once more after the link closed: a real detach leaves the counter where it was. */
    static void assertStopsAfterClose(Link link, GlobalVariable counter, Runnable fire) {
        link.close();
        assertThat(link.closed()).isTrue();
        long atClose = counter.getLong();
        fire.run();
        assertThat(counter.getLong()).as("%s after its link closed", counter.name()).isEqualTo(atClose);
    }

    private static void openFiles(int times) {
        try {
            for (int i = 0; i < times; i++) {
                Files.readAllBytes(Path.of("/proc/self/stat"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
