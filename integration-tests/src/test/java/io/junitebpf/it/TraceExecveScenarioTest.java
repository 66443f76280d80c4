package io.junitebpf.it;

import io.junitebpf.bpf.KernelFeature;
import io.junitebpf.demo.SeedEvents.ExecveEvent;
import io.junitebpf.event.EventStream;
import io.junitebpf.junit.AttachTracepoint;
import io.junitebpf.junit.AutoAttach;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.junit.Events;
import io.junitebpf.junit.RequiresFeature;
import org.junit.jupiter.api.Test;

/**
 * The seed's trace_execve: the syscalls/sys_enter_execve tracepoint, attached
 * both ways the article shows, reports umark's exec — filename, this JVM as
 * the parent, uid, the pre-exec comm and a CLOCK_MONOTONIC timestamp.
 */
@EbpfTest(objects = "bpf/trace_execve.bpf.o", strict = EbpfTest.Strictness.STRICT)
@RequiresFeature(KernelFeature.SYSCALL_TRACEPOINTS)
class TraceExecveScenarioTest {

    @Test
    @AutoAttach(program = "trace_execve")
    void tracepointDeclaredInItsSectionReportsUmarksExec(@Events EventStream<ExecveEvent> events) {
        ExecveScenario.assertReportsUmarksExec("trace_execve", events);
    }

    @Test
    @AttachTracepoint(program = "trace_execve_manual", tracepoint = "syscalls:sys_enter_execve")
    void bareTracepointSectionAttachedExplicitlyReportsUmarksExec(@Events EventStream<ExecveEvent> events) {
        ExecveScenario.assertReportsUmarksExec("trace_execve", events);
    }
}
