package io.junitebpf.vm;

import io.junitebpf.junit.EbpfConfig;
import io.junitebpf.junit.spi.TestOutcome;
import io.junitebpf.junit.spi.TestRequest;
import io.junitebpf.remote.RemoteTestResult;
import org.junit.jupiter.api.Test;

import java.util.Optional;

/**
 * Run by {@link VmOrphanTest} in a JVM of its own: boots a guest with kernel 6.1 by running a test in it, prints
 * the pids of the processes it started ("child PID COMMAND") and "ready", then runs a test that waits in the guest
 * until the JVM is killed.
 */
final class VmOrphanScenario {

    private VmOrphanScenario() {
    }

    /** Waits in the guest, so that the kill comes in the middle of a test. */
    static class WaitingTestCases {

        @Test
        void waits() throws InterruptedException {
            Thread.sleep(600_000);
        }
    }

    /** Passes at once: its run boots the guest. */
    static class BootingTestCases {

        @Test
        void passes() {
        }
    }

    public static void main(String[] args) throws Exception {
        VmConfig config = VmConfig.from(EbpfConfig.of(
                key -> key.equals(EbpfConfig.KERNEL_PROPERTY_NAME) ? "6.1" : System.getProperty(key),
                System::getenv));
        Guest guest = Guests.guest(config);
        RemoteTestResult booted = guest.run(TestRequest.of(BootingTestCases.class,
                BootingTestCases.class.getDeclaredMethod("passes"), Optional.empty()));
        if (booted.status() != TestOutcome.Status.SUCCESSFUL) {
            System.err.println("the booting test did not pass: " + booted);
            System.exit(1);
        }
        ProcessHandle.current().descendants().forEach(p -> System.out.println("child " + p.pid() + " "
                + p.info().command().orElse("?")));
        System.out.println("ready");
        System.out.flush();
        guest.run(TestRequest.of(WaitingTestCases.class, WaitingTestCases.class.getDeclaredMethod("waits"),
                Optional.empty()));
    }
}
