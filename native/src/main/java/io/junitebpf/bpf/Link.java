package io.junitebpf.bpf;

import io.junitebpf.bpf.internal.LinkHandle;

/**
 * An attachment of a program to a hook (a {@code struct bpf_link}). Closing it
 * detaches the program; closing twice is harmless. Links also close with the
 * {@link LoadedObject} whose program made them.
 */
public final class Link implements AutoCloseable {

    private final LinkHandle handle;
    private final LoadedObject owner;

    Link(LinkHandle handle, LoadedObject owner) {
        this.handle = handle;
        this.owner = owner;
    }

    /** What the link attaches to, e.g. "usdt /usr/bin/umark groupa:probe1 (pid 42)". */
    public String description() {
        return handle.description();
    }

    /** Whether the link has been detached. */
    public boolean closed() {
        return handle.closed();
    }

    /** Detaches the program. Idempotent. */
    @Override
    public void close() {
        owner.disown(this);
        handle.close();
    }

    @Override
    public String toString() {
        return "Link[" + description() + (closed() ? ", closed" : "") + "]";
    }
}
