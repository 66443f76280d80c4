package io.junitebpf.bpf.internal;

import io.junitebpf.bpf.BpfException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * An epoll instance watching one file descriptor for readability, as libbpf's
 * ring buffer does with the map fd: the kernel reports a ring buffer map
 * readable while it holds unconsumed data (level-triggered), and wakes
 * waiters when a producer commits a record and the consumer had caught up.
 *
 * <p>Several threads may wait at once: the kernel wakes each of them when the fd
 * becomes readable (it hands a level-triggered readiness on from one woken waiter
 * to the next). {@link #close} wakes every waiter through an eventfd in the same set and
 * closes the instance when the last one has left, so no wait can outlive it on a
 * recycled fd number. {@link #wakeup} makes a wait return early through a second eventfd.
 */
public final class Epoll implements AutoCloseable {

    private final String description;
    private final Object lock = new Object();
    private int epfd = -1;
    /** Made readable by {@link #close}, never reset: every wait then returns at once. */
    private int closeFd = -1;
    /** Made readable by {@link #wakeup}, reset by the wait it woke. */
    private int wakeFd = -1;
    private int waiters;
    private boolean closing;

    /** Creates the epoll instance and registers {@code fd} for EPOLLIN. */
    public Epoll(int fd, String description) {
        this.description = description;
        try {
            epfd = Syscalls.epollCreate("open " + description);
            Syscalls.epollAdd(epfd, fd, "open " + description);
            closeFd = Syscalls.eventFd("open " + description);
            Syscalls.epollAdd(epfd, closeFd, "open " + description);
            wakeFd = Syscalls.eventFd("open " + description);
            Syscalls.epollAdd(epfd, wakeFd, "open " + description);
        } catch (RuntimeException e) {
            closeFds();
            throw e;
        }
    }

    /**
     * Waits until the fd is readable, {@code timeoutMs} passed ({@code -1}:
     * forever, {@code 0}: just look), {@link #wakeup} or {@link #close} was called.
     * A signal (EINTR) restarts the wait with the time that is left.
     *
     * @return whether the fd is readable (or the instance is being closed: the caller
     *         finds that out from its own closed state); false after a timeout or a wake-up
     * @throws IllegalStateException once {@link #close} was called
     */
    public boolean await(int timeoutMs) {
        synchronized (lock) {
            if (closing) {
                throw new IllegalStateException("poll " + description + ": closed");
            }
            waiters++;
        }
        // each waiter its own event and errno slots: the kernel and the call state write them
        try (Arena call = Arena.ofConfined()) {
            MemorySegment events = call.allocate(Syscalls.EPOLL_EVENT_SIZE, 8);
            MemorySegment state = Errors.callState(call);
            long deadline = timeoutMs > 0 ? System.nanoTime() + timeoutMs * 1_000_000L : 0;
            int wait = timeoutMs;
            while (true) {
                int n = Syscalls.epollWait(state, epfd, events, 1, wait);
                if (n == 1 && events.get(ValueLayout.JAVA_INT, 8) == wakeFd) {
                    Syscalls.eventFdClear(wakeFd); // (the data's int at 8: see Syscalls.epollAdd)
                    return false;
                }
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
        } finally {
            synchronized (lock) {
                if (--waiters == 0 && closing) {
                    closeFds();
                }
            }
        }
    }

    /**
     * Makes one wait return early: one blocked now, else the next one. For a thread that wants to take
     * over reading from another one blocked in {@link #await}.
     */
    public void wakeup() {
        synchronized (lock) {
            if (!closing) {
                Syscalls.eventFdSignal(wakeFd, "wake up " + description);
            }
        }
    }

    /** Wakes every wait, and closes the instance at once or when the last wait has left. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closing) {
                return;
            }
            closing = true;
            if (waiters == 0) {
                closeFds();
            } else {
                Syscalls.eventFdSignal(closeFd, "close " + description);
            }
        }
    }

    private void closeFds() {
        if (wakeFd >= 0) {
            Syscalls.close(wakeFd);
            wakeFd = -1;
        }
        if (closeFd >= 0) {
            Syscalls.close(closeFd);
            closeFd = -1;
        }
        if (epfd >= 0) {
            Syscalls.close(epfd);
            epfd = -1;
        }
    }
}
