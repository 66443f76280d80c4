package io.junitebpf.bpf;

import io.junitebpf.bpf.internal.ObjectHandle;

/**
 * A program of an opened, not yet loaded object: what its ELF says, and
 * whether it will be loaded.
 */
public final class ProgramSpec {

    private final ObjectHandle handle;
    private final String name;

    ProgramSpec(ObjectHandle handle, String name) {
        this.handle = handle;
        this.name = name;
    }

    /** The program's function name. */
    public String name() {
        return name;
    }

    /** The ELF section, i.e. what {@code SEC()} declared, e.g. "usdt/umark:groupb:probe2". */
    public String section() {
        return handle.withArena(a -> handle.api().programSection(handle.program(name)));
    }

    /** Whether {@link BpfObject#load()} will load it (default true for every recognised section). */
    public boolean autoload() {
        return handle.withArena(a -> handle.api().programAutoload(handle.program(name)));
    }

    /**
     * Chooses whether the program is loaded, e.g. to skip a kprobe program on a
     * kernel without kprobes. Must be called before load.
     */
    public ProgramSpec autoload(boolean load) {
        handle.withArena(a -> {
            if (handle.loaded()) {
                throw new IllegalStateException("set autoload of '" + name + "': the object is already loaded");
            }
            int rc = handle.api().programSetAutoload(handle.program(name), load);
            if (rc < 0) {
                throw new BpfException("set autoload of '" + name + "'", "failed", -rc, java.util.List.of());
            }
            return null;
        });
        return this;
    }

    @Override
    public String toString() {
        return "program " + name;
    }
}
