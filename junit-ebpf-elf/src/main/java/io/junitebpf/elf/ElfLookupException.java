package io.junitebpf.elf;

import java.util.List;

/**
 * A symbol or USDT probe was looked up by name and does not exist in the file.
 *
 * <p>The message names the file and the closest existing names, so that a typo in a test is
 * visible at once; {@link #candidates()} gives the same names to code.
 */
public final class ElfLookupException extends ElfException {

    private final String wanted;
    private final List<String> candidates;

    /**
     * Creates the exception.
     *
     * @param message complete message, including the candidates
     * @param wanted the name that was looked up
     * @param candidates existing names close to {@code wanted}, best first; may be empty
     */
    public ElfLookupException(String message, String wanted, List<String> candidates) {
        super(message);
        this.wanted = wanted;
        this.candidates = List.copyOf(candidates);
    }

    /**
     * Returns the name that was looked up.
     *
     * @return the missing symbol name, or {@code provider:name} for a USDT probe
     */
    public String wanted() {
        return wanted;
    }

    /**
     * Returns existing names close to the wanted one.
     *
     * @return unmodifiable list, best match first
     */
    public List<String> candidates() {
        return candidates;
    }
}
