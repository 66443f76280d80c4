package io.junitebpf.bpf;

import io.junitebpf.bpf.internal.GlobalData;
import io.junitebpf.bpf.internal.ObjectHandle;
import io.junitebpf.btf.Btf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * An opened BPF object: parsed by libbpf, nothing in the kernel yet.
 *
 * <p>Open it from bytes (the seed's {@code bpf_object__open_mem}: the object
 * travels inside a jar and never touches the disk), a classpath resource, or a
 * file ({@code bpf_object__open_file}). Inspect and adjust its programs, then
 * {@link #load()} it: loading hands the object over to the returned
 * {@link LoadedObject}, so close that one instead. Closing an object that was
 * never loaded releases it.
 */
public final class BpfObject implements AutoCloseable {

    private final ObjectHandle handle;
    private boolean handedOver;

    private BpfObject(ObjectHandle handle) {
        this.handle = handle;
    }

    /** Opens an object from its ELF bytes with {@code bpf_object__open_mem}, using {@link Libbpf#system()}. */
    public static BpfObject open(byte[] elf, String name) {
        return open(Libbpf.system(), elf, ObjectOptions.DEFAULTS.withObjectName(objectName(name)), name);
    }

    /**
     * Opens an object from its ELF bytes with {@code bpf_object__open_mem}.
     *
     * @param libbpf      the library to use
     * @param elf         the object file's bytes; copied, so the array may be reused
     * @param options     open options
     * @param displayName how errors name this object, e.g. the resource name
     */
    public static BpfObject open(Libbpf libbpf, byte[] elf, ObjectOptions options, String displayName) {
        Objects.requireNonNull(libbpf, "libbpf");
        Objects.requireNonNull(elf, "elf");
        Objects.requireNonNull(options, "options");
        String what = displayName == null ? "<bytes>" : displayName;
        if (elf.length == 0) {
            throw new BpfException("open object " + what, "empty input (expected a BPF ELF object)", 0, List.of());
        }
        if (elf.length < 4 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F') {
            throw new BpfException("open object " + what,
                    "not an ELF file (no \\x7fELF magic; compile BPF C with clang -target bpf)", 0, List.of());
        }
        ObjectCheck.check(elf, what);
        ObjectOptions named = options.objectName() != null ? options : options.withObjectName(objectName(what));
        return new BpfObject(ObjectHandle.openMemory(libbpf.api(), elf, what, nativeOptions(named, what)));
    }

    /** Opens a classpath resource (looked up with this class's loader) from memory. */
    public static BpfObject openResource(String resource) {
        return openResource(resource, Thread.currentThread().getContextClassLoader());
    }

    /** Opens a classpath resource from memory: the bytes are read from the jar and never written to disk. */
    public static BpfObject openResource(String resource, ClassLoader loader) {
        Objects.requireNonNull(resource, "resource");
        byte[] bytes = ClasspathResource.read(resource, loader).orElseThrow(() -> new BpfException(
                "open object " + resource, "no such classpath resource"
                        + " (check the name and that the jar holding it is on the test classpath)", 0, List.of()));
        return open(bytes, resource.startsWith("/") ? resource.substring(1) : resource);
    }

    /** Opens an object file with {@code bpf_object__open_file}, using {@link Libbpf#system()}. */
    public static BpfObject openFile(Path file) {
        return openFile(Libbpf.system(), file, ObjectOptions.DEFAULTS);
    }

    /** Opens an object file with {@code bpf_object__open_file}. */
    public static BpfObject openFile(Libbpf libbpf, Path file, ObjectOptions options) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new BpfException("open object " + file, Files.exists(file) ? "not a regular file"
                    : "no such file", 0, List.of());
        }
        return new BpfObject(ObjectHandle.openFile(libbpf.api(), file.toString(),
                nativeOptions(options, file.toString())));
    }

    private static ObjectHandle.OpenOptions nativeOptions(ObjectOptions o, String what) {
        if (o.btfCustomPath() != null && !Files.isRegularFile(o.btfCustomPath())) {
            throw new BpfException("open object " + what, "custom BTF " + o.btfCustomPath() + ": "
                    + (Files.exists(o.btfCustomPath()) ? "not a regular file" : "no such file")
                    + " (give kernel BTF such as /sys/kernel/btf/vmlinux)", 0, List.of());
        }
        return new ObjectHandle.OpenOptions(o.objectName(),
                o.btfCustomPath() == null ? null : o.btfCustomPath().toString(), o.kconfig(), o.kernelLogLevel());
    }

    private static String objectName(String resourceName) {
        if (resourceName == null || resourceName.isBlank()) {
            return "bpf_object";
        }
        String base = resourceName.substring(resourceName.lastIndexOf('/') + 1);
        int dot = base.indexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }

    /** The object's name as libbpf knows it. */
    public String name() {
        return handle.objectName();
    }

    /** The programs in ELF order. */
    public List<ProgramSpec> programs() {
        return handle.programNames().stream().map(n -> new ProgramSpec(handle, n)).toList();
    }

    /** A program by function name; the error lists the programs that exist. */
    public ProgramSpec program(String name) {
        Objects.requireNonNull(name, "name");
        handle.program(name);
        return new ProgramSpec(handle, name);
    }

    /**
     * The names of the maps, including libbpf's internal ones, which libbpf
     * names after the object and the section: "maps.bss", "maps.rodata" (custom
     * ".data.*" and ".rodata.*" sections keep their section name).
     */
    public List<String> mapNames() {
        return handle.mapNames();
    }

    /**
     * A global variable by name, to read or set its initial value before
     * {@link #load()}: the way to give a {@code const volatile} in .rodata the
     * value the verifier will see. The variable stops working once the object
     * is loaded; use {@link LoadedObject#global(String)} then.
     */
    public GlobalVariable global(String name) {
        Objects.requireNonNull(name, "global variable name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("find global variable: empty name");
        }
        GlobalData data = GlobalData.of(handle);
        String op = "find global '" + name + "' in " + handle.displayName();
        return new GlobalVariable(data, data.variable(name, op), true, handle.displayName());
    }

    /** Every global variable with a data section, in BTF order, for setting initial values. */
    public List<GlobalVariable> globals() {
        GlobalData data = GlobalData.of(handle);
        return data.variables().stream().map(v -> new GlobalVariable(data, v, true, handle.displayName())).toList();
    }

    /**
     * The object's BTF as libbpf holds it after open (data-section sizes and
     * variable offsets filled in), parsed by {@link Btf}.
     *
     * @throws BpfException when the object was compiled without BTF ({@code clang -g})
     */
    public Btf btf() {
        return GlobalData.btf(handle).orElseThrow(() -> new BpfException("read BTF of " + handle.displayName(),
                "the object has no BTF (compile the BPF C with clang -g)", 0, List.of()));
    }

    /**
     * Creates the maps, runs CO-RE relocation and loads every autoload program
     * into the kernel. On success the returned object owns everything; on
     * failure the object is closed and the exception carries libbpf's log
     * (a {@link VerifierException} when the verifier refused a program).
     */
    public LoadedObject load() {
        if (handedOver) {
            throw new IllegalStateException("load " + handle.displayName() + ": already loaded");
        }
        try {
            handle.load();
        } catch (RuntimeException e) {
            handle.close();
            throw e;
        }
        handedOver = true;
        return new LoadedObject(handle);
    }

    /** Releases the object unless {@link #load()} handed it over. Idempotent. */
    @Override
    public void close() {
        if (!handedOver) {
            handle.close();
        }
    }

    @Override
    public String toString() {
        return "BpfObject[" + handle.displayName() + "]";
    }
}
