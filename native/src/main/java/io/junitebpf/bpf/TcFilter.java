package io.junitebpf.bpf;

import io.junitebpf.bpf.internal.TcFilterHandle;

import java.util.List;

/**
 * A tc program attached to an interface as a direct-action BPF filter on its
 * clsact qdisc (libbpf's tc hook API; no bpf_link, so works on any kernel
 * since 4.5). Closing it detaches the filter and, when its attach created the
 * clsact qdisc and no other filter of this process is left on it, destroys the
 * qdisc too; closing twice is harmless. Filters also close with the
 * {@link LoadedObject} whose program made them.
 */
public final class TcFilter implements AutoCloseable {

    private final TcFilterHandle handle;
    private final LoadedObject owner;
    private final TcAttachPoint attachPoint;

    TcFilter(TcFilterHandle handle, LoadedObject owner, TcAttachPoint attachPoint) {
        this.handle = handle;
        this.owner = owner;
        this.attachPoint = attachPoint;
    }

    /** What the filter attaches to, e.g. "tc ingress of interface 'je1a2b3c4h' (index 7)". */
    public String description() {
        return handle.description();
    }

    /** The interface's index in this process's network namespace. */
    public int ifindex() {
        return handle.ifindex();
    }

    public TcAttachPoint attachPoint() {
        return attachPoint;
    }

    /** The filter's handle, as {@code tc filter show dev IF ingress} prints it. */
    public int handle() {
        return handle.handle();
    }

    /** The filter's priority (preference), chosen by the kernel. */
    public int priority() {
        return handle.priority();
    }

    /** The attached program's kernel id. */
    public int programId() {
        return handle.programId();
    }

    /** Whether attaching this filter created the interface's clsact qdisc. */
    public boolean createdQdisc() {
        return handle.createdQdisc();
    }

    /** Whether the filter has been detached. */
    public boolean closed() {
        return handle.closed();
    }

    /**
     * The indexes of interfaces where this process created a clsact qdisc and has not yet
     * destroyed it: empty once every filter closed, so a leak check can hold a test to it.
     */
    public static List<Integer> createdQdiscs() {
        return TcFilterHandle.createdQdiscs();
    }

    /** Detaches the filter (and the qdisc it created, after the last filter). Idempotent. */
    @Override
    public void close() {
        owner.disown(this);
        handle.close();
    }

    @Override
    public String toString() {
        return "TcFilter[" + description() + (closed() ? ", closed" : "") + "]";
    }
}
