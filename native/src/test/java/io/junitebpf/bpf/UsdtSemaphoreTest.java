package io.junitebpf.bpf;

import io.junitebpf.elf.ElfFile;
import io.junitebpf.elf.UsdtProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * USDT in a binary we did not build: CPython 3.11's python:gc__start and
 * python:audit probes, each guarded by a semaphore. CPython only evaluates a
 * probe while its semaphore is non-zero, so any event at all proves libbpf
 * incremented it; the tests also read the semaphore itself from
 * /proc/PID/mem before, during and after the attachment.
 *
 * <p>Not python:function__entry, the obvious choice: CPython 3.11 never
 * reaches it for ordinary Python-to-Python calls (no event in 30 calls, direct
 * or through map(), while line, gc__start and audit all fire).
 */
class UsdtSemaphoreTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3.11");
    private static final int CALLS = 30;
    private static final int GENERATION = 2;
    private static final String AUDIT_EVENT = "junit.ebpf";
    /** Waits for a count on stdin, then that many times collects generation 2 and raises an audit event. */
    private static final String SCRIPT = """
            import gc, sys
            while True:
                line = sys.stdin.readline()
                if not line:
                    break
                for i in range(int(line)):
                    gc.collect(2)
                    sys.audit("junit.ebpf", i)
                print("done", flush=True)
            """;

    private Process python;
    private int pid;
    private Writer gate;
    private BufferedReader out;

    @BeforeEach
    void startPython() throws IOException {
        assumeTrue(Files.isExecutable(PYTHON), PYTHON + " is not installed");
        python = new ProcessBuilder(PYTHON.toString(), "-c", SCRIPT)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        pid = (int) python.pid();
        gate = new OutputStreamWriter(python.getOutputStream(), StandardCharsets.US_ASCII);
        out = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
        fire(1); // python is past start-up
    }

    @AfterEach
    void stopPython() throws InterruptedException {
        if (python != null) {
            python.destroy();
            python.waitFor();
        }
    }

    @Test
    void attachingSetsTheSemaphoreAndClosingTheLinkClearsItAndStopsEvents() throws IOException {
        UsdtProbe probe = probe("gc__start");
        assertThat(probe.hasSemaphore()).isTrue();
        assertThat(semaphore(probe)).as("semaphore before attach").isZero();
        try (LoadedObject bpf = AttachFixture.load(pid, spec -> {
            spec.global("usdt_number_arg").setInt(0);
            spec.global("usdt_match_value").setLong(GENERATION);
        })) {
            Link link = bpf.program("on_usdt").attachUsdt(Usdt.of(PYTHON, "python", "gc__start").withPid(pid));
            assertThat(semaphore(probe)).as("semaphore while attached").isEqualTo(1);

            fire(CALLS);

            assertThat(bpf.global("usdt_matched").getLong()).as("gc__start(2) events").isEqualTo(CALLS);
            assertThat(bpf.global("usdt_hits").getLong()).as("gc__start events of any generation")
                    .isGreaterThanOrEqualTo(CALLS);
            assertThat(bpf.global("usdt_last_arg_cnt").getInt()).isEqualTo(1);
            assertThat(bpf.global("usdt_last_number").getLong()).isEqualTo(GENERATION);

            link.close();
            assertThat(semaphore(probe)).as("semaphore after the link closed").isZero();
            long atClose = bpf.global("usdt_hits").getLong();
            fire(CALLS);
            assertThat(bpf.global("usdt_hits").getLong()).as("usdt_hits after the link closed").isEqualTo(atClose);
        }
    }

    @Test
    void stringArgumentsAreReadFromTheTargetsMemory() throws IOException {
        UsdtProbe probe = probe("audit");
        try (LoadedObject bpf = AttachFixture.load(pid, spec -> spec.global("usdt_string_arg").setInt(0))) {
            bpf.program("on_usdt").attachUsdt(Usdt.of(PYTHON, "python", "audit").withPid(pid));
            assertThat(semaphore(probe)).isEqualTo(1);

            fire(CALLS);

            // sys.audit is the only auditing call in the loop: readline and print raise no events
            assertThat(bpf.global("usdt_hits").getLong()).isEqualTo(CALLS);
            assertThat(bpf.global("usdt_last_arg_cnt").getInt()).isEqualTo(2);
            assertThat(cString(bpf.global("usdt_last_str").bytes())).isEqualTo(AUDIT_EVENT);
        }
        assertThat(semaphore(probe)).as("semaphore after the object closed").isZero();
    }

    @Test
    void closingTheObjectReleasesTheSemaphore() throws IOException {
        UsdtProbe probe = probe("gc__start");
        try (LoadedObject bpf = AttachFixture.load(pid, spec -> { })) {
            bpf.program("on_usdt").attachUsdt(Usdt.of(PYTHON, "python", "gc__start").withPid(pid));
            assertThat(semaphore(probe)).isEqualTo(1);
        }
        assertThat(semaphore(probe)).isZero();
        fire(CALLS); // python still runs happily with the probe gone
    }

    private static UsdtProbe probe(String name) {
        return ElfFile.read(PYTHON).usdtProbe("python", name);
    }

    /** Has python fire both probes {@code times} times and waits until it has. */
    private void fire(int times) throws IOException {
        gate.write(times + "\n");
        gate.flush();
        assertThat(out.readLine()).isEqualTo("done");
    }

    /**
     * The probe's semaphore's current value in the python process: its file offset
     * mapped through /proc/PID/maps to an address, read from /proc/PID/mem.
     */
    private int semaphore(UsdtProbe probe) {
        long address = addressOfFileOffset(pid, probe.semaphoreOffset());
        try (FileChannel mem = FileChannel.open(Path.of("/proc/" + pid + "/mem"), StandardOpenOption.READ)) {
            ByteBuffer value = ByteBuffer.allocate(2).order(ByteOrder.nativeOrder());
            assertThat(mem.read(value, address)).isEqualTo(2);
            return Short.toUnsignedInt(value.getShort(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long addressOfFileOffset(int pid, long fileOffset) {
        try (Stream<String> lines = Files.lines(Path.of("/proc/" + pid + "/maps"))) {
            // start-end perms offset dev inode path; semaphores live in the writable (copied) mapping
            List<String[]> mappings = lines.map(l -> l.split("\\s+", 6)).filter(f -> f.length == 6)
                    .filter(f -> f[1].contains("w") && f[5].strip().equals(PYTHON.toString())).toList();
            for (String[] f : mappings) {
                String[] range = f[0].split("-");
                long start = Long.parseUnsignedLong(range[0], 16);
                long end = Long.parseUnsignedLong(range[1], 16);
                long offset = Long.parseUnsignedLong(f[2], 16);
                if (fileOffset >= offset && fileOffset < offset + (end - start)) {
                    return start + fileOffset - offset;
                }
            }
            throw new IllegalStateException("file offset 0x" + Long.toHexString(fileOffset) + " of " + PYTHON
                    + " is not mapped in process " + pid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
