package io.junitebpf.bpf.internal;

import io.junitebpf.bpf.BpfException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * An epoll instance watching one file descriptor for readability, as libbpf's
 * ring buffer does with the map fd: the kernel reports a ring buffer map
 * readable while it holds unconsumed data (level-triggered), and wakes
 * waiters when a producer commits a record and the consumer had caught up.
 *
 * <p>Not thread-safe: its owner serialises calls.
 */
public final class Epoll implements AutoCloseable {

    private final Arena arena = Arena.ofShared();
    private final MemorySegment events;
    private final MemorySegment state;
    private final String description;
    private int epfd = -1;

    /** Creates the epoll instance and registers {@code fd} for EPOLLIN. */
    public Epoll(int fd, String description) {
        this.description = description;
        try {
            events = arena.allocate(Syscalls.EPOLL_EVENT_SIZE, 8);
            state = Errors.callState(arena);
            epfd = Syscalls.epollCreate("open " + description);
            Syscalls.epollAdd(epfd, fd, "open " + description);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Waits until the fd is readable or {@code timeoutMs} passed ({@code -1}:
     * forever, {@code 0}: just look). A signal (EINTR) restarts the wait with
     * the time that is left.
     *
     * @return whether the fd is readable
     */
    public boolean await(int timeoutMs) {
        if (epfd < 0) {
            throw new IllegalStateException("poll " + description + ": closed");
        }
        long deadline = timeoutMs > 0 ? System.nanoTime() + timeoutMs * 1_000_000L : 0;
        int wait = timeoutMs;
        while (true) {
            int n = Syscalls.epollWait(state, epfd, events, 1, wait);
            if (n >= 0) {
                return n > 0;
            }
            int errno = Errors.errno(state);
            if (errno != Syscalls.EINTR) {
                throw new BpfException("poll " + description, "epoll_wait failed", errno, List.of());
            }
            if (timeoutMs > 0) {
                wait = (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
            }
        }
    }

    @Override
    public void close() {
        if (epfd >= 0) {
            Syscalls.close(epfd);
            epfd = -1;
        }
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
