package io.junitebpf.container;

import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.RingBuffer;
import io.junitebpf.bpf.Usdt;
import io.junitebpf.target.TargetProcess;
import io.junitebpf.target.Umark;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that {@link ContainerRuntimeTest} runs inside the runtime container (not picked up by Surefire itself:
 * the name does not end in Test). They use no extension: inside the container they are plain in-process tests.
 */
class ContainerSampleTestCases {

    /** struct usdt_event as laid out in bpf/include/events.h. */
    record UsdtEvent(String name, int tgid, long arg1) {
        static UsdtEvent decode(ByteBuffer b) {
            byte[] name = new byte[16];
            b.get(0, name);
            int len = 0;
            while (len < name.length && name[len] != 0) {
                len++;
            }
            return new UsdtEvent(new String(name, 0, len, StandardCharsets.US_ASCII), b.getInt(24), b.getLong(72));
        }
    }

    /** The walking skeleton: umark built in the container, groupa:probe1 attached, value 10 read back. */
    @Test
    void usdtProbe1OfUmarkReportsTen(TestReporter reporter) {
        List<UsdtEvent> events = new CopyOnWriteArrayList<>();
        try (LoadedObject bpf = BpfObject.openResource("bpf/usdt.bpf.o").load();
             TargetProcess umark = Umark.launchGated(1_000, Duration.ofMillis(20))) {
            bpf.program("func_usdt1").attachUsdt(Usdt.of(umark.executable(), "groupa", "probe1").withPid(umark.pid()));
            RingBuffer ring = bpf.ringBuffer("events");
            umark.release();

            await("a func_usdt1 event from umark pid " + umark.pid())
                    .atMost(Duration.ofSeconds(10))
                    .failFast("umark exited: " + umark.describeExit(), () -> !umark.isAlive())
                    .until(() -> {
                        ring.poll(Duration.ofMillis(100), record -> events.add(UsdtEvent.decode(record)));
                        return events.stream().anyMatch(e -> e.tgid() == umark.pid());
                    });

            assertThat(events).filteredOn(e -> e.tgid() == umark.pid())
                    .first()
                    .satisfies(e -> {
                        assertThat(e.name()).isEqualTo("func_usdt1");
                        assertThat(e.arg1()).isEqualTo(10);
                    });
            reporter.publishEntry("umark", umark.executable().toString());
            System.out.println("usdt events from umark " + umark.pid() + ": " + events.size());
        }
    }

    static int runs;

    /**
     * Static state: shared by the tests of one class session, fresh in the next (one loader per test class over the
     * class path's directories); the jars' classes (AssertJ here) are the JVM's, loaded once for the run.
     */
    @Test
    void countsItsRuns(TestReporter reporter) {
        runs++;
        reporter.publishEntry("runs", Integer.toString(runs));
        reporter.publishEntry("jvm", Long.toString(ProcessHandle.current().pid()));
        reporter.publishEntry("test class", Integer.toHexString(System.identityHashCode(ContainerSampleTestCases.class)));
        reporter.publishEntry("jar class", Integer.toHexString(System.identityHashCode(
                org.assertj.core.api.Assertions.class)));
    }

    /** The project directory is the working directory inside too: relative paths mean the same. */
    @Test
    void readsARelativePath(TestReporter reporter) {
        reporter.publishEntry("user.dir", System.getProperty("user.dir"));
        reporter.publishEntry("pom.xml", Boolean.toString(java.nio.file.Files.isRegularFile(java.nio.file.Path.of("pom.xml"))));
    }

    @Test
    void failsOnPurpose() {
        assertThat(6 * 7).as("the answer").isEqualTo(41);
    }

    @Test
    void abortsOnPurpose() {
        Assumptions.abort("aborted on purpose in the container");
    }

    @Test
    void reportsWhereItRuns(TestReporter reporter) {
        reporter.publishEntry("runtime", System.getProperty(io.junitebpf.junit.EbpfConfig.RUNTIME_PROPERTY_NAME, "unset"));
        System.err.println("hello from the container's stderr");
        assertThat(System.getProperty(io.junitebpf.junit.EbpfConfig.RUNTIME_PROPERTY_NAME)).isEqualTo("in-process");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void onlyTwoPasses(int value) {
        assertThat(value).isEqualTo(2);
    }

    @Test
    void sleepsLong() throws InterruptedException {
        Thread.sleep(Duration.ofMinutes(2));
    }

    @Test
    void leavesANonDaemonThreadBehind() {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(Duration.ofMinutes(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
    }
}
