package io.junitebpf.elf;

import java.util.List;

/**
 * One USDT probe, read from a {@code .note.stapsdt} note (type 3, owner {@code stapsdt}), with the
 * file offsets libbpf needs to attach to it.
 *
 * @param provider probe provider, e.g. {@code groupa}
 * @param name probe name, e.g. {@code probe1}
 * @param location address of the probe's {@code nop} as written in the note
 * @param base address of {@code .stapsdt.base} as written in the note; 0 if absent
 * @param semaphore address of the probe's semaphore as written in the note; 0 if it has none
 * @param argumentSpec the raw argument specification, e.g. {@code "-4@$10 8@%rax"}
 * @param locationOffset file offset of the probe's instruction: the uprobe attach offset, with
 *     the prelink adjustment applied
 * @param semaphoreOffset file offset of the semaphore: the uprobe reference counter offset; 0 if
 *     the probe has no semaphore
 */
public record UsdtProbe(String provider, String name, long location, long base, long semaphore,
        String argumentSpec, long locationOffset, long semaphoreOffset) {

    /**
     * Returns {@code provider:name}, the form used in messages and by {@code bpftrace}.
     *
     * @return e.g. {@code groupa:probe1}
     */
    public String qualifiedName() {
        return provider + ":" + name;
    }

    /**
     * Tells whether the probe has a semaphore, i.e. the program only evaluates the probe's
     * arguments while a tracer has incremented it.
     *
     * @return true if {@link #semaphore()} is not 0
     */
    public boolean hasSemaphore() {
        return semaphore != 0;
    }

    /**
     * Parses {@link #argumentSpec()}. Done on demand so that a probe with an unusual operand does
     * not make the whole file unreadable.
     *
     * @return the arguments in order
     * @throws ElfException if an argument is not in the supported x86-64 form
     */
    public List<UsdtArgument> arguments() {
        try {
            return UsdtArgument.parseAll(argumentSpec);
        } catch (ElfException e) {
            throw new ElfException("USDT probe " + qualifiedName() + ": " + e.getMessage(), e);
        }
    }
}
