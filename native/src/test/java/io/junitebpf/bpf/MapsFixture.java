package io.junitebpf.bpf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Shared by the map, global-variable, misuse and leak tests: the test object
 * {@code bpf-test/maps.bpf.o} (from src/test/bpf/maps.bpf.c), a way to fire its
 * program (getpid(2) from this thread), and byte conversions.
 */
final class MapsFixture {

    static final String RESOURCE = "bpf-test/maps.bpf.o";
    static final String PROGRAM = "count_getpid";

    private static final MethodHandle GETPID = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("getpid").orElseThrow(),
            FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_INT));

    private MapsFixture() {
    }

    /** The object's bytes, read once from the test classpath. */
    static byte[] bytes() {
        try (InputStream in = MapsFixture.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing: run mvn process-test-resources");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens the object with target_tgid set to this process, loads it and attaches its tracepoint. */
    static LoadedObject loadAndAttach() {
        mountTracefs();
        try (BpfObject spec = BpfObject.open(bytes(), RESOURCE)) {
            spec.global("target_tgid").setInt((int) ProcessHandle.current().pid());
            LoadedObject bpf = spec.load();
            bpf.program(PROGRAM).attach();
            return bpf;
        }
    }

    /** Calls getpid(2) {@code times} times: the syscall the test program counts (glibc does not cache it). */
    static void getpid(int times) {
        try {
            for (int i = 0; i < times; i++) {
                int pid = (int) GETPID.invokeExact();
                assert pid > 0;
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The current thread's kernel thread id, from /proc/thread-self ("tgid/task/tid"). */
    static int threadId() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
            return Integer.parseInt(link.substring(link.lastIndexOf('/') + 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Attaching tracepoints needs tracefs; the CI script mounts it, a bare machine may not have. */
    static void mountTracefs() {
        if (Files.isDirectory(Path.of("/sys/kernel/tracing/events"))) {
            return;
        }
        try {
            new ProcessBuilder("mount", "-t", "tracefs", "nodev", "/sys/kernel/tracing").inheritIO().start()
                    .waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    static byte[] u64(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(value).array();
    }

    static int u32(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).getInt();
    }

    static long u64(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).getLong();
    }
}
