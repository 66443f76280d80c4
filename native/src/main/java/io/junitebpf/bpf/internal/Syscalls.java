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
 * The few libc calls the library makes itself: mmap of a map's pages, epoll
 * on its fd, the page size, and interface names to indexes. Each failing call becomes a
 * {@link BpfException} carrying the errno captured right after the call.
 */
public final class Syscalls {

    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int EPOLL_CLOEXEC = 0x80000;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLLIN = 0x1;
    public static final int EINTR = 4;
    private static final int EFD_CLOEXEC = 0x80000;
    private static final int EFD_NONBLOCK = 0x800;
    private static final int SC_PAGESIZE = 30; // _SC_PAGESIZE in glibc and musl
    private static final MemorySegment MAP_FAILED = MemorySegment.ofAddress(-1L);

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle MMAP = errnoHandle("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = errnoHandle("munmap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE = errnoHandle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CREATE1 = errnoHandle("epoll_create1",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CTL = errnoHandle("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EPOLL_WAIT = errnoHandle("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle EVENTFD = errnoHandle("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle EVENTFD_WRITE = errnoHandle("eventfd_write",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle EVENTFD_READ = errnoHandle("eventfd_read",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle IF_NAMETOINDEX = errnoHandle("if_nametoindex",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle IF_INDEXTONAME = errnoHandle("if_indextoname",
            FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
    /** IFNAMSIZ: interface names are at most 15 bytes and a NUL. */
    public static final int IFNAMSIZ = 16;
    private static final MethodHandle SYSCONF = LINKER.downcallHandle(
            LINKER.defaultLookup().find("sysconf").orElseThrow(), FunctionDescriptor.of(JAVA_LONG, JAVA_INT));

    private static final int PRIO_PROCESS = 0;
    private static final MethodHandle GETTID = LINKER.downcallHandle(
            LINKER.defaultLookup().find("gettid").orElseThrow(), FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle SETPRIORITY = errnoHandle("setpriority",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));

    /** The JDK's os.arch ("amd64", "aarch64", ...): read here once for every ABI decision of the library. */
    public static final String ARCH = System.getProperty("os.arch");
    /** The size of {@code struct epoll_event}: packed (12 bytes) on x86-64, naturally aligned elsewhere. */
    public static final long EPOLL_EVENT_SIZE = ARCH.matches("amd64|x86_64") ? 12 : 16;

    private static volatile long pageSize;

    private Syscalls() {
    }

    private static MethodHandle errnoHandle(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsupportedOperationException(name + " is not in the C library"));
        return LINKER.downcallHandle(symbol, descriptor, ERRNO);
    }

    /** sysconf(_SC_PAGESIZE), read once. */
    public static long pageSize() {
        long size = pageSize;
        if (size == 0) {
            try {
                size = (long) SYSCONF.invokeExact(SC_PAGESIZE);
            } catch (Throwable t) {
                throw Errors.rethrow(t);
            }
            if (size <= 0) {
                throw new IllegalStateException("sysconf(_SC_PAGESIZE) returned " + size);
            }
            pageSize = size;
        }
        return size;
    }

    /** mmap(NULL, length, prot, MAP_SHARED, fd, offset): the address of the mapping. */
    public static long mmap(long length, int prot, int fd, long offset, String operation) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Errors.callState(arena);
            MemorySegment address = (MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, length, prot,
                    MAP_SHARED, fd, offset);
            if (address.equals(MAP_FAILED)) {
                throw new BpfException(operation, "mmap of " + length + " bytes at offset " + offset + " failed",
                        Errors.errno(state), List.of());
            }
            return address.address();
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    /**
     * Sets the calling thread's nice value: {@code setpriority(PRIO_PROCESS, gettid(), nice)}. On Linux
     * the nice value belongs to the thread (the task), not to the process, so this leaves the JVM's other
     * threads as they were. Raising it needs no privilege; lowering it needs CAP_SYS_NICE.
     *
     * @return 0, or the errno of the refusal
     */
    public static int setThreadNice(int nice) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Errors.callState(arena);
            int tid = (int) GETTID.invokeExact();
            int rc = (int) SETPRIORITY.invokeExact(state, PRIO_PROCESS, tid, nice);
            return rc == 0 ? 0 : Errors.errno(state);
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    /** munmap; failures are ignored (nothing useful can be done with them while closing). */
    public static void munmap(long address, long length) {
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) MUNMAP.invokeExact(Errors.callState(arena), MemorySegment.ofAddress(address), length);
            assert rc == 0 : "munmap failed";
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    /** close(2); failures are ignored, as for munmap. */
    public static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) CLOSE.invokeExact(Errors.callState(arena), fd);
            assert rc == 0 : "close failed";
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    /** epoll_create1(EPOLL_CLOEXEC). */
    public static int epollCreate(String operation) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Errors.callState(arena);
            int fd = (int) EPOLL_CREATE1.invokeExact(state, EPOLL_CLOEXEC);
            if (fd < 0) {
                throw new BpfException(operation, "epoll_create1 failed", Errors.errno(state), List.of());
            }
            return fd;
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    /** epoll_ctl(epfd, EPOLL_CTL_ADD, fd, {EPOLLIN, data = fd}): the event names its fd in its first data bytes. */
    public static void epollAdd(int epfd, int fd, String operation) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Errors.callState(arena);
            MemorySegment event = arena.allocate(16, 8);
            event.set(JAVA_INT, 0, EPOLLIN);
            event.set(JAVA_INT, 4, fd); // epoll_data_t at offset 4 (x86-64, packed) or 8
            event.set(JAVA_INT, 8, fd);
            int rc = (int) EPOLL_CTL.invokeExact(state, epfd, EPOLL_CTL_ADD, fd, event);
            if (rc < 0) {
                throw new BpfException(operation, "epoll_ctl(EPOLL_CTL_ADD) of fd " + fd + " failed",
                        Errors.errno(state), List.of());
            }
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    /** eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK): a counter that is readable while it is not zero. */
    public static int eventFd(String operation) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Errors.callState(arena);
            int fd = (int) EVENTFD.invokeExact(state, 0, EFD_CLOEXEC | EFD_NONBLOCK);
            if (fd < 0) {
                throw new BpfException(operation, "eventfd failed", Errors.errno(state), List.of());
            }
            return fd;
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    /** Adds 1 to an eventfd's counter, which makes it readable (and wakes whoever waits for that). */
    public static void eventFdSignal(int fd, String operation) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Errors.callState(arena);
            if ((int) EVENTFD_WRITE.invokeExact(state, fd, 1L) < 0) {
                throw new BpfException(operation, "eventfd_write failed", Errors.errno(state), List.of());
            }
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    /** Resets a non-blocking eventfd's counter to zero (not readable any more); nothing when it was zero. */
    public static void eventFdClear(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) EVENTFD_READ.invokeExact(Errors.callState(arena), fd, arena.allocate(JAVA_LONG));
            assert rc == 0 || rc == -1 : "eventfd_read";
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    /**
     * epoll_wait into {@code events} (room for {@code maxEvents}); errno goes to
     * {@code state}. Returns the raw result, so the caller can retry on EINTR.
     */
    public static int epollWait(MemorySegment state, int epfd, MemorySegment events, int maxEvents, int timeoutMs) {
        try {
            return (int) EPOLL_WAIT.invokeExact(state, epfd, events, maxEvents, timeoutMs);
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    /**
     * if_nametoindex(3): the index of the interface {@code name} in the calling thread's network namespace, or 0
     * when there is none. Unlike {@code java.net.NetworkInterface}, which lists only interfaces that have an
     * address, this sees every interface: one that is down, has IPv6 off, or has not finished address
     * configuration yet.
     */
    public static int interfaceIndex(String name) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) IF_NAMETOINDEX.invokeExact(Errors.callState(arena), arena.allocateFrom(name));
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    /** if_indextoname(3): the name of the interface with index {@code ifindex}, or null when there is none. */
    public static String interfaceName(int ifindex) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(IFNAMSIZ);
            MemorySegment name = (MemorySegment) IF_INDEXTONAME.invokeExact(Errors.callState(arena), ifindex, buffer);
            return name.equals(MemorySegment.NULL) ? null : buffer.getString(0);
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }
}
