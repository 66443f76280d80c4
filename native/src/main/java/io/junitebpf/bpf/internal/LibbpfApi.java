package io.junitebpf.bpf.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Typed downcalls into one libbpf. Every method is a thin wrapper: pointers in
 * and out as segments, libbpf's {@code -errno} and NULL+errno conventions
 * turned into {@link io.junitebpf.bpf.BpfException}s with the captured log.
 *
 * <p>The second argument of each {@code function} call names the libbpf version
 * that introduced the symbol, for the error when the loaded library is older.
 */
public final class LibbpfApi {

    private final NativeLibrary lib;
    private final int major;
    private final int minor;
    private volatile MemorySegment testRun;

    private LibbpfApi(NativeLibrary lib, int major, int minor) {
        this.lib = lib;
        this.major = major;
        this.minor = minor;
    }

    /** Opens libbpf, reads its version and routes its log into Java. */
    public static LibbpfApi open(String pathOrName) {
        NativeLibrary lib = NativeLibrary.open(pathOrName);
        if (!lib.has("libbpf_major_version")) {
            throw new UnsupportedOperationException(pathOrName
                    + " has no libbpf_major_version: it is older than libbpf 0.6 or not libbpf at all");
        }
        try {
            int major = (int) lib.function("libbpf_major_version", FunctionDescriptor.of(JAVA_INT), "0.6")
                    .invokeExact();
            int minor = (int) lib.function("libbpf_minor_version", FunctionDescriptor.of(JAVA_INT), "0.6")
                    .invokeExact();
            lib.version(major + "." + minor);
            LibbpfApi api = new LibbpfApi(lib, major, minor);
            if (major >= 1) {
                LogCapture.install(lib);
            }
            return api;
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    public int major() {
        return major;
    }

    public int minor() {
        return minor;
    }

    public String location() {
        return lib.location();
    }

    /** The library, for the other internal API classes (maps, buffers) to make their own handles. */
    public NativeLibrary library() {
        return lib;
    }

    public boolean has(String symbol) {
        return lib.has(symbol);
    }

    /** libbpf_version_string(): "v1.1" style. */
    public String versionString() {
        try {
            MemorySegment s = (MemorySegment) lib.function("libbpf_version_string",
                    FunctionDescriptor.of(ADDRESS), "0.6").invokeExact();
            return s.reinterpret(64).getString(0);
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    // ---- objects -------------------------------------------------------------------------------

    public MemorySegment objectOpenMem(MemorySegment buffer, long size, MemorySegment opts, String what,
                                       LogCapture log) {
        MethodHandle h = lib.functionWithErrno("bpf_object__open_mem",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS), "0.0.7");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Errors.callState(arena);
            MemorySegment obj = (MemorySegment) h.invokeExact(state, buffer, size, opts);
            return Errors.check(obj, state, "open object " + what, log);
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    public MemorySegment objectOpenFile(MemorySegment path, MemorySegment opts, String what, LogCapture log) {
        MethodHandle h = lib.functionWithErrno("bpf_object__open_file",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS), "0.0.7");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Errors.callState(arena);
            MemorySegment obj = (MemorySegment) h.invokeExact(state, path, opts);
            return Errors.check(obj, state, "open object " + what, log);
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    public int objectLoad(MemorySegment obj) {
        return callInt("bpf_object__load", FunctionDescriptor.of(JAVA_INT, ADDRESS), "0.0.1", obj);
    }

    public void objectClose(MemorySegment obj) {
        try {
            lib.function("bpf_object__close", FunctionDescriptor.ofVoid(ADDRESS), "0.0.1").invokeExact(obj);
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    public String objectName(MemorySegment obj) {
        return string(callPtr("bpf_object__name", FunctionDescriptor.of(ADDRESS, ADDRESS), "0.0.1", obj));
    }

    public MemorySegment nextProgram(MemorySegment obj, MemorySegment prev) {
        return callPtr("bpf_object__next_program", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS), "0.7", obj,
                prev);
    }

    public MemorySegment nextMap(MemorySegment obj, MemorySegment prev) {
        return callPtr("bpf_object__next_map", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS), "0.7", obj, prev);
    }

    // ---- programs ------------------------------------------------------------------------------

    public String programName(MemorySegment prog) {
        return string(callPtr("bpf_program__name", FunctionDescriptor.of(ADDRESS, ADDRESS), "0.2", prog));
    }

    public String programSection(MemorySegment prog) {
        return string(callPtr("bpf_program__section_name", FunctionDescriptor.of(ADDRESS, ADDRESS), "0.2", prog));
    }

    // invokeExact: test runs ask for both on every call
    public int programType(MemorySegment prog) {
        try {
            return (int) lib.function("bpf_program__type", FunctionDescriptor.of(JAVA_INT, ADDRESS), "0.0.1")
                    .invokeExact(prog);
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    public int programFd(MemorySegment prog) {
        try {
            return (int) lib.function("bpf_program__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS), "0.0.1")
                    .invokeExact(prog);
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    public boolean programAutoload(MemorySegment prog) {
        try {
            return (boolean) lib.function("bpf_program__autoload", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS),
                    "0.2").invokeExact(prog);
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    public int programSetAutoload(MemorySegment prog, boolean autoload) {
        try {
            return (int) lib.function("bpf_program__set_autoload",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BOOLEAN), "0.2").invokeExact(prog, autoload);
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    /** The address of bpf_prog_test_run_opts, kept in a field: test runs need it on every call. */
    MemorySegment testRunAddress() {
        MemorySegment address = testRun;
        if (address == null) {
            address = lib.address("bpf_prog_test_run_opts", "0.7");
            testRun = address;
        }
        return address;
    }

    // ---- attach: each returns a struct bpf_link * or throws --------------------------------------

    public MemorySegment attach(MemorySegment prog, String operation, LogCapture log) {
        return linkCall("bpf_program__attach", FunctionDescriptor.of(ADDRESS, ADDRESS), "0.0.1", operation, log,
                prog);
    }

    public MemorySegment attachUprobeOpts(MemorySegment prog, int pid, MemorySegment path, long offset,
                                          MemorySegment opts, String operation, LogCapture log) {
        return linkCall("bpf_program__attach_uprobe_opts",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS), "0.2", operation, log,
                prog, pid, path, offset, opts);
    }

    public MemorySegment attachUsdt(MemorySegment prog, int pid, MemorySegment path, MemorySegment provider,
                                    MemorySegment name, MemorySegment opts, String operation, LogCapture log) {
        return linkCall("bpf_program__attach_usdt",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS), "0.8",
                operation, log, prog, pid, path, provider, name, opts);
    }

    public MemorySegment attachTracepoint(MemorySegment prog, MemorySegment category, MemorySegment name,
                                          String operation, LogCapture log) {
        return linkCall("bpf_program__attach_tracepoint", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS),
                "0.0.4", operation, log, prog, category, name);
    }

    public MemorySegment attachRawTracepoint(MemorySegment prog, MemorySegment name, String operation,
                                             LogCapture log) {
        return linkCall("bpf_program__attach_raw_tracepoint", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS),
                "0.0.4", operation, log, prog, name);
    }

    public MemorySegment attachKprobe(MemorySegment prog, boolean retprobe, MemorySegment function,
                                      String operation, LogCapture log) {
        return linkCall("bpf_program__attach_kprobe", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_BOOLEAN, ADDRESS),
                "0.0.4", operation, log, prog, retprobe, function);
    }

    public MemorySegment attachKsyscall(MemorySegment prog, MemorySegment syscall, MemorySegment opts,
                                        String operation, LogCapture log) {
        return linkCall("bpf_program__attach_ksyscall", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS),
                "1.0", operation, log, prog, syscall, opts);
    }

    public int linkDestroy(MemorySegment link) {
        return callInt("bpf_link__destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS), "0.0.4", link);
    }

    // ---- maps ----------------------------------------------------------------------------------

    public String mapName(MemorySegment map) {
        return string(callPtr("bpf_map__name", FunctionDescriptor.of(ADDRESS, ADDRESS), "0.0.1", map));
    }

    public int mapFd(MemorySegment map) {
        return callInt("bpf_map__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS), "0.0.1", map);
    }

    public int mapType(MemorySegment map) {
        return callInt("bpf_map__type", FunctionDescriptor.of(JAVA_INT, ADDRESS), "0.4", map);
    }

    public int mapKeySize(MemorySegment map) {
        return callInt("bpf_map__key_size", FunctionDescriptor.of(JAVA_INT, ADDRESS), "0.4", map);
    }

    public int mapValueSize(MemorySegment map) {
        return callInt("bpf_map__value_size", FunctionDescriptor.of(JAVA_INT, ADDRESS), "0.4", map);
    }

    public int mapMaxEntries(MemorySegment map) {
        return callInt("bpf_map__max_entries", FunctionDescriptor.of(JAVA_INT, ADDRESS), "0.4", map);
    }

    // ---- ring buffer (libbpf's callback consumer) -------------------------------------------------

    public MemorySegment ringBufferNew(int mapFd, MemorySegment callback, String operation, LogCapture log) {
        MethodHandle h = lib.functionWithErrno("ring_buffer__new",
                FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS), "0.0.9");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Errors.callState(arena);
            MemorySegment rb = (MemorySegment) h.invokeExact(state, mapFd, callback, MemorySegment.NULL,
                    MemorySegment.NULL);
            return Errors.check(rb, state, operation, log);
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    public int ringBufferPoll(MemorySegment rb, int timeoutMs) {
        return callInt("ring_buffer__poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), "0.0.9", rb,
                timeoutMs);
    }

    public void ringBufferFree(MemorySegment rb) {
        try {
            lib.function("ring_buffer__free", FunctionDescriptor.ofVoid(ADDRESS), "0.0.9").invokeExact(rb);
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    // ---- feature probes ---------------------------------------------------------------------------

    /** libbpf_probe_bpf_map_type: 1 supported, 0 not, negative error (e.g. -EPERM without privileges). */
    public int probeMapType(int mapType) {
        return callInt("libbpf_probe_bpf_map_type", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), "1.0",
                mapType, MemorySegment.NULL);
    }

    /** libbpf_probe_bpf_prog_type: 1 supported, 0 not, negative error. */
    public int probeProgramType(int programType) {
        return callInt("libbpf_probe_bpf_prog_type", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), "1.0",
                programType, MemorySegment.NULL);
    }

    /** libbpf_probe_bpf_helper: 1 supported, 0 not, negative error. */
    public int probeHelper(int programType, int helper) {
        return callInt("libbpf_probe_bpf_helper", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS),
                "1.0", programType, helper, MemorySegment.NULL);
    }

    // ---- plumbing ------------------------------------------------------------------------------

    private MemorySegment linkCall(String symbol, FunctionDescriptor fd, String since, String operation,
                                   LogCapture log, Object... args) {
        MethodHandle h = lib.functionWithErrno(symbol, fd, since);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Errors.callState(arena);
            Object[] all = new Object[args.length + 1];
            all[0] = state;
            System.arraycopy(args, 0, all, 1, args.length);
            MemorySegment link = (MemorySegment) h.invokeWithArguments(all);
            return Errors.check(link, state, operation, log);
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    private int callInt(String symbol, FunctionDescriptor fd, String since, Object... args) {
        try {
            return (int) lib.function(symbol, fd, since).invokeWithArguments(args);
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    private MemorySegment callPtr(String symbol, FunctionDescriptor fd, String since, Object... args) {
        try {
            return (MemorySegment) lib.function(symbol, fd, since).invokeWithArguments(args);
        } catch (Throwable t) {
            throw Errors.rethrow(t);
        }
    }

    private static String string(MemorySegment cString) {
        return cString.equals(MemorySegment.NULL) ? null : cString.reinterpret(Integer.MAX_VALUE).getString(0);
    }

    // ---- networking: XDP links and the tc hook API (netlink; results are -errno) ----------------

    public MemorySegment attachXdp(MemorySegment prog, int ifindex, String operation, LogCapture log) {
        return linkCall("bpf_program__attach_xdp", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT), "0.2",
                operation, log, prog, ifindex);
    }

    /** libbpf_bpf_prog_type_str: "xdp", "sched_cls", "kprobe"...; null for a type this libbpf does not name. */
    public String programTypeName(int programType) {
        if (!lib.has("libbpf_bpf_prog_type_str")) {
            return null;
        }
        return string(callPtr("libbpf_bpf_prog_type_str", FunctionDescriptor.of(ADDRESS, JAVA_INT), "1.0",
                programType));
    }

    public int tcHookCreate(MemorySegment hook) {
        return callInt("bpf_tc_hook_create", FunctionDescriptor.of(JAVA_INT, ADDRESS), "0.4", hook);
    }

    public int tcHookDestroy(MemorySegment hook) {
        return callInt("bpf_tc_hook_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS), "0.4", hook);
    }

    public int tcAttach(MemorySegment hook, MemorySegment opts) {
        return callInt("bpf_tc_attach", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), "0.4", hook, opts);
    }

    public int tcDetach(MemorySegment hook, MemorySegment opts) {
        return callInt("bpf_tc_detach", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), "0.4", hook, opts);
    }
}
