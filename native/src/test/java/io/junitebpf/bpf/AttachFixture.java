package io.junitebpf.bpf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Shared by the attach tests: the object {@code bpf-test/attach.bpf.o} (from
 * src/test/bpf/attach.bpf.c), getppid(2) called through libc from this thread,
 * and where this process's libc is.
 */
final class AttachFixture {

    static final String RESOURCE = "bpf-test/attach.bpf.o";
    static final int PID = (int) ProcessHandle.current().pid();

    private static final MethodHandle GETPPID = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("getppid").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT));

    private AttachFixture() {
    }

    /** The object's bytes, read once from the test classpath. */
    static byte[] bytes() {
        try (InputStream in = AttachFixture.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing: run mvn process-test-resources");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens the object counting process {@code tgid}, lets {@code configure} adjust it, and loads it. */
    static LoadedObject load(int tgid, Consumer<BpfObject> configure) {
        try (BpfObject spec = BpfObject.open(bytes(), RESOURCE)) {
            spec.global("target_tgid").setInt(tgid);
            spec.global("watched_syscall").setLong(getppidSyscallNumber());
            configure.accept(spec);
            return spec.load();
        }
    }

    /** Opens the object counting this process and loads it. */
    static LoadedObject load() {
        return load(PID, spec -> { });
    }

    /** Calls libc's getppid() {@code times} times from this thread; returns what it returned. */
    static int getppid(int times) {
        int parent = -1;
        try {
            for (int i = 0; i < times; i++) {
                parent = (int) GETPPID.invokeExact();
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return parent;
    }

    /** getppid's number in the syscall table, what sys_enter's raw tracepoint sees as its id. */
    static long getppidSyscallNumber() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> 110;
            case "aarch64" -> 173;
            default -> throw new IllegalStateException("getppid's syscall number on " + System.getProperty("os.arch"));
        };
    }

    /** The C library this process mapped, from /proc/self/maps: a real shared library to put uprobes in. */
    static Path libc() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.map(line -> line.split("\\s+", 6)).filter(f -> f.length == 6)
                    .map(f -> f[5].strip()).filter(p -> p.matches(".*/libc[.-][^/]*so.*"))
                    .findFirst().map(Path::of)
                    .orElseThrow(() -> new IllegalStateException("no libc in /proc/self/maps"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Skips when the kernel lacks {@code feature}, but fails when its version and Kconfig say it should have it. */
    static void assumeFeature(KernelFeature feature) {
        if (KernelFeatures.has(feature)) {
            return;
        }
        try {
            KernelFeatures.require(feature);
        } catch (FeatureUnavailableException e) {
            if (e.expected()) {
                fail("the kernel should have " + feature + ": " + e.getMessage(), e);
            }
            assumeTrue(false, e.getMessage());
        }
    }
}
