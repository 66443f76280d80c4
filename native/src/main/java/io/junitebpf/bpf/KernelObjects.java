package io.junitebpf.bpf;

import io.junitebpf.bpf.internal.KernelIds;

import java.util.List;
import java.util.Optional;

/**
 * What the kernel holds: the ids of every loaded BPF program, link and map,
 * system-wide, and a little about each. A diagnostic for leak checks: take the
 * ids before a test, compare after, and name what stayed with {@link #program}
 * {@link #link} and {@link #map}. Other processes load programs too, so compare by what is
 * yours (names, program ids), not by counts alone.
 *
 * <p>Listing needs CAP_SYS_ADMIN; without it the calls throw a
 * {@link BpfException} with {@link Errno#EPERM}. Uses {@link Libbpf#system()}.
 */
public final class KernelObjects {

    private KernelObjects() {
    }

    /** A loaded program: its id, {@code enum bpf_prog_type} and name (the first 15 bytes of the C function's). */
    public record ProgramInfo(int id, int type, String name) {
    }

    /** A link: its id, {@code enum bpf_link_type} and the id of the program it attaches. */
    public record LinkInfo(int id, int type, int programId) {
    }

    /** A map: its id, {@code enum bpf_map_type} and name (libbpf names internal maps e.g. "maps.bss"). */
    public record MapInfo(int id, int type, String name) {
    }

    /** The ids of every BPF program in the kernel, ascending. */
    public static List<Integer> programIds() {
        return ids().ids(KernelIds.Kind.PROG);
    }

    /** The ids of every BPF link in the kernel, ascending. */
    public static List<Integer> linkIds() {
        return ids().ids(KernelIds.Kind.LINK);
    }

    /** The ids of every BPF map in the kernel, ascending. */
    public static List<Integer> mapIds() {
        return ids().ids(KernelIds.Kind.MAP);
    }

    /** The program with this id, or empty when it is gone. */
    public static Optional<ProgramInfo> program(int id) {
        return ids().info(KernelIds.Kind.PROG, id).map(i -> new ProgramInfo(i.id(), i.type(), i.name()));
    }

    /** The link with this id, or empty when it is gone. */
    public static Optional<LinkInfo> link(int id) {
        return ids().info(KernelIds.Kind.LINK, id).map(i -> new LinkInfo(i.id(), i.type(), i.programId()));
    }

    /** The map with this id, or empty when it is gone. */
    public static Optional<MapInfo> map(int id) {
        return ids().info(KernelIds.Kind.MAP, id).map(i -> new MapInfo(i.id(), i.type(), i.name()));
    }

    private static KernelIds ids() {
        return new KernelIds(Libbpf.system().api());
    }
}
