package io.junitebpf.event;

/**
 * A Java record does not match the C struct it is meant to decode. The message
 * names the struct, the member, the C type and the Java type.
 */
public final class LayoutException extends RuntimeException {

    public LayoutException(String message) {
        super(message);
    }
}
