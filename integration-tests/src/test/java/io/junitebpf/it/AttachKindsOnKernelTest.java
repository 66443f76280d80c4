package io.junitebpf.it;

import io.junitebpf.bpf.GlobalVariable;
import io.junitebpf.bpf.KernelFeature;
import io.junitebpf.bpf.Kprobe;
import io.junitebpf.bpf.Link;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.junit.RequiresFeature;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A kprobe on a kernel function and a ksyscall (libbpf finds the architecture's syscall entry symbol), attached
 * explicitly, each counting this process's openat(2) calls; closing the link really detaches. An @EbpfTest, so
 * `-Djunit.ebpf.kernel=5.10` (6.1, 6.12, latest) proves both on that kernel through the VM runtime; skipped with the
 * reason on a kernel without kprobes (this project's host).
 */
@EbpfTest(objects = "bpf-test/attach_kinds.bpf.o")
@RequiresFeature(KernelFeature.KPROBES)
class AttachKindsOnKernelTest {

    private static final int CALLS = 25;

    @Test
    void kprobeOnAKernelFunctionCountsAndStopsAfterClose(LoadedObject bpf) {
        bpf.global("target_tgid").setInt((int) ProcessHandle.current().pid());
        Link link = bpf.program("on_kprobe").attachKprobe(Kprobe.function("do_sys_openat2"));
        assertThat(link.description()).isEqualTo("kprobe do_sys_openat2");

        openFiles(CALLS);

        assertThat(bpf.global("kprobe_hits").getLong()).as("openat(2) calls of this JVM")
                .isGreaterThanOrEqualTo(CALLS);
        assertStopsAfterClose(link, bpf.global("kprobe_hits"));
    }

    @Test
    void ksyscallFindsTheSyscallsEntrySymbol(LoadedObject bpf) {
        bpf.global("target_tgid").setInt((int) ProcessHandle.current().pid());
        Link link = bpf.program("on_ksyscall").attachKprobe(Kprobe.syscall("openat"));

        openFiles(CALLS);

        assertThat(bpf.global("ksyscall_hits").getLong()).as("openat(2) calls of this JVM")
                .isGreaterThanOrEqualTo(CALLS);
        assertStopsAfterClose(link, bpf.global("ksyscall_hits"));
    }

    /** Opens files once more after the link closed: a real detach leaves the counter where it was. */
    private static void assertStopsAfterClose(Link link, GlobalVariable counter) {
        link.close();
        long atClose = counter.getLong();
        openFiles(CALLS);
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
