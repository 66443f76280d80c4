package io.junitebpf.bpf.internal;

import io.junitebpf.bpf.BpfException;
import io.junitebpf.bpf.RecordHandler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.Consumer;

/**
 * A ring buffer consumer that reads the kernel's memory-mapped
 * {@code BPF_MAP_TYPE_RINGBUF} from Java: no copy and no upcall per record.
 *
 * <p>The layout is the kernel's (kernel/bpf/ringbuf.c): at map offset 0 one
 * page holding the consumer position, the only page user space may write; at
 * offset one page the producer position page, followed by the data area mapped
 * twice in a row, so a record that wraps around the end is still contiguous.
 * Positions are free-running byte counters; {@code position & (size - 1)} is the
 * offset in the data area. Each record starts with an 8-byte header: a u32
 * length whose bit 31 says "reserved, not committed yet" (BUSY) and bit 30 "the
 * producer discarded it" (DISCARD), then a u32 page offset the kernel uses.
 * Records are 8-byte aligned.
 *
 * <p>The memory ordering follows libbpf's {@code ringbuf_process_ring}: the
 * producer position and each header are read with acquire semantics (the
 * kernel publishes both with release stores, so the record's bytes are visible
 * once its header says committed), and the consumer position is published with
 * a release store, which tells the kernel the space is free — batched, see {@link #drain}.
 *
 * <p>Waiting uses epoll on the map fd, but only when the ring is empty: as long
 * as there is data, poll costs no system call at all. Waits happen outside the reader's
 * lock, so several threads may wait at once; records are handed over under it, one
 * drain at a time, in ring order.
 */
public final class MappedRingBuffer implements RingReader {

    private static final int BUSY_BIT = 1 << 31;
    private static final int DISCARD_BIT = 1 << 30;
    private static final int HEADER_SIZE = 8;
    /** How much data is consumed between two publications of the consumer position. */
    private static final long PUBLISH_BYTES = 64 * 1024;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final String description;
    private final long mask;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment consumerPage;
    private final MemorySegment producerPage;
    private final MemorySegment data;
    /**
     * {@link #data} as one read-only buffer tied to the arena, the view handlers read records from (a
     * duplicate per drain; sliced per record for a {@code Consumer<ByteBuffer>}): a view or record kept past
     * {@link #close} fails on access instead of reading unmapped memory. Null for rings of 1 GiB and more.
     */
    private final ByteBuffer recordView;
    /**
     * The same bytes without the arena's liveness check, for the headers only: {@link #drain} reads them
     * under this object's lock after checking {@link #closed}, so never after the unmapping. The check per
     * header cost 20-30% of the drain loop and made it vary (scripts/bench-ringbuf: 142-242 M records/CPU-s
     * in one JVM, 203-227 M without it).
     */
    private final MemorySegment headers;
    private final Epoll epoll;
    private long consumed;
    private boolean closed;

