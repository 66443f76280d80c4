package io.junitebpf.map;

/** Records of typed_maps.bpf.c's structs, shared by the typed map tests. */
final class Flows {

    private Flows() {
    }

    /** struct flow_key. */
    record FlowKey(int addr, short port, byte proto, byte flags) {
        static FlowKey udp(int addr, int port) {
            return new FlowKey(addr, (short) port, (byte) 17, (byte) 0);
        }
    }

    /** struct range. */
    record Range(int lo, int hi) {
    }

    /** struct flow_stats; arrays compare by content in equals, so tests compare through toString-free helpers. */
    record FlowStats(long packets, long bytes, String label, short[] hist, Range range) {
        static FlowStats of(long packets, String label) {
            return new FlowStats(packets, 0, label, new short[4], new Range(0, 0));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FlowStats s && packets == s.packets && bytes == s.bytes && label.equals(s.label)
                    && java.util.Arrays.equals(hist, s.hist) && range.equals(s.range);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(packets, bytes, label, java.util.Arrays.hashCode(hist), range);
        }

        @Override
        public String toString() {
            return "FlowStats[packets=" + packets + ", bytes=" + bytes + ", label=" + label + ", hist="
                    + java.util.Arrays.toString(hist) + ", range=" + range + "]";
        }
    }

    /** struct settings. */
    record Settings(int step, String name) {
    }

    /** 10.0.0.1 as the program's key holds it (a host-order __u32). */
    static final int ADDR = 0x0a000001;
}
