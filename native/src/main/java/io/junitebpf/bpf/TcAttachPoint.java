package io.junitebpf.bpf;

/** Where on an interface a tc program runs ({@code enum bpf_tc_attach_point}). */
public enum TcAttachPoint {
    /** Packets the interface receives, after XDP, before the IP stack. */
    INGRESS,
    /** Packets the interface transmits, after the IP stack. */
    EGRESS
}
