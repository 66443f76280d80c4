package io.junitebpf.bpf.internal;

import io.junitebpf.bpf.BpfException;

import java.lang.foreign.MemorySegment;
import java.util.List;

/** One {@code struct bpf_link}: destroyed exactly once, however often close is called. */
public final class LinkHandle implements AutoCloseable {

    private final LibbpfApi api;
    private final String description;
    private MemorySegment link;

    LinkHandle(LibbpfApi api, MemorySegment link, String description) {
        this.api = api;
        this.link = link;
        this.description = description;
    }

    public String description() {
        return description;
    }

    public synchronized boolean closed() {
        return link == null;
    }

    @Override
    public synchronized void close() {
        if (link == null) {
            return;
        }
        MemorySegment l = link;
        link = null;
        int rc = api.linkDestroy(l);
        if (rc < 0) {
            throw new BpfException("detach " + description, "bpf_link__destroy failed", -rc, List.of());
        }
    }
}
