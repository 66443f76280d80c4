package io.junitebpf.it;

import io.junitebpf.bpf.KernelFeature;
import io.junitebpf.demo.SeedEvents.ExecveEvent;
import io.junitebpf.event.EventStream;
import io.junitebpf.junit.AutoAttach;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.junit.Events;
import io.junitebpf.junit.RequiresFeature;
import org.junit.jupiter.api.Test;

/**
 * The seed's probe_execve: the same exec seen through a kprobe on the execve
 * syscall (SEC("ksyscall/execve"): libbpf finds the architecture's entry
 * symbol). Skipped with the reason where the kernel has no kprobes; fails
 * where it should have had them.
 */
@EbpfTest(objects = "bpf/probe_execve.bpf.o", strict = EbpfTest.Strictness.STRICT)
@RequiresFeature(KernelFeature.KPROBES)
class ProbeExecveScenarioTest {

    @Test
    @AutoAttach(program = "probe_execve")
    void kprobeOnExecveReportsUmarksExec(@Events EventStream<ExecveEvent> events) {
        ExecveScenario.assertReportsUmarksExec("probe_execve", events);
    }
}