    /**
     * Maps the ring buffer map behind {@code mapFd}.
     *
     * @param dataSize the map's max_entries: the data area's size, a power-of-2 multiple of the page size
     */
    public MappedRingBuffer(int mapFd, long dataSize, String description) {
        this.description = description;
        String operation = "open ring buffer " + description;
        long pageSize = Syscalls.pageSize();
        if (dataSize <= 0 || Long.bitCount(dataSize) != 1 || dataSize % pageSize != 0) {
            throw new BpfException(operation, "data size " + dataSize
                    + " is not a power-of-2 multiple of the page size " + pageSize, 0, List.of());
        }
        this.mask = dataSize - 1;
        try {
            consumerPage = map(mapFd, pageSize, Syscalls.PROT_READ | Syscalls.PROT_WRITE, 0, operation);
            producerPage = map(mapFd, pageSize + 2 * dataSize, Syscalls.PROT_READ, pageSize, operation)
                    .asReadOnly();
            data = producerPage.asSlice(pageSize);
            boolean oneBuffer = data.byteSize() <= Integer.MAX_VALUE;
            recordView = oneBuffer ? data.asByteBuffer() : null;
            headers = MemorySegment.ofAddress(data.address()).reinterpret(data.byteSize());
            epoll = new Epoll(mapFd, "ring buffer " + description);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** mmap with munmap tied to the arena, so closing the arena unmaps everything mapped so far. */
    private MemorySegment map(int fd, long length, int prot, long offset, String operation) {
        long address = Syscalls.mmap(length, prot, fd, offset, operation);
        return MemorySegment.ofAddress(address).reinterpret(length, arena, s -> Syscalls.munmap(address, length));
    }

    @Override
    public int poll(int timeoutMs, Consumer<ByteBuffer> handler) {
        // a slice per record, as the Consumer contract promises: a buffer of the handler's own
        return poll(timeoutMs, (ring, offset, length) -> handler.accept(
                ring.slice(offset, length).order(ByteOrder.nativeOrder())));
    }

    @Override
    public int poll(int timeoutMs, RecordHandler handler) {
        int n = drainOpen(handler);
        if (n > 0 || timeoutMs == 0) {
            return n;
        }
        long deadline = System.nanoTime() + Math.max(0, timeoutMs) * 1_000_000L;
        while (true) {
            int wait = timeoutMs < 0 ? -1 : (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
            if (!awaitReadable(wait)) {
                // a timeout or a wakeup; producers that submit with BPF_RB_NO_WAKEUP never make the fd
                // ready: look once more
                return drainOpen(handler);
            }
            n = drainOpen(handler);
            if (n > 0 || (timeoutMs >= 0 && System.nanoTime() >= deadline)) {
                return n;
            }
            // Readable but nothing handed over: another thread drained it meanwhile, only discarded
            // records, or a record reserved but not yet committed (the producer commits within microseconds).
            Thread.onSpinWait();
        }
    }

    @Override
    public synchronized void wakeup() {
        if (closed) {
            throw closed();
        }
        epoll.wakeup();
    }

    /** Blocks outside this reader's lock, so other threads may drain, wait too, or close meanwhile. */
    private boolean awaitReadable(int timeoutMs) {
        try {
            return epoll.await(timeoutMs);
        } catch (IllegalStateException closedMeanwhile) {
            throw closed();
        }
    }

    private synchronized int drainOpen(RecordHandler handler) {
        if (closed) {
            throw closed();
        }
        return drain(handler);
    }

    private IllegalStateException closed() {
        return new IllegalStateException("poll ring buffer " + description + ": closed");
    }

    /**
     * Hands over every committed record, stopping at the first one still being written.
     *
     * <p>The consumer position is published (release store) once per {@link #PUBLISH_BYTES}
     * and at the end, not after every record as libbpf does: the store goes to a cache line
     * the kernel's producers read, and the space comes back to them in batches instead.
     *
     * <p>Headers are read from a segment without the arena's liveness check, followed by an acquire
     * fence, which is the acquire load the protocol needs (later reads of the record's bytes cannot
     * move before it); a VarHandle acquire access on the segment costs an alignment check and an
     * indirection per record on top, about 15% of the loop in scripts/bench-ringbuf.
     *
     * <p>The inner loop counts with an int up to a bound it cannot pass (a record takes at least 8
     * bytes): C2 keeps the safepoint check out of a counted loop's body (loop strip mining), where in
     * the {@code do ... while (position < producer)} it was a load and a branch per record. That took
     * the drain from about 270 to about 300 M records/CPU-s. And the common case, a committed record,
     * is told from the other two (still being written, discarded) by one test of both bits, after which
     * the header is the length as it stands: about 300 to 325 M, a little ahead of libbpf's C consumer,
     * whose loop tests each bit apart (scripts/bench-ringbuf).
     */
    private int drain(RecordHandler handler) {
        if (recordView == null) {
            return drainLarge(handler);
        }
        MemorySegment headers = this.headers;
        // one view per drain, so a handler that moves its position or limit moves only its own
        ByteBuffer records = recordView.duplicate().order(ByteOrder.nativeOrder());
        long consumerPos = (long) LONG.getAcquire(consumerPage, 0L);
        long published = consumerPos;
        int count = 0;
        try {
            long producerPos;
            while (consumerPos < (producerPos = (long) LONG.getAcquire(producerPage, 0L))) {
                int most = (int) Math.min((producerPos - consumerPos) >>> 3, Integer.MAX_VALUE);
                for (int i = 0; i < most; i++) {
                    int offset = (int) (consumerPos & mask);
                    int header = headers.get(ValueLayout.JAVA_INT, offset);
                    VarHandle.acquireFence();
                    if ((header & (BUSY_BIT | DISCARD_BIT)) == 0) { // committed: the header is the length
                        consumerPos += (HEADER_SIZE + header + 7) & ~7L;
                        count++; // also when the handler throws: that record is consumed, the rest stay
                        handler.onRecord(records, offset + HEADER_SIZE, header);
                    } else if ((header & BUSY_BIT) != 0) {
                        return count;
                    } else {
                        consumerPos += (HEADER_SIZE + (header & ~DISCARD_BIT) + 7) & ~7L;
                    }
                    if (consumerPos - published >= PUBLISH_BYTES) {
                        LONG.setRelease(consumerPage, 0L, consumerPos);
                        published = consumerPos;
                    }
                    if (consumerPos >= producerPos) {
                        break;
                    }
                }
            }
        } finally {
            if (consumerPos != published) {
                LONG.setRelease(consumerPage, 0L, consumerPos);
            }
            consumed += count;
        }
        return count;
    }

    /** {@link #drain} for a data area too large for one ByteBuffer (rings of 1 GiB and more). */
    private int drainLarge(RecordHandler handler) {
        // read back, not cached: another reader of the same map (a second RingBuffer) may have moved it
        long consumerPos = (long) LONG.getAcquire(consumerPage, 0L);
        long published = consumerPos;
        int count = 0;
        try {
            long producerPos;
            while (consumerPos < (producerPos = (long) LONG.getAcquire(producerPage, 0L))) {
                do {
                    long offset = consumerPos & mask;
                    int header = (int) INT.getAcquire(data, offset);
                    if ((header & BUSY_BIT) != 0) {
                        return count;
                    }
                    int length = header & ~(BUSY_BIT | DISCARD_BIT);
                    consumerPos += (HEADER_SIZE + length + 7) & ~7L;
                    if ((header & DISCARD_BIT) == 0) {
                        count++; // also when the handler throws: that record is consumed, the rest stay
                        handler.onRecord(record(offset + HEADER_SIZE, length), 0, length);
                    }
                    if (consumerPos - published >= PUBLISH_BYTES) {
                        LONG.setRelease(consumerPage, 0L, consumerPos);
                        published = consumerPos;
                    }
                } while (consumerPos < producerPos);
            }
        } finally {
            if (consumerPos != published) {
                LONG.setRelease(consumerPage, 0L, consumerPos);
            }
            consumed += count;
        }
        return count;
    }

    private ByteBuffer record(long offset, int length) {
        return data.asSlice(offset, length).asByteBuffer().order(ByteOrder.nativeOrder());
    }

    @Override
    public synchronized long consumed() {
        return consumed;
    }

    /** Unmaps the ring and closes the epoll instance. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            epoll.close();
        } finally {
            arena.close();
        }
    }
}
