package io.junitebpf.bpf;

/** A map's file descriptor for benchmarks that read a map without the library (the public API keeps it inside). */
public final class MapFds {

    private MapFds() {
    }

    /** The fd of {@code map}, valid while its object is loaded. */
    public static int fd(BpfMap map) {
        return map.fd();
    }
}
