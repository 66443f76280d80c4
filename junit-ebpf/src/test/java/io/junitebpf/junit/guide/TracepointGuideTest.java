package io.junitebpf.junit.guide;

import io.junitebpf.bpf.KernelFeature;
import io.junitebpf.event.EventStream;
import io.junitebpf.junit.AttachKprobe;
import io.junitebpf.junit.AttachTracepoint;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.junit.Events;
import io.junitebpf.junit.RequiresFeature;
import io.junitebpf.target.TargetProcess;
import io.junitebpf.target.Umark;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

class TracepointGuideTest {

    record TaskInfo(long timestampNs, int tgid, int ppid, int uid, String comm, String parentComm) {}
    record ExecveEvent(String name, TaskInfo task, String filename) {}

    // guide:tracepoint
    @Nested
    @EbpfTest(objects = "bpf/trace_execve.bpf.o")
    class Tracepoint {
        @Test
        @AttachTracepoint(program = "trace_execve_manual", tracepoint = "syscalls:sys_enter_execve")
        void seesUmarksExec(@Events EventStream<ExecveEvent> events) {
            try (TargetProcess umark = Umark.launchGated(1, Duration.ZERO)) {   // exec after attach
                assertThat(events.fromProcess(umark.pid())).anySatisfy(e -> {
                    assertThat(e.filename()).isEqualTo(umark.executable().toString());
                    assertThat(e.task().ppid()).isEqualTo(ProcessHandle.current().pid());
                });
            }
        }
    }
    // end:tracepoint

    // guide:kprobe
    @Nested
    @EbpfTest(objects = "bpf/probe_execve.bpf.o")
    @RequiresFeature(KernelFeature.KPROBES)         // skipped where the kernel has no kprobes
    class Kprobe {
        @Test
        @AttachKprobe(program = "probe_execve", function = "execve", syscall = true)
        void seesUmarksExec(@Events EventStream<ExecveEvent> events) {
            try (TargetProcess umark = Umark.launchGated(1, Duration.ZERO)) {
                assertThat(events.fromProcess(umark.pid()))
                        .anySatisfy(e -> assertThat(e.filename()).endsWith("/umark"));
            }
        }
    }
    // end:kprobe
}
