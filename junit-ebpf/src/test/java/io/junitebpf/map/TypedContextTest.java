package io.junitebpf.map;

import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.TcAction;
import io.junitebpf.bpf.TestRun;
import io.junitebpf.bpf.TestRunResult;
import io.junitebpf.bpf.XdpAction;
import io.junitebpf.event.CStruct;
import io.junitebpf.event.LayoutException;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.packet.PacketBuilder;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Test-run contexts as records (contexts.bpf.c) on the real kernel: struct xdp_md and struct __sk_buff
 * checked against the kernel's BTF, a syscall program's own struct against the object's; then every
 * wrong input, each a clear error before the kernel sees it.
 */
@EbpfTest(objects = "bpf-test/contexts.bpf.o")
class TypedContextTest {

    /** Every member of struct xdp_md. */
    record XdpMd(int data, int dataEnd, int dataMeta, int ingressIfindex, int rxQueueIndex, int egressIfindex) {
    }

    /** Three members of struct __sk_buff: the rest go in as zeros, as the kernel wants. */
    record SkBuff(int mark, int priority, int[] cb) {
    }

    record ScaleArgs(int value, int factor, long product) {
    }

    /** The loopback device: index 1 in every network namespace. */
    private static final int LO = 1;

    private static byte[] frame() {
        return PacketBuilder.ethernet("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4("10.0.0.1", "10.0.0.2")
                .udp(40000, 53).payload(new byte[18]).build();
    }

    @Test
    void xdpSeesTheIngressDeviceAndQueueOfItsContext(LoadedObject bpf) {
        TypedContext<XdpMd> md = TypedContext.of(bpf, "xdp_seen_ctx", XdpMd.class);
        assertThat(md.cType()).isEqualTo("struct xdp_md");
        byte[] frame = frame();

        TestRunResult r = bpf.program("xdp_seen_ctx").testRun(md.with(TestRun.data(frame),
                new XdpMd(0, frame.length, 0, LO, 0, 0)));

        assertThat(r.xdpAction()).isEqualTo(XdpAction.XDP_PASS);
        assertThat(seen(bpf)).containsExactly(LO, 0, 0, frame.length);
        assertThat(md.context(r)).isEqualTo(new XdpMd(0, frame.length, 0, LO, 0, 0));
    }

    @Test
    void xdpMetadataIsTheDataBeforeData(LoadedObject bpf) {
        TypedContext<XdpMd> md = TypedContext.of(bpf, "xdp_seen_ctx", XdpMd.class);
        byte[] frame = frame();
        byte[] withMeta = ByteBuffer.allocate(8 + frame.length).putLong(0x1122334455667788L).put(frame).array();

        TestRunResult r = bpf.program("xdp_seen_ctx").testRun(md.with(TestRun.data(withMeta),
                new XdpMd(8, withMeta.length, 0, 0, 0, 0)));

        // ingress_ifindex 0: the kernel runs the program as if the packet came in on the loopback device
        assertThat(seen(bpf)).as("ingress, queue, metadata, packet").containsExactly(LO, 0, 8, frame.length);
        assertThat(md.context(r).data()).isEqualTo(8);
        assertThat(md.context(r).dataEnd()).isEqualTo(withMeta.length);
    }

    @Test
    void tcReadsAndWritesMarkPriorityAndCb(LoadedObject bpf) {
        TypedContext<SkBuff> skb = TypedContext.of(bpf, "tc_mark", SkBuff.class);
        assertThat(skb.cType()).isEqualTo("struct __sk_buff");
        byte[] frame = frame();

        TestRunResult r = bpf.program("tc_mark").testRun(skb.with(TestRun.data(frame),
                new SkBuff(41, 3, new int[] {1, 2, 3, 4, 5})));

        assertThat(r.tcAction()).isEqualTo(TcAction.TC_ACT_OK);
        SkBuff out = skb.context(r);
        assertThat(out.mark()).isEqualTo(42);
        assertThat(out.priority()).isEqualTo(6);
        assertThat(out.cb()).containsExactly(101, 2, 3, 4, frame.length);
    }

    @Test
    void aSyscallProgramTakesAStructOfItsOwn(LoadedObject bpf) {
        TypedContext<ScaleArgs> args = TypedContext.of(bpf, "scale", ScaleArgs.class);
        assertThat(args.cType()).isEqualTo("struct scale_args");

        TestRunResult r = bpf.program("scale").testRun(args.of(new ScaleArgs(7, 1_000_000_000, 0)));

        assertThat(r.returnValue()).isEqualTo(1_000_000_007);
        assertThat(args.context(r)).isEqualTo(new ScaleArgs(7, 1_000_000_000, 7_000_000_000L));
    }

    /** struct bpf_flow_keys: a test run takes only its flags. */
    record FlowKeys(int flags) {
    }

    @Test
    void aFlowDissectorTakesTheFlagsOfItsFlowKeys(LoadedObject bpf) {
        TypedContext<FlowKeys> keys = TypedContext.of(bpf, "dissect_flags", FlowKeys.class);
        assertThat(keys.cType()).isEqualTo("struct bpf_flow_keys");
        int parseFirstFragment = 1; // BPF_FLOW_DISSECTOR_F_PARSE_1ST_FRAG

        TestRunResult r = bpf.program("dissect_flags").testRun(keys.with(TestRun.data(frame()),
                new FlowKeys(parseFirstFragment)));

        assertThat(r.returnValue()).as("BPF_OK").isZero();
        // the output data of a flow dissector run is its struct bpf_flow_keys: thoff (__u16 at 2) = 20 + flags
        assertThat(ByteBuffer.wrap(r.data()).order(ByteOrder.nativeOrder()).getShort(2)).isEqualTo((short) 21);
        assertThat(keys.context(r)).isEqualTo(new FlowKeys(parseFirstFragment));
    }

    /**
     * Members of struct bpf_sk_lookup a test run takes; the rest (the socket/cookie union, the remote
     * port, the ingress device) go in as zeros, which the kernel requires of the socket and the device.
     */
    record SkLookup(int family, int protocol, int remoteIp4, int localIp4, int localPort) {
    }

    @Test
    void anSkLookupProgramSeesTheFamilyProtocolAndAddressesOfItsContext(LoadedObject bpf) {
        TypedContext<SkLookup> lookup = TypedContext.of(bpf, "lookup_port", SkLookup.class);
        assertThat(lookup.cType()).isEqualTo("struct bpf_sk_lookup");
        int afInet = 2;
        int tcp = 6;
        int local = 0x0200000a; // 10.0.0.2 as the kernel keeps it (network byte order)
        SkLookup toDropped = new SkLookup(afInet, tcp, 0x0100000a, local, 7007);

        TestRunResult dropped = bpf.program("lookup_port").testRun(lookup.of(toDropped));
        assertThat(dropped.returnValue()).as("SK_DROP").isZero();
        assertThat(lookup.context(dropped)).isEqualTo(toDropped);
        ByteBuffer b = ByteBuffer.wrap(bpf.global("lookup_seen").bytes()).order(ByteOrder.nativeOrder());
        assertThat(new int[] {b.getInt(0), b.getInt(4), b.getInt(8), b.getInt(12)})
                .as("family, protocol, local port, local address").containsExactly(afInet, tcp, 7007, local);

        TestRunResult passed = bpf.program("lookup_port").testRun(lookup.of(new SkLookup(afInet, tcp,
                0x0100000a, local, 8080)));
        assertThat(passed.returnValue()).as("SK_PASS").isEqualTo(1);
    }

    @Test
    void anSkLookupContextTheKernelRefusesSaysWhy(LoadedObject bpf) {
        TypedContext<SkLookup> lookup = TypedContext.of(bpf, "lookup_port", SkLookup.class);
        // a local port above 65535: the kernel answers ERANGE
        assertThatThrownBy(() -> bpf.program("lookup_port").testRun(lookup.of(new SkLookup(2, 6, 0, 0, 70_000))))
                .isInstanceOf(io.junitebpf.bpf.BpfException.class)
                .hasMessageContaining("lookup_port")
                .hasMessageContaining("ERANGE");
    }

    record SysEnterArgs(long regs, long id) {
    }

    @Test
    void aRawTracepointTakesItsArgumentsAsAStructOfItsOwn(LoadedObject bpf) {
        TypedContext<SysEnterArgs> args = TypedContext.of(bpf, "raw_args", SysEnterArgs.class);
        TestRunResult r = bpf.program("raw_args").testRun(args.of(new SysEnterArgs(1, 21)));
        assertThat(r.returnValue()).isEqualTo(43);
        assertThatThrownBy(() -> args.context(r))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a raw tracepoint's arguments do not come back");
    }

    // ---- wrong input ----------------------------------------------------------------------------------

    record Colour(int mark, int colour) {
    }

    record NarrowMark(short mark) {
    }

    @CStruct("scale_args")
    record NotXdp(int value) {
    }

    record Missing(int value) {
    }

    @Test
    void aRecordThatDoesNotMatchTheKernelsStructNamesTheMember(LoadedObject bpf) {
        assertThatThrownBy(() -> TypedContext.of(bpf, "tc_mark", Colour.class))
                .isInstanceOf(LayoutException.class)
                .hasMessageContaining("context of program 'tc_mark'").hasMessageContaining("'colour'")
                .hasMessageContaining("struct __sk_buff has no such member")
                .hasMessageContaining("priority");
        assertThatThrownBy(() -> TypedContext.of(bpf, "tc_mark", NarrowMark.class))
                .isInstanceOf(LayoutException.class)
                .hasMessageContaining("component 'mark' (short)").hasMessageContaining("narrower");
    }

    @Test
    void aRecordNamingAnotherStructThanTheKernelsIsRefused(LoadedObject bpf) {
        assertThatThrownBy(() -> TypedContext.of(bpf, "xdp_seen_ctx", NotXdp.class))
                .isInstanceOf(LayoutException.class)
                .hasMessageContaining("names struct scale_args")
                .hasMessageContaining("BPF_PROG_TYPE_XDP program's test-run context is struct xdp_md");
    }

    @Test
    void anArrayOfTheWrongSizeNamesTheComponent(LoadedObject bpf) {
        TypedContext<SkBuff> skb = TypedContext.of(bpf, "tc_mark", SkBuff.class);
        assertThatThrownBy(() -> skb.with(TestRun.data(frame()), new SkBuff(1, 0, new int[4])))
                .isInstanceOf(LayoutException.class)
                .hasMessageContaining("cb").hasMessageContaining("5");
    }

    @Test
    void xdpBoundsThatDoNotFitThePacketSayWhatTheKernelTakes(LoadedObject bpf) {
        TypedContext<XdpMd> md = TypedContext.of(bpf, "xdp_seen_ctx", XdpMd.class);
        byte[] frame = frame();
        assertThatThrownBy(() -> md.with(TestRun.data(frame), new XdpMd(0, 0, 0, LO, 0, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data_end 0 for " + frame.length + " bytes")
                .hasMessageContaining("data_end = " + frame.length);
    }

    record HalfArgs(int half) {
    }

    @Test
    void aRawTracepointStructThatIsNotWholeArgumentsIsRefused(LoadedObject bpf) {
        assertThatThrownBy(() -> TypedContext.of(bpf, "raw_half", HalfArgs.class))
                .isInstanceOf(LayoutException.class)
                .hasMessageContaining("struct half_args has 4 bytes").hasMessageContaining("8 bytes each");
    }

    @Test
    void aProgramTypeWithoutTestRunContextSaysSo(LoadedObject bpf) {
        assertThatThrownBy(() -> TypedContext.of(bpf, "no_context", XdpMd.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a BPF_PROG_TYPE_TRACEPOINT program takes no context in a test run")
                .hasMessageContaining("struct xdp_md");
    }

    @Test
    void aSyscallRecordWithoutItsStructListsTheStructs(LoadedObject bpf) {
        assertThatThrownBy(() -> TypedContext.of(bpf, "scale", Missing.class))
                .isInstanceOf(LayoutException.class)
                .hasMessageContaining("struct missing").hasMessageContaining("@CStruct")
                .hasMessageContaining("scale_args");
    }

    @Test
    void anUnknownProgramListsThePrograms(LoadedObject bpf) {
        assertThatThrownBy(() -> TypedContext.of(bpf, "tc", SkBuff.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no such program").hasMessageContaining("tc_mark");
    }

    @Test
    void aResultWithoutContextSaysHowToAskForIt(LoadedObject bpf) {
        TypedContext<SkBuff> skb = TypedContext.of(bpf, "tc_mark", SkBuff.class);
        TestRunResult bare = bpf.program("tc_mark").testRun(TestRun.data(frame()));
        assertThatThrownBy(() -> skb.context(bare))
                .isInstanceOf(LayoutException.class)
                .hasMessageContaining("0 bytes of context").hasMessageContaining("TypedContext.with");
    }

    private static int[] seen(LoadedObject bpf) {
        ByteBuffer b = ByteBuffer.wrap(bpf.global("xdp_seen").bytes()).order(ByteOrder.nativeOrder());
        return new int[] {b.getInt(0), b.getInt(4), b.getInt(8), b.getInt(12)};
    }
}
