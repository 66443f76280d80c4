package io.junitebpf.bpf.internal;

import io.junitebpf.bpf.BpfException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Our own shared mapping of a {@code BPF_F_MMAPABLE} array map (a loaded
 * object's .bss or .data): reads and writes go straight to the kernel's values,
 * one variable at a time, without racing the programs on the rest of the section.
 *
 * <p>libbpf up to 1.4 re-maps its image of an internal map onto the kernel's
 * only in skeleton loads, so after {@code bpf_object__load} its
 * {@code bpf_map__initial_value} is a stale copy; hence this mapping. It is
 * released with the object ({@link ObjectHandle#onClose}); an unreleased one
 * would keep the map alive in the kernel.
 */
final class MappedRegion implements AutoCloseable {

    private static final Linker LINKER = NativeLibrary.LINKER;
    private static final MethodHandle MMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("mmap").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle MUNMAP = LINKER.downcallHandle(
            LINKER.defaultLookup().find("munmap").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 1;
    private static final long PAGE = 4096;

    private final MemorySegment address;
    private final long length;
    private final long size;
    private boolean closed;

    private MappedRegion(MemorySegment address, long length, long size) {
        this.address = address;
        this.length = length;
        this.size = size;
    }

    /** Maps the first {@code size} bytes of the map behind {@code fd}. */
    static MappedRegion map(int fd, long size, boolean writable, String operation) {
        long length = Math.max(PAGE, (size + PAGE - 1) / PAGE * PAGE);
        int prot = writable ? PROT_READ | PROT_WRITE : PROT_READ;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Errors.callState(arena);
            MemorySegment at = (MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, length, prot, MAP_SHARED,
                    fd, 0L);
            if (at.address() == -1L || at.equals(MemorySegment.NULL)) {
                throw new BpfException(operation, "mmap of the map failed", Errors.errno(state), List.of());
            }
            return new MappedRegion(at, length, size);
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    /** The mapped values; valid until {@link #close()}: callers hold the object's lock. */
    synchronized MemorySegment values() {
        if (closed) {
            throw new IllegalStateException("global data mapping is closed");
        }
        return address.reinterpret(size);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            int rc = (int) MUNMAP.invokeExact(address, length);
            assert rc == 0;
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }
}
