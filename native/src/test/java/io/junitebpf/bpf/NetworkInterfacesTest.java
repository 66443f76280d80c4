package io.junitebpf.bpf;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Interfaces by name and index as the kernel knows them, including those without an address, which
 * {@code java.net.NetworkInterface} does not list: a soak run caught attachTc failing with "no such network
 * interface" on a veth pair just brought up, before IPv6 address configuration gave it a link-local address.
 */
class NetworkInterfacesTest {

    @Test
    void anInterfaceThatIsDownAndHasNoAddressIsFoundAndTakesXdp() throws Exception {
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        String name = "jd" + id + "a";
        VethFixture.run("ip", "link", "add", name, "type", "veth", "peer", "name", "jd" + id + "b");
        try {
            assertThat(VethFixture.run("ip", "-o", "addr", "show", "dev", name)).as("addresses of %s", name).isBlank();
            int index = NetworkInterfaces.index(name).orElseThrow();
            assertThat(VethFixture.run("ip", "-o", "link", "show", "dev", name)).startsWith(index + ": " + name + "@");
            assertThat(NetworkInterfaces.name(index)).hasValue(name);
            assertThat(NetworkInterfaces.exists(index)).isTrue();
            try (BpfObject spec = BpfObject.open(NetworkAttachTest.bytes(), NetworkAttachTest.RESOURCE);
                 LoadedObject object = spec.load()) {
                Link link = object.program("xdp_count").attachXdp(name);
                assertThat(VethFixture.run("ip", "-d", "link", "show", "dev", name)).contains("prog/xdp");
                link.close();
            }
        } finally {
            VethFixture.run("ip", "link", "del", name);
        }
        assertThat(NetworkInterfaces.index(name)).isEmpty();
    }

    @Test
    void loopbackIsIndexOne() {
        assertThat(NetworkInterfaces.index("lo")).hasValue(1);
        assertThat(NetworkInterfaces.name(1)).hasValue("lo");
    }

    @Test
    void missingInterfacesAreEmptyAndImpossibleNamesAnError() {
        assertThat(NetworkInterfaces.index("jnomissing0")).isEmpty();
        assertThat(NetworkInterfaces.exists(Integer.MAX_VALUE)).isFalse();
        assertThat(NetworkInterfaces.name(Integer.MAX_VALUE)).isEmpty();
        for (String bad : new String[] {"", "sixteen-bytes-xx", "a/b", "a b", ".", "..", "eth0:1"}) {
            assertThatThrownBy(() -> NetworkInterfaces.index(bad)).as("'%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid Linux interface name");
        }
        assertThatThrownBy(() -> NetworkInterfaces.name(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("indexes start at 1");
    }
}
