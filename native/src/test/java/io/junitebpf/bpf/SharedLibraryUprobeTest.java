package io.junitebpf.bpf;

import io.junitebpf.elf.ElfFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Uprobes in a shared library: getppid in the C library this JVM mapped,
 * attached by symbol and by file offset, on entry and on return, for this
 * process only and for every process. A second process, a tiny C program
 * built here, shows what the per-pid filter leaves out.
 */
class SharedLibraryUprobeTest {

    private static final int CALLS = 40;
    private static final int CHILD_CALLS = 100;
    private static final int PARENT = (int) ProcessHandle.current().parent().orElseThrow().pid();
    private static final String CHILD_SOURCE = """
            #include <stdio.h>
            #include <unistd.h>

            /* Waits for a line on stdin, calls getppid() 100 times, says "done". */
            int main(void)
            {
            	char line[16];

            	if (!fgets(line, sizeof(line), stdin))
            		return 1;
            	for (int i = 0; i < 100; i++)
            		getppid();
            	puts("done");
            	fflush(stdout);
            	return 0;
            }
            """;

    private static Path libc;

    @TempDir
    static Path dir;

    @BeforeAll
    static void findLibc() {
        libc = AttachFixture.libc();
    }

    @Test
    void uprobeBySymbolCountsThisProcessesCalls() {
        try (LoadedObject bpf = AttachFixture.load()) {
            Link link = bpf.program("on_uprobe").attachUprobe(Uprobe.function(libc, "getppid")
                    .withPid(AttachFixture.PID));
            assertThat(link.description()).isEqualTo("uprobe " + libc + ":getppid (pid " + AttachFixture.PID + ")");

            AttachFixture.getppid(CALLS);

            // The JVM never calls getppid on its own: every hit is one of ours.
            assertThat(bpf.global("uprobe_hits").getLong()).isEqualTo(CALLS);
            AttachKindsTest.assertStopsAfterClose(link, bpf.global("uprobe_hits"), () -> AttachFixture.getppid(CALLS));
        }
    }

    @Test
    void uprobeByFileOffsetHitsTheSameFunction() {
        long offset = ElfFile.read(libc).fileOffset("getppid");
        assertThat(offset).isPositive();
        try (LoadedObject bpf = AttachFixture.load()) {
            Link link = bpf.program("on_uprobe").attachUprobe(Uprobe.offset(libc, offset)
                    .withPid(AttachFixture.PID));
            assertThat(link.description()).contains(":0x" + Long.toHexString(offset));

            AttachFixture.getppid(CALLS);

            assertThat(bpf.global("uprobe_hits").getLong()).isEqualTo(CALLS);
        }
    }

    @Test
    void uretprobeSeesTheReturnValue() {
        try (LoadedObject bpf = AttachFixture.load()) {
            Link link = bpf.program("on_uretprobe").attachUprobe(Uprobe.function(libc, "getppid")
                    .returning().withPid(AttachFixture.PID));
            assertThat(link.description()).startsWith("uretprobe ");

            int parent = AttachFixture.getppid(CALLS);

            assertThat(parent).isEqualTo(PARENT);
            assertThat(bpf.global("uretprobe_hits").getLong()).isEqualTo(CALLS);
            assertThat(bpf.global("uretprobe_last_ret").getLong()).as("getppid's return value").isEqualTo(PARENT);
            AttachKindsTest.assertStopsAfterClose(link, bpf.global("uretprobe_hits"),
                    () -> AttachFixture.getppid(CALLS));
        }
    }

    @Test
    void perPidUprobeLeavesOtherProcessesOut() throws Exception {
        Path child = compileChild();
        try (LoadedObject bpf = AttachFixture.load()) {
            bpf.program("on_uprobe").attachUprobe(Uprobe.function(libc, "getppid").withPid(AttachFixture.PID));

            int childPid = runChild(child);
            AttachFixture.getppid(CALLS);

            assertThat(hitsOf(bpf, childPid)).as("uprobe hits of the other process").isEmpty();
            assertThat(hitsOf(bpf, AttachFixture.PID)).contains((long) CALLS);
        }
    }

    @Test
    void uprobeForAllProcessesCountsAnotherProcess() throws Exception {
        Path child = compileChild();
        try (LoadedObject bpf = AttachFixture.load()) {
            bpf.program("on_uprobe").attachUprobe(Uprobe.function(libc, "getppid"));

            int childPid = runChild(child);
            AttachFixture.getppid(CALLS);

            assertThat(hitsOf(bpf, childPid)).as("uprobe hits of the other process").contains((long) CHILD_CALLS);
            assertThat(hitsOf(bpf, AttachFixture.PID)).contains((long) CALLS);
            assertThat(bpf.global("uprobe_hits").getLong()).as("the .bss counter filters on target_tgid")
                    .isEqualTo(CALLS);
        }
    }

    private static Optional<Long> hitsOf(LoadedObject bpf, int tgid) {
        return bpf.map("uprobe_by_tgid").lookup(MapsFixture.u32(tgid)).map(MapsFixture::u64);
    }

    /** Builds the child once per class; cc links it against the same libc. */
    private static synchronized Path compileChild() throws IOException, InterruptedException {
        Path binary = dir.resolve("getppid100");
        if (Files.isExecutable(binary)) {
            return binary;
        }
        Path source = dir.resolve("getppid100.c");
        Files.writeString(source, CHILD_SOURCE);
        Process cc = new ProcessBuilder("cc", "-O0", "-o", binary.toString(), source.toString())
                .redirectErrorStream(true).start();
        String output = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cc.waitFor()).as("cc: %s", output).isZero();
        return binary;
    }

    /** Starts the child, lets it make its calls once it is surely running, and waits for it to exit. */
    private static int runChild(Path binary) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(binary.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream gate = process.getOutputStream();
             BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                     StandardCharsets.UTF_8))) {
            gate.write("go\n".getBytes(StandardCharsets.US_ASCII));
            gate.flush();
            assertThat(out.readLine()).isEqualTo("done");
        }
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        return (int) process.pid();
    }
}
