package io.junitebpf.junit;

import org.junit.jupiter.params.provider.ArgumentsSource;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The packets of a pcap capture as the arguments of a parameterized test: one invocation per packet,
 * the packet's captured bytes ({@code byte[]}) its one argument, named by its number, length and time
 * in the capture. Classic pcap, either byte order, micro- or nanosecond timestamps
 * ({@link io.junitebpf.packet.PcapFile}).
 *
 * <pre>{@code
 * @ParameterizedTest
 * @PcapSource("pcap/dns-and-web.pcap")                  // src/test/resources/pcap/dns-and-web.pcap
 * void noCapturedPacketIsDropped(byte[] packet, @Bpf("xdp_firewall") Program xdp) {
 *     assertThat(xdp.testRun(TestRun.data(packet))).hasVerdict(XdpAction.XDP_PASS);
 * }
 * }</pre>
 *
 * <p>A capture that cannot be found, is not a pcap file, is not of Ethernet frames (unless
 * {@link #anyLinkType()}) or holds no packet fails the test with a message saying so.
 * Needs {@code junit-jupiter-params} on the test class path (the {@code junit-jupiter} artifact has it).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ArgumentsSource(PcapArguments.class)
public @interface PcapSource {

    /**
     * The capture: a classpath resource ("pcap/dns.pcap", as the test's class loader finds it) or, when
     * there is no such resource, a file (absolute, or relative to the working directory).
     */
    String value();

    /**
     * Whether captures of another link type than Ethernet (LINKTYPE_ETHERNET, which XDP and tc programs
     * take) are accepted, e.g. raw IP (LINKTYPE_RAW) for a socket filter. Default: refused.
     */
    boolean anyLinkType() default false;
}
