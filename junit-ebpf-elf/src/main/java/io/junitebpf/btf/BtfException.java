package io.junitebpf.btf;

/**
 * BTF that cannot be read: empty or truncated input, a wrong magic, an object without a
 * {@code .BTF} section, a type id that points nowhere, or a struct that is not there.
 *
 * <p>The message reads "BTF: detail (hint)" and names the source (file or resource) when it is
 * known, so a test failure says which object was wrong without a debugger.
 */
public class BtfException extends RuntimeException {

    /** @param message the complete message, "BTF: detail (hint)" */
    public BtfException(String message) {
        super(message);
    }

    /**
     * @param message the complete message, "BTF: detail (hint)"
     * @param cause   the failure underneath, e.g. the {@link java.io.IOException} of a read
     */
    public BtfException(String message, Throwable cause) {
        super(message, cause);
    }
}
