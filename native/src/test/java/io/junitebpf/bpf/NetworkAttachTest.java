package io.junitebpf.bpf;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import static io.junitebpf.bpf.VethFixture.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * XDP links and tc filters attached for real to a veth pair, seen (and then not
 * seen) by iproute2's own view of the interface; the clsact qdisc goes exactly
 * when this process created it; bad input and vanished interfaces are clear
 * errors. Traffic through them is tested in junit-ebpf (NetworkNamespaceTest).
 */
class NetworkAttachTest {

    static final String RESOURCE = "bpf-test/net.bpf.o";

    private VethFixture veth;
    private LoadedObject object;

    @BeforeEach
    void setUp() {
        veth = new VethFixture();
        try (BpfObject spec = BpfObject.open(bytes(), RESOURCE)) {
            spec.global("watched_port").setBytes(new byte[] {9, 0}); // u16, little-endian
            object = spec.load();
        }
    }

    @AfterEach
    void tearDown() {
        try {
            if (object != null) {
                object.close();
            }
        } finally {
            veth.close();
        }
    }

    @Test
    void xdpLinkShowsOnTheInterfaceUntilClosed() {
        Program xdp = object.program("xdp_count");
        Link link = xdp.attachXdp(veth.name);
        assertThat(link.description()).contains(veth.name).contains("index " + veth.ifindex());
        assertThat(run("ip", "-d", "link", "show", "dev", veth.name)).contains("prog/xdp id " + xdp.id());

        link.close();
        assertThat(run("ip", "-d", "link", "show", "dev", veth.name)).doesNotContain("prog/xdp");
        link.close(); // idempotent
    }

    @Test
    void xdpByIndexAndObjectCloseDetaches() {
        object.program("xdp_count").attachXdp(veth.ifindex());
        assertThat(run("ip", "-d", "link", "show", "dev", veth.name)).contains("prog/xdp");
        object.close();
        assertThat(run("ip", "-d", "link", "show", "dev", veth.name)).doesNotContain("prog/xdp");
    }

    @Test
    void tcIngressAndEgressShareTheQdiscTheyCreated() {
        Program ingress = object.program("tc_ingress_count");
        Program egress = object.program("tc_egress_count");
        TcFilter in = ingress.attachTc(veth.name, TcAttachPoint.INGRESS);
        TcFilter out = egress.attachTc(veth.name, TcAttachPoint.EGRESS);

        assertThat(in.createdQdisc()).isTrue();
        assertThat(in.programId()).isEqualTo(ingress.id());
        assertThat(in.priority()).isPositive();
        assertThat(TcFilter.createdQdiscs()).contains(veth.ifindex());
        assertThat(run("tc", "qdisc", "show", "dev", veth.name)).contains("clsact");
        assertThat(run("tc", "filter", "show", "dev", veth.name, "ingress")).contains("id " + ingress.id())
                .contains("direct-action");
        assertThat(run("tc", "filter", "show", "dev", veth.name, "egress")).contains("id " + egress.id());

        in.close();
        assertThat(run("tc", "filter", "show", "dev", veth.name, "ingress")).doesNotContain("id " + ingress.id());
        assertThat(run("tc", "qdisc", "show", "dev", veth.name)).as("egress still uses it").contains("clsact");
        out.close();
        assertThat(run("tc", "qdisc", "show", "dev", veth.name)).doesNotContain("clsact");
        assertThat(TcFilter.createdQdiscs()).doesNotContain(veth.ifindex());
        out.close(); // idempotent
    }

    @Test
    void aQdiscSomebodyElseCreatedStays() {
        run("tc", "qdisc", "add", "dev", veth.name, "clsact");
        TcFilter filter = object.program("tc_ingress_count").attachTc(veth.ifindex(), TcAttachPoint.INGRESS);
        assertThat(filter.createdQdisc()).isFalse();
        object.close();
        assertThat(filter.closed()).isTrue();
        assertThat(run("tc", "filter", "show", "dev", veth.name, "ingress")).doesNotContain("tc_ingress_count");
        assertThat(run("tc", "qdisc", "show", "dev", veth.name)).contains("clsact");
    }

    @Test
    void wrongProgramTypeIsNamed() {
        Program uprobe = object.program("not_networking");
        assertThatThrownBy(() -> uprobe.attachXdp(veth.name)).isInstanceOf(BpfException.class)
                .hasMessageContaining("attach program 'not_networking' to XDP of interface '" + veth.name + "'")
                .hasMessageContaining("it is a kprobe program (SEC(\"uprobe\"))")
                .hasMessageContaining("only xdp programs attach there (SEC(\"xdp\"))");
        assertThatThrownBy(() -> object.program("xdp_count").attachTc(veth.name, TcAttachPoint.EGRESS))
                .isInstanceOf(BpfException.class)
                .hasMessageContaining("it is a xdp program (SEC(\"xdp\")), and only sched_cls programs attach there");
        assertThatThrownBy(() -> object.program("tc_egress_count").attachXdp(veth.ifindex()))
                .hasMessageContaining("it is a sched_cls program");
        assertThat(run("tc", "qdisc", "show", "dev", veth.name)).doesNotContain("clsact");
    }

    @Test
    void missingInterfaceIsNamed() {
        Program xdp = object.program("xdp_count");
        assertThatThrownBy(() -> xdp.attachXdp("jn-missing0")).isInstanceOf(BpfException.class)
                .hasMessage("attach to XDP of interface 'jn-missing0': no such network interface in this process's "
                        + "network namespace (ip link show lists them)");
        assertThatThrownBy(() -> object.program("tc_ingress_count").attachTc("jn-missing0", TcAttachPoint.INGRESS))
                .hasMessageContaining("tc ingress of interface 'jn-missing0': no such network interface");
        assertThatThrownBy(() -> xdp.attachXdp(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("interface indexes start at 1");
        assertThatThrownBy(() -> xdp.attachXdp("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> xdp.attachTc(veth.name, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void anInterfaceThatVanishedIsNamed() {
        int gone = veth.ifindex();
        veth.delete();
        assertThatThrownBy(() -> object.program("xdp_count").attachXdp(gone)).isInstanceOf(BpfException.class)
                .hasMessageContaining("XDP of interface index " + gone + ": no network interface has this index");
        assertThatThrownBy(() -> object.program("tc_ingress_count").attachTc(gone, TcAttachPoint.INGRESS))
                .hasMessageContaining("no network interface has this index");
        assertThat(TcFilter.createdQdiscs()).doesNotContain(gone);
    }

    @Test
    void closingAfterTheInterfaceVanishedIsQuietAndLeavesNothing() {
        Program ingress = object.program("tc_ingress_count");
        Program xdp = object.program("xdp_count");
        int ifindex = veth.ifindex();
        TcFilter filter = ingress.attachTc(veth.name, TcAttachPoint.INGRESS);
        Link link = xdp.attachXdp(veth.name);
        int ingressId = ingress.id();
        int xdpId = xdp.id();
        veth.delete();

        filter.close();
        link.close();
        object.close();
        assertThat(TcFilter.createdQdiscs()).doesNotContain(ifindex);
        assertThat(KernelObjects.program(ingressId)).isEmpty();
        assertThat(KernelObjects.program(xdpId)).isEmpty();
    }

    static byte[] bytes() {
        try (InputStream in = NetworkAttachTest.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing: run mvn process-test-resources");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
