package io.junitebpf.bpf.internal;

import io.junitebpf.bpf.BpfException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One BPF filter on a clsact qdisc, made through libbpf's tc hook API
 * ({@code bpf_tc_hook_create}, {@code bpf_tc_attach}, {@code bpf_tc_detach},
 * {@code bpf_tc_hook_destroy}). The qdisc is shared by every filter on the interface, in both
 * directions: this process counts its filters on each qdisc it created itself and destroys the
 * qdisc when the last of them detaches, and never destroys a qdisc somebody else created.
 *
 * <p>Structs as in libbpf 0.4 to 1.5 ({@code struct bpf_tc_hook}, {@code struct bpf_tc_opts}), sizes
 * including the {@code size_t :0} tail padding.
 */
public final class TcFilterHandle implements AutoCloseable {

    /** enum bpf_tc_attach_point. */
    public static final int INGRESS = 1;
    public static final int EGRESS = 2;

    private static final long HOOK_SIZE = 24;   // sz, ifindex, attach_point, parent
    private static final long OPTS_SIZE = 32;   // sz, prog_fd, flags, prog_id, handle, priority
    private static final int EEXIST = 17;
    private static final int ENOENT = 2;
    private static final int ENODEV = 19;

    /** ifindex → how many of this process's filters sit on the clsact qdisc it created there. */
    private static final Map<Integer, Integer> CREATED_QDISCS = new HashMap<>();

    private final LibbpfApi api;
    private final int ifindex;
    private final int attachPoint;
    private final int handle;
    private final int priority;
    private final int programId;
    private final boolean createdQdisc;
    private final String description;
    private boolean closed;

    private TcFilterHandle(LibbpfApi api, int ifindex, int attachPoint, int handle, int priority, int programId,
                           boolean createdQdisc, String description) {
        this.api = api;
        this.ifindex = ifindex;
        this.attachPoint = attachPoint;
        this.handle = handle;
        this.priority = priority;
        this.programId = programId;
        this.createdQdisc = createdQdisc;
        this.description = description;
    }

    /**
     * Creates the clsact qdisc on {@code ifindex} unless it exists, and attaches {@code programFd} in
     * direct-action mode with a handle and priority the kernel chooses.
     */
    public static TcFilterHandle attach(LibbpfApi api, int programFd, int ifindex, int attachPoint,
                                        String operation, String description) {
        synchronized (CREATED_QDISCS) {
            try (Arena arena = Arena.ofConfined(); LogCapture log = LogCapture.start()) {
                MemorySegment hook = hook(arena, ifindex, attachPoint);
                boolean ours = CREATED_QDISCS.containsKey(ifindex);
                int rc = api.tcHookCreate(hook);
                if (rc < 0 && rc != -EEXIST) {
                    throw new BpfException(operation, "bpf_tc_hook_create (clsact qdisc) failed", -rc, log.lines());
                }
                if (rc == 0) {
                    ours = true;
                    CREATED_QDISCS.put(ifindex, 0);
                }
                MemorySegment opts = arena.allocate(OPTS_SIZE, 8);
                opts.set(ValueLayout.JAVA_LONG, 0, OPTS_SIZE);
                opts.set(ValueLayout.JAVA_INT, 8, programFd);
                rc = api.tcAttach(hook, opts);
                if (rc < 0) {
                    if (ours) {
                        release(api, ifindex);
                    }
                    throw new BpfException(operation, "bpf_tc_attach failed", -rc, log.lines());
                }
                if (ours) {
                    CREATED_QDISCS.merge(ifindex, 1, Integer::sum);
                }
                return new TcFilterHandle(api, ifindex, attachPoint, opts.get(ValueLayout.JAVA_INT, 20),
                        opts.get(ValueLayout.JAVA_INT, 24), opts.get(ValueLayout.JAVA_INT, 16), ours, description);
            }
        }
    }

    public int ifindex() {
        return ifindex;
    }

    public int handle() {
        return handle;
    }

    public int priority() {
        return priority;
    }

    public int programId() {
        return programId;
    }

    /** Whether this filter's attach created the clsact qdisc (which then goes with the last such filter). */
    public boolean createdQdisc() {
        return createdQdisc;
    }

    public String description() {
        return description;
    }

    public synchronized boolean closed() {
        return closed;
    }

    /**
     * Detaches the filter, then destroys the qdisc if this process created it and no filter of
     * its own is left on it. An interface that vanished took both with it: not an error.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        synchronized (CREATED_QDISCS) {
            try (Arena arena = Arena.ofConfined(); LogCapture log = LogCapture.start()) {
                MemorySegment opts = arena.allocate(OPTS_SIZE, 8);
                opts.set(ValueLayout.JAVA_LONG, 0, OPTS_SIZE);
                opts.set(ValueLayout.JAVA_INT, 20, handle);
                opts.set(ValueLayout.JAVA_INT, 24, priority);
                int rc = api.tcDetach(hook(arena, ifindex, attachPoint), opts);
                // ENOENT: the filter (or its qdisc) was removed by someone else; ENODEV/EINVAL: the interface is gone
                boolean gone = rc == -ENOENT || rc == -ENODEV || (rc < 0 && !interfaceExists(ifindex));
                if (rc < 0 && !gone) {
                    throw new BpfException("detach " + description, "bpf_tc_detach failed", -rc, log.lines());
                }
                closed = true;
                if (createdQdisc) {
                    int left = CREATED_QDISCS.merge(ifindex, -1, Integer::sum);
                    if (left <= 0) {
                        rc = release(api, ifindex);
                        if (rc < 0) {
                            throw new BpfException("detach " + description, "destroying the clsact qdisc it "
                                    + "created failed (tc qdisc show dev <interface> shows it)", -rc, log.lines());
                        }
                    }
                }
            }
        }
    }

    /** Destroys the qdisc this process created on {@code ifindex}: 0, or -errno. */
    private static int release(LibbpfApi api, int ifindex) {
        CREATED_QDISCS.remove(ifindex);
        try (Arena arena = Arena.ofConfined()) {
            int rc = api.tcHookDestroy(hook(arena, ifindex, INGRESS | EGRESS));
            return rc == -ENOENT || rc == -ENODEV || (rc < 0 && !interfaceExists(ifindex)) ? 0 : rc;
        }
    }

    /** The ifindexes on which this process created a clsact qdisc that it has not destroyed. */
    public static List<Integer> createdQdiscs() {
        synchronized (CREATED_QDISCS) {
            return List.copyOf(CREATED_QDISCS.keySet());
        }
    }

    private static boolean interfaceExists(int ifindex) {
        return Syscalls.interfaceName(ifindex) != null;
    }

    private static MemorySegment hook(Arena arena, int ifindex, int attachPoint) {
        MemorySegment hook = arena.allocate(HOOK_SIZE, 8);
        hook.set(ValueLayout.JAVA_LONG, 0, HOOK_SIZE);
        hook.set(ValueLayout.JAVA_INT, 8, ifindex);
        hook.set(ValueLayout.JAVA_INT, 12, attachPoint);
        return hook;
    }
}
