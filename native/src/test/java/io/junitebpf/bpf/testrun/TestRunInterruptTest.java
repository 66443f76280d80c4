package io.junitebpf.bpf.testrun;

import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.TestRun;
import io.junitebpf.bpf.TestRunResult;
import io.junitebpf.bpf.XdpAction;
import io.junitebpf.bpf.internal.TestRunCall;
import org.junit.jupiter.api.Test;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A long test run whose thread receives signals: the kernel stops the run with
 * EINTR, and testRun runs it again until it completes. SIGPIPE is the signal:
 * the JVM installs a handler that ignores it, so delivering it is harmless but
 * still interrupts the system call.
 */
class TestRunInterruptTest {

    private static final int SIGPIPE = 13;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle GETTID = LINKER.downcallHandle(LINKER.defaultLookup().find("gettid")
            .orElseThrow(), FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle TGKILL = LINKER.downcallHandle(LINKER.defaultLookup().find("tgkill")
            .orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));

    @Test
    void aRunCutShortBySignalsIsRunAgain() throws Throwable {
        int pid = (int) ProcessHandle.current().pid();
        int[] tid = new int[1];
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread signaller = Thread.ofPlatform().start(() -> {
            try {
                running.await();
                for (int i = 0; i < 5 && !done.await(20, TimeUnit.MILLISECONDS); i++) {
                    int rc = (int) TGKILL.invokeExact(pid, tid[0], SIGPIPE);
                    assert rc == 0;
                }
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        });
        long before = TestRunCall.interruptions();
        TestRunResult result;
        try (LoadedObject bpf = BpfObject.openResource(TestRunTest.RESOURCE).load()) {
            tid[0] = (int) GETTID.invokeExact();
            running.countDown();
            // some 100 ms or more: long enough that the signals arrive while the kernel runs it
            result = bpf.program("xdp_firewall").testRun(TestRun.data(TestRunTest.udpFrame(53, 4))
                    .withRepeat(5_000_000));
        } finally {
            done.countDown();
            signaller.join();
        }
        assertThat(result.xdpAction()).isEqualTo(XdpAction.XDP_PASS);
        assertThat(TestRunCall.interruptions() - before).as("runs cut short by a signal and run again")
                .isPositive();
    }
}
