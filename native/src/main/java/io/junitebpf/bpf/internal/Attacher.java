package io.junitebpf.bpf.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The attach calls of one program, with their option structs laid out for
 * libbpf's API level 1.3. Older libbpf accepts the larger structs as long as
 * the fields it does not know are zero, which they are unless the caller
 * asked for a newer feature.
 */
public final class Attacher {

    /** sizeof(struct bpf_uprobe_opts) in libbpf 1.3 (attach_mode included). */
    private static final long UPROBE_OPTS_SIZE = 48;
    private static final long USDT_OPTS_SIZE = 16;
    private static final long KSYSCALL_OPTS_SIZE = 24;

    private final ObjectHandle object;
    private final String program;

    public Attacher(ObjectHandle object, String program) {
        this.object = object;
        this.program = program;
    }

    /** bpf_program__attach: the attach point comes from the program's SEC(). */
    public LinkHandle auto(String description) {
        return object.withArena(arena -> link(description, log -> object.api()
                .attach(object.program(program), operation(description), log)));
    }

    /** bpf_program__attach_uprobe_opts by function name (libbpf resolves it) or by offset. */
    public LinkHandle uprobe(String binary, String function, long offset, boolean retprobe, int pid, long cookie,
                             long refCtrOffset, String description) {
        return object.withArena(arena -> {
            MemorySegment opts = arena.allocate(UPROBE_OPTS_SIZE, 8);
            opts.set(ValueLayout.JAVA_LONG, 0, UPROBE_OPTS_SIZE);
            opts.set(ValueLayout.JAVA_LONG, 8, refCtrOffset);
            opts.set(ValueLayout.JAVA_LONG, 16, cookie);
            opts.set(ValueLayout.JAVA_BOOLEAN, 24, retprobe);
            if (function != null) {
                opts.set(ValueLayout.ADDRESS, 32, arena.allocateFrom(function));
            }
            MemorySegment path = arena.allocateFrom(binary);
            return link(description, log -> object.api().attachUprobeOpts(object.program(program), pid, path,
                    offset, opts, operation(description), log));
        });
    }

    /** bpf_program__attach_usdt. */
    public LinkHandle usdt(String binary, String provider, String name, int pid, long cookie, String description) {
        return object.withArena(arena -> {
            MemorySegment opts = arena.allocate(USDT_OPTS_SIZE, 8);
            opts.set(ValueLayout.JAVA_LONG, 0, USDT_OPTS_SIZE);
            opts.set(ValueLayout.JAVA_LONG, 8, cookie);
            MemorySegment path = arena.allocateFrom(binary);
            MemorySegment prov = arena.allocateFrom(provider);
            MemorySegment nm = arena.allocateFrom(name);
            return link(description, log -> object.api().attachUsdt(object.program(program), pid, path, prov, nm,
                    opts, operation(description), log));
        });
    }

    /** bpf_program__attach_tracepoint. */
    public LinkHandle tracepoint(String category, String name, String description) {
        return object.withArena(arena -> {
            MemorySegment cat = arena.allocateFrom(category);
            MemorySegment nm = arena.allocateFrom(name);
            return link(description, log -> object.api().attachTracepoint(object.program(program), cat, nm,
                    operation(description), log));
        });
    }

    /** bpf_program__attach_raw_tracepoint. */
    public LinkHandle rawTracepoint(String name, String description) {
        return object.withArena(arena -> {
            MemorySegment nm = arena.allocateFrom(name);
            return link(description, log -> object.api().attachRawTracepoint(object.program(program), nm,
                    operation(description), log));
        });
    }

    /** bpf_program__attach_kprobe. */
    public LinkHandle kprobe(String function, boolean retprobe, String description) {
        return object.withArena(arena -> {
            MemorySegment fn = arena.allocateFrom(function);
            return link(description, log -> object.api().attachKprobe(object.program(program), retprobe, fn,
                    operation(description), log));
        });
    }

    /** bpf_program__attach_ksyscall (libbpf 1.0). */
    public LinkHandle ksyscall(String syscall, boolean retprobe, long cookie, String description) {
        return object.withArena(arena -> {
            MemorySegment opts = arena.allocate(KSYSCALL_OPTS_SIZE, 8);
            opts.set(ValueLayout.JAVA_LONG, 0, KSYSCALL_OPTS_SIZE);
            opts.set(ValueLayout.JAVA_LONG, 8, cookie);
            opts.set(ValueLayout.JAVA_BOOLEAN, 16, retprobe);
            MemorySegment nm = arena.allocateFrom(syscall);
            return link(description, log -> object.api().attachKsyscall(object.program(program), nm, opts,
                    operation(description), log));
        });
    }

    private String operation(String description) {
        return "attach program '" + program + "' of " + object.displayName() + " to " + description;
    }

    private interface LinkCall {
        MemorySegment call(LogCapture log);
    }

    private LinkHandle link(String description, LinkCall call) {
        if (!object.loaded()) {
            throw new IllegalStateException(operation(description) + ": the object is not loaded (call load() first)");
        }
        try (LogCapture log = LogCapture.start()) {
            return new LinkHandle(object.api(), call.call(log), description);
        }
    }

    /** bpf_program__attach_xdp: a bpf_link (kernel 5.9), so the program detaches when the link closes. */
    public LinkHandle xdp(int ifindex, String description) {
        return object.withArena(arena -> link(description, log -> object.api().attachXdp(object.program(program),
                ifindex, operation(description), log)));
    }
}
