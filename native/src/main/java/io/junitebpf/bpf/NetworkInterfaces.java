package io.junitebpf.bpf;

import io.junitebpf.bpf.internal.Syscalls;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Network interfaces of the calling thread's network namespace by name and index, as the kernel knows them
 * ({@code if_nametoindex(3)}, {@code if_indextoname(3)}). {@code java.net.NetworkInterface} is not enough for
 * BPF tests: it lists only interfaces that have an address, so a veth pair that is down, has IPv6 disabled or
 * has not finished address configuration is invisible to it, though XDP and tc attach to it fine.
 */
public final class NetworkInterfaces {

    private NetworkInterfaces() {
    }

    /**
     * The index of the interface {@code name}, if it exists.
     *
     * @throws IllegalArgumentException for a name no interface can have (empty, longer than 15 bytes, with '/',
     *                                  whitespace or NUL)
     */
    public static OptionalInt index(String name) {
        requireValidName(name);
        int index = Syscalls.interfaceIndex(name);
        return index > 0 ? OptionalInt.of(index) : OptionalInt.empty();
    }

    /** The name of the interface with index {@code ifindex}, if there is one. */
    public static Optional<String> name(int ifindex) {
        if (ifindex <= 0) {
            throw new IllegalArgumentException("interface index " + ifindex + ": indexes start at 1");
        }
        return Optional.ofNullable(Syscalls.interfaceName(ifindex));
    }

    /** Whether an interface has index {@code ifindex}. */
    public static boolean exists(int ifindex) {
        return ifindex > 0 && Syscalls.interfaceName(ifindex) != null;
    }

    /** The kernel's rule for interface names (dev_valid_name): 1..15 bytes, not "." or "..", no '/', ':' or space. */
    static void requireValidName(String name) {
        Objects.requireNonNull(name, "interface name");
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes >= Syscalls.IFNAMSIZ || name.equals(".") || name.equals("..")
                || name.chars().anyMatch(c -> c == '/' || c == ':' || c == 0 || Character.isWhitespace(c))) {
            throw new IllegalArgumentException("interface name '" + name + "': not a valid Linux interface name "
                    + "(1 to 15 bytes, no '/', ':' or whitespace)");
        }
    }
}
