package io.junitebpf.elf;

/**
 * An ELF file could not be read or does not contain what was asked for.
 *
 * <p>Messages follow "operation: detail (hint)", for example
 * {@code ELF file /tmp/umark: truncated at offset 4096 (section headers need 1984 bytes at
 * offset 14200; is the file complete?)}. Low-level failures (I/O errors, out-of-range reads of a
 * corrupt file) never escape as anything but this type.
 */
public class ElfException extends RuntimeException {

    /**
     * Creates an exception with a complete message.
     *
     * @param message what failed, why, and what to do
     */
    public ElfException(String message) {
        super(message);
    }

    /**
     * Creates an exception that keeps the low-level failure as its cause.
     *
     * @param message what failed, why, and what to do
     * @param cause the I/O or parsing failure underneath
     */
    public ElfException(String message, Throwable cause) {
        super(message, cause);
    }
}
