package io.junitebpf.bpf.internal;

import io.junitebpf.bpf.BpfException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The kernel's lists of BPF programs, links and maps ({@code BPF_*_GET_NEXT_ID}),
 * and the little we read about one of them ({@code BPF_OBJ_GET_INFO_BY_FD}).
 * Needs CAP_SYS_ADMIN; without it the kernel answers EPERM.
 */
public final class KernelIds {

    /** The kinds of kernel object, by the libbpf call prefix that lists them. */
    public enum Kind { PROG, LINK, MAP }

    private static final int ENOENT = 2;
    /** Zero-filled room for bpf_prog_info / bpf_link_info: larger than the kernel's structs is fine. */
    private static final int INFO_SIZE = 256;
    /** offsetof(struct bpf_prog_info, name); BPF_OBJ_NAME_LEN is 16. */
    private static final int PROG_NAME_OFFSET = 64;
    /** offsetof(struct bpf_map_info, name). */
    private static final int MAP_NAME_OFFSET = 24;
    private static final MethodHandle CLOSE = NativeLibrary.LINKER.downcallHandle(
            NativeLibrary.LINKER.defaultLookup().find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final NativeLibrary lib;

    /** Calls into the library {@code api} was opened from. */
    public KernelIds(LibbpfApi api) {
        this.lib = api.library();
    }

    /** Every id of that kind, ascending. */
    public List<Integer> ids(Kind kind) {
        String symbol = "bpf_" + kind.name().toLowerCase(java.util.Locale.ROOT) + "_get_next_id";
        MethodHandle next = lib.function(symbol, FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS),
                kind == Kind.LINK ? "0.0.9" : "0.0.1");
        List<Integer> ids = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            int id = 0;
            while (true) {
                int rc = (int) next.invokeExact(id, out);
                if (rc == -ENOENT) {
                    return ids;
                }
                if (rc < 0) {
                    throw new BpfException("list kernel " + kind.name().toLowerCase(java.util.Locale.ROOT) + "s",
                            "BPF_" + kind + "_GET_NEXT_ID failed (it needs CAP_SYS_ADMIN)", -rc, List.of());
                }
                id = out.get(JAVA_INT, 0);
                ids.add(id);
            }
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    /**
     * The first words of the object's info struct (type, id, and for a link its
     * program id) and, for a program or map, its name; empty when the id is gone.
     */
    public Optional<Info> info(Kind kind, int id) {
        String getFd = "bpf_" + kind.name().toLowerCase(java.util.Locale.ROOT) + "_get_fd_by_id";
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) lib.function(getFd, FunctionDescriptor.of(JAVA_INT, JAVA_INT),
                    kind == Kind.LINK ? "0.0.9" : "0.0.1").invokeExact(id);
            if (fd == -ENOENT) {
                return Optional.empty();
            }
            if (fd < 0) {
                throw new BpfException("open kernel " + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + id,
                        "failed (it needs CAP_SYS_ADMIN)", -fd, List.of());
            }
            try {
                return Optional.of(infoByFd(kind, fd, "kernel " + kind.name().toLowerCase(java.util.Locale.ROOT)
                        + " " + id));
            } finally {
                int closed = (int) CLOSE.invokeExact(fd);
                assert closed == 0;
            }
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    /** The info of an object we hold an fd of (the fd stays open). */
    public Info infoByFd(Kind kind, int fd, String what) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(INFO_SIZE, 8);
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, INFO_SIZE);
            int rc = (int) lib.function("bpf_obj_get_info_by_fd", FunctionDescriptor.of(JAVA_INT, JAVA_INT,
                    ADDRESS, ADDRESS), "0.0.1").invokeExact(fd, info, length);
            if (rc < 0) {
                throw new BpfException("read info of " + what, "BPF_OBJ_GET_INFO_BY_FD failed", -rc, List.of());
            }
            String name = switch (kind) {
                case PROG -> cString(info.asSlice(PROG_NAME_OFFSET, 16));
                case MAP -> cString(info.asSlice(MAP_NAME_OFFSET, 16));
                case LINK -> "";
            };
            // struct bpf_link_info { type; id; prog_id; ... }: only a link has a program id there
            int programId = kind == Kind.LINK ? info.get(JAVA_INT, 8) : 0;
            return new Info(info.get(JAVA_INT, 0), info.get(JAVA_INT, 4), programId, name);
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    /** offsetof(struct bpf_prog_info, verified_insns) (Linux 5.16; older kernels leave it 0). */
    private static final int PROG_VERIFIED_INSNS_OFFSET = 216;

    /**
     * The verifier's count of processed instructions for the program {@code fd}
     * ({@code bpf_prog_info.verified_insns}); 0 when the kernel does not report it.
     */
    public int verifiedInstructions(int fd, String what) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(INFO_SIZE, 8);
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, INFO_SIZE);
            int rc = (int) lib.function("bpf_obj_get_info_by_fd", FunctionDescriptor.of(JAVA_INT, JAVA_INT,
                    ADDRESS, ADDRESS), "0.0.1").invokeExact(fd, info, length);
            if (rc < 0) {
                throw new BpfException("read info of " + what, "BPF_OBJ_GET_INFO_BY_FD failed", -rc, List.of());
            }
            // the kernel writes back how much of the struct it knows: an older one stops before the field
            return length.get(JAVA_INT, 0) > PROG_VERIFIED_INSNS_OFFSET
                    ? info.get(JAVA_INT, PROG_VERIFIED_INSNS_OFFSET) : 0;
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    /**
     * What {@link #info} reads.
     *
     * @param programId for a link, the id of the program it attaches; 0 for programs and maps
     * @param name      a program's or map's name; empty for a link
     */
    public record Info(int type, int id, int programId, String name) {
    }

    private static String cString(MemorySegment bytes) {
        byte[] b = bytes.toArray(JAVA_BYTE);
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, 0, end, java.nio.charset.StandardCharsets.UTF_8);
    }
}
