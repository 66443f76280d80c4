package io.junitebpf.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Linux kernel version, major.minor.patch, as in {@code uname -r}.
 *
 * @param major the major version
 * @param minor the minor version
 * @param patch the patch level (0 when absent)
 */
public record KernelVersion(int major, int minor, int patch) implements Comparable<KernelVersion> {

    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /** Parses "6.18.44-fc-v782", "5.10" or "5.15.0". */
    public static KernelVersion parse(String text) {
        Matcher m = VERSION.matcher(text.strip());
        if (!m.find()) {
            throw new IllegalArgumentException("kernel version: cannot parse '" + text + "' (expected e.g. 5.15)");
        }
        return new KernelVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    /** The running kernel's release string, e.g. "6.18.44-fc-v782". */
    public static String release() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return System.getProperty("os.version");
        }
    }

    /** The running kernel's version. */
    public static KernelVersion running() {
        return parse(release());
    }

    @Override
    public int compareTo(KernelVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
