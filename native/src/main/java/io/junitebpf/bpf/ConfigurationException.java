package io.junitebpf.bpf;

import java.io.Serial;

/**
 * A configuration value that cannot be used, naming where it came from (the key, or the
 * environment variable standing for it) and what was expected. The extension turns it into
 * JUnit's {@code ExtensionConfigurationException} with the same message.
 */
public final class ConfigurationException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String key;

    ConfigurationException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The key whose value is bad, e.g. {@code junit.ebpf.libbpf.debug}, also when it came from the environment. */
    public String key() {
        return key;
    }
}
