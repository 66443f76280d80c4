package io.junitebpf.bpf;

/**
 * A libbpf version, major.minor as the library reports it.
 *
 * @param major the major version (1 for every libbpf this project supports)
 * @param minor the minor version
 */
public record LibbpfVersion(int major, int minor) implements Comparable<LibbpfVersion> {

    /** The API level this project is written against: Ubuntu 24.04's libbpf. */
    public static final LibbpfVersion API_LEVEL = new LibbpfVersion(1, 3);

    /** Parses "1.3", "v1.3" or "1.3.0" (the patch level is not reported by libbpf and is ignored). */
    public static LibbpfVersion parse(String text) {
        String t = text.strip();
        if (t.startsWith("v")) {
            t = t.substring(1);
        }
        String[] parts = t.split("\\.");
        try {
            if (parts.length < 2) {
                throw new NumberFormatException();
            }
            return new LibbpfVersion(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("libbpf version: cannot parse '" + text + "' (expected e.g. 1.3)");
        }
    }

    /** Whether this version is at least {@code other}. */
    public boolean atLeast(LibbpfVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(LibbpfVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
