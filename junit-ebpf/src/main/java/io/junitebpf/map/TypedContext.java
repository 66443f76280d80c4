package io.junitebpf.map;

import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.Program;
import io.junitebpf.bpf.ProgramType;
import io.junitebpf.bpf.TestRun;
import io.junitebpf.bpf.TestRunResult;
import io.junitebpf.btf.Btf;
import io.junitebpf.btf.BtfStruct;
import io.junitebpf.event.CStruct;
import io.junitebpf.event.LayoutException;
import io.junitebpf.event.ValueCodec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A program's test-run context ({@code ctx_in}/{@code ctx_out} of {@code BPF_PROG_TEST_RUN}) as a Java
 * record, checked once against the C struct the program's type takes, by the rules of event records
 * ({@link io.junitebpf.event.RecordLayout}): components match members by name, members left out are
 * written as zeros (what the kernel wants of every member a test run does not accept) and not read.
 *
 * <p>Which struct: for packet programs the kernel's own, from the running kernel's BTF
 * ({@code /sys/kernel/btf/vmlinux}; the object's BTF where the kernel has none) — {@code struct xdp_md}
 * for XDP, {@code struct __sk_buff} for tc, socket filter, cgroup skb and lwt programs,
 * {@code struct bpf_flow_keys} for a flow dissector, {@code struct bpf_sk_lookup} for sk_lookup; the
 * record's name does not matter there. Raw tracepoint and syscall programs take a struct of the
 * program's own, named by {@link CStruct} or the record's name in snake case, from the object's BTF.
 *
 * <pre>{@code
 * record SkBuff(int mark, int priority, int[] cb) { }                      // struct __sk_buff, 3 members of it
 * TypedContext<SkBuff> skb = TypedContext.of(bpf, "tc_mark", SkBuff.class);
 * TestRunResult r = bpf.program("tc_mark").testRun(skb.with(TestRun.data(frame), new SkBuff(7, 0, new int[5])));
 * SkBuff after = skb.context(r);                                          // as the program left it
 * }</pre>
 *
 * @param <C> the record type
 */
public final class TypedContext<C extends Record> {

    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    private final String program;
    private final ProgramType type;
    private final ValueCodec<C> codec;

    private TypedContext(String program, ProgramType type, ValueCodec<C> codec) {
        this.program = program;
        this.type = type;
        this.codec = codec;
    }

    /**
     * The context of program {@code program} of {@code object} seen through {@code type}.
     *
     * @throws IllegalArgumentException when the object has no such program (the message lists them) or the
     *                                  program's type takes no context in a test run
     * @throws LayoutException          when the record does not match the context's struct, or no BTF has it
     */
    public static <C extends Record> TypedContext<C> of(LoadedObject object, String program, Class<C> type) {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(type, "type");
        String what = "context of program '" + program + "'";
        List<String> programs = object.programs().stream().map(Program::name).toList();
        if (!programs.contains(program)) {
            throw new IllegalArgumentException(what + " of " + object.name() + ": no such program (programs: "
                    + String.join(", ", programs) + ")");
        }
        if (!type.isRecord()) {
            throw new LayoutException(what + ": " + type.getName() + " is not a record (declare the context as a"
                    + " Java record whose components name the struct's members)");
        }
        ProgramType programType = object.program(program).type();
        BtfStruct struct = kernelStruct(programType)
                .map(name -> kernelContext(object, what, programType, name, type))
                .orElseGet(() -> ownContext(object, what, programType, type));
        return new TypedContext<>(program, programType, ValueCodec.of(type, struct, what));
    }

    /** The struct the kernel defines as the test-run context of {@code type}, if it does. */
    static Optional<String> kernelStruct(ProgramType type) {
        return Optional.ofNullable(switch (type) {
            case XDP -> "xdp_md";
            case SCHED_CLS, SCHED_ACT, SOCKET_FILTER, CGROUP_SKB, LWT_IN, LWT_OUT, LWT_XMIT, LWT_SEG6LOCAL ->
                    "__sk_buff";
            case FLOW_DISSECTOR -> "bpf_flow_keys";
            case SK_LOOKUP -> "bpf_sk_lookup";
            default -> null;
        });
    }

    private static BtfStruct kernelContext(LoadedObject object, String what, ProgramType programType, String name,
                                           Class<?> type) {
        CStruct named = type.getAnnotation(CStruct.class);
        if (named != null && !named.value().equals(name)) {
            throw new LayoutException(what + ": record " + type.getSimpleName() + " names struct " + named.value()
                    + ", but a " + programType + " program's test-run context is struct " + name
                    + " (drop the @CStruct or name " + name + ")");
        }
        return KernelBtf.get().flatMap(btf -> btf.struct(name))
                .or(() -> object.btf().struct(name))
                .orElseThrow(() -> new LayoutException(what + ": no struct " + name + " in the kernel's BTF ("
                        + VMLINUX + (Files.exists(VMLINUX) ? "" : " is missing: a kernel built with"
                        + " CONFIG_DEBUG_INFO_BTF has it") + ") nor in the BTF of " + object.name()
                        + " (declare the program's parameter as struct " + name + " *)"));
    }

    private static BtfStruct ownContext(LoadedObject object, String what, ProgramType programType,
                                        Class<?> type) {
        if (programType != ProgramType.RAW_TRACEPOINT && programType != ProgramType.SYSCALL) {
            throw new IllegalArgumentException(what + ": a " + programType + " program takes no context in a test"
                    + " run (" + (programType.testRunSince() == null ? "no kernel test-runs this type; attach it"
                    + " instead" : "test runs of it take none") + "; typed contexts: XDP (struct xdp_md), tc/socket"
                    + " filter/cgroup skb/lwt (struct __sk_buff), flow dissector (struct bpf_flow_keys), sk_lookup"
                    + " (struct bpf_sk_lookup), raw tracepoint and syscall programs (a struct of your own))");
        }
        CStruct named = type.getAnnotation(CStruct.class);
        String name = named != null ? named.value() : io.junitebpf.btf.CNames.snakeCase(type.getSimpleName());
        Btf btf = object.btf();
        BtfStruct struct = btf.struct(name).orElseThrow(() -> new LayoutException(what + ": record "
                + type.getSimpleName() + " stands for struct " + name + ", which the BTF of " + object.name()
                + " does not have (a " + programType + " program's context is the struct its parameter points"
                + " to: name it with @CStruct; structs: " + String.join(", ", btf.structNames()) + ")"));
        if (programType == ProgramType.RAW_TRACEPOINT && (struct.size() % 8 != 0 || struct.size() > 12 * 8)) {
            throw new LayoutException(what + ": struct " + name + " has " + struct.size() + " bytes, but a raw"
                    + " tracepoint's context is its arguments, 8 bytes each, at most 12 (use __u64 members)");
        }
        return struct;
    }

    /** The C struct, e.g. "struct __sk_buff". */
    public String cType() {
        return codec.cType().cTypeName();
    }

    /** The struct's size in bytes: what the context takes in and gives back. */
    public int size() {
        return codec.size();
    }

    /**
     * {@code run} with {@code context} as its input context, and room for the context to come back whole.
     *
     * @throws LayoutException naming the component when a value does not fit its member
     */
    public TestRun with(TestRun run, C context) {
        Objects.requireNonNull(run, "run");
        byte[] bytes = codec.encode(context);
        if (type == ProgramType.XDP) {
            requireXdpBounds(run, bytes);
        }
        return run.withContext(bytes).withContextSizeOut(codec.size());
    }

    /**
     * The kernel's rule for a test run's struct xdp_md, checked here because its EINVAL would not say which
     * field: data_meta 0, data the length of the metadata at the start of the input, data_end the input's
     * length (ingress_ifindex and rx_queue_index name a real device's queue; egress_ifindex stays 0).
     */
    private void requireXdpBounds(TestRun run, byte[] bytes) {
        BtfStruct md = (BtfStruct) codec.cType().resolve();
        long data = u32(md, bytes, "data");
        long dataEnd = u32(md, bytes, "data_end");
        long dataMeta = u32(md, bytes, "data_meta");
        byte[] packet = run.data();
        int length = packet == null ? 0 : packet.length;
        if (dataMeta != 0 || dataEnd != length || data > dataEnd) {
            throw new IllegalArgumentException("test-run program '" + program + "' with " + codec.type().getSimpleName()
                    + ": struct xdp_md has data_meta " + dataMeta + ", data " + data + ", data_end " + dataEnd
                    + " for " + length + " bytes of data (the kernel takes data_meta 0, data = the length of the"
                    + " metadata at the start of the data, data_end = " + length + ")");
        }
    }

    private static long u32(BtfStruct struct, byte[] bytes, String member) {
        int at = (int) struct.member(member).orElseThrow().byteOffset();
        return Integer.toUnsignedLong(java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.nativeOrder()).getInt(at));
    }

    /** A run with only {@code context} as input: raw tracepoint and syscall programs take nothing else. */
    public TestRun of(C context) {
        return TestRun.context(codec.encode(context));
    }

    /**
     * The context after the run, as the program left it.
     *
     * @throws LayoutException when the result carries no context of the struct's size (the run did not
     *                         ask for it back: build the run with {@link #with} or {@link #of})
     */
    public C context(TestRunResult result) {
        Objects.requireNonNull(result, "result");
        byte[] bytes = result.context();
        if (type == ProgramType.RAW_TRACEPOINT) {
            throw new IllegalStateException("read the context of program '" + program + "': a raw tracepoint's"
                    + " arguments do not come back from a test run (the kernel refuses ctx_out for it)");
        }
        if (bytes.length < codec.size()) {
            throw new LayoutException("read the context of program '" + program + "': the result has " + bytes.length
                    + " bytes of context, " + cType() + " has " + codec.size() + " (build the run with"
                    + " TypedContext.with or TypedContext.of, which ask for the context back)");
        }
        return codec.decode(bytes);
    }

    /** The record's bytes in the struct's layout, for {@link TestRun#withContext(byte[])}. */
    public byte[] encode(C context) {
        return codec.encode(context);
    }

    @Override
    public String toString() {
        return "TypedContext[" + codec.type().getSimpleName() + " <-> " + cType() + " of " + type + " program '"
                + program + "']";
    }

    /** The running kernel's BTF, parsed once (a few MB) on first use; empty where the kernel has none. */
    private static final class KernelBtf {
        private static final Optional<Btf> BTF = Files.isReadable(VMLINUX) ? Optional.of(Btf.read(VMLINUX))
                : Optional.empty();

        static Optional<Btf> get() {
            return BTF;
        }
    }
}
