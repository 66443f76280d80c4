package io.junitebpf.net;

import io.junitebpf.bpf.NetworkInterfaces;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The veth pair of a {@link NetworkNamespace}: the host end in this JVM's
 * namespace, the peer end inside the private one, each with an address of the
 * same /30. Packets the peer sends arrive on the host end (its XDP and tc
 * ingress see them); packets sent to the peer leave through the host end (its tc
 * egress sees them). The helpers only ever send between these two addresses.
 */
public final class VethPair {

    private static final Pattern RECEIVED = Pattern.compile("(\\d+) (?:packets )?received");

    private final String namespace;
    private final String hostName;
    private final String peerName;
    private final InetAddress hostAddress;
    private final InetAddress peerAddress;

    VethPair(String namespace, String hostName, String peerName, InetAddress hostAddress, InetAddress peerAddress) {
        this.namespace = namespace;
        this.hostName = hostName;
        this.peerName = peerName;
        this.hostAddress = hostAddress;
        this.peerAddress = peerAddress;
    }

    /** The end in this JVM's namespace: where XDP and tc programs attach. */
    public String hostName() {
        return hostName;
    }

    /** The end inside the private namespace. */
    public String peerName() {
        return peerName;
    }

    /** The host end's IPv4 address. */
    public InetAddress hostAddress() {
        return hostAddress;
    }

    /** The peer end's IPv4 address. */
    public InetAddress peerAddress() {
        return peerAddress;
    }

    /** The host end's interface index in this JVM's namespace (what attachXdp takes). */
    public int hostIndex() {
        return NetworkInterfaces.index(hostName).orElseThrow(() -> new IllegalStateException("find interface "
                + hostName + ": it no longer exists (was namespace " + namespace + " closed?)"));
    }

    /** The peer end's interface index inside the private namespace. */
    public int peerIndex() {
        return Integer.parseInt(NetworkNamespace.execIn(namespace, "find interface " + peerName + " in " + namespace,
                "cat", "/sys/class/net/" + peerName + "/ifindex").strip());
    }

    /**
     * Sends one UDP datagram with exactly {@code payload} from the peer end to the host end's
     * {@code port} (bash's /dev/udp inside the namespace, one write, so one datagram of up to
     * 64 KiB less headers). No
     * listener is needed: the packet crosses the pair either way.
     */
    public void sendUdpFromPeer(int port, byte[] payload) {
        fromPeer("udp", port, payload);
    }

    /**
     * Connects from the peer end to the host end's {@code port} over TCP and writes
     * {@code payload}; something must listen on {@link #hostAddress()}:port.
     */
    public void sendTcpFromPeer(int port, byte[] payload) {
        fromPeer("tcp", port, payload);
    }

    /**
     * Pings the host end from the peer end {@code count} times (package iputils-ping) and returns
     * how many echo replies came back.
     */
    public int pingFromPeer(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("ping from " + namespace + ": count must be at least 1, was " + count);
        }
        IpCommand.tool("ping");
        String out;
        try {
            out = NetworkNamespace.execIn(namespace, "ping " + hostAddress.getHostAddress() + " from " + namespace,
                    "ping", "-n", "-q", "-c", Integer.toString(count), "-i", "0.2", "-W", "2",
                    hostAddress.getHostAddress());
        } catch (IllegalStateException e) {
            out = e.getMessage(); // ping exits 1 when replies are missing; its summary still counts them
        }
        Matcher m = RECEIVED.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("ping from " + namespace + ": no summary in its output: " + out);
        }
        return Integer.parseInt(m.group(1));
    }

    /**
     * Sends one UDP datagram from this JVM (bound to the host end's address) to the peer end's
     * {@code port}; it leaves through the host end, so tc egress programs there see it.
     */
    public void sendUdpToPeer(int port, byte[] payload) {
        requirePort(port);
        Objects.requireNonNull(payload, "payload");
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(hostAddress, 0))) {
            socket.send(new DatagramPacket(payload, payload.length, peerAddress, port));
        } catch (IOException e) {
            throw new UncheckedIOException("send UDP to " + peerAddress.getHostAddress() + ":" + port + " in "
                    + namespace + ": " + e.getMessage(), e);
        }
    }

    private void fromPeer(String protocol, int port, byte[] payload) {
        requirePort(port);
        Objects.requireNonNull(payload, "payload");
        // one write of the whole payload, so UDP sends one datagram: cat from a file does that
        // (bash's printf would flush at each newline byte)
        java.nio.file.Path file = null;
        try {
            file = java.nio.file.Files.createTempFile("junit-ebpf-payload", ".bin");
            java.nio.file.Files.write(file, payload);
            NetworkNamespace.execIn(namespace, "send " + protocol.toUpperCase(java.util.Locale.ROOT) + " from "
                            + namespace + " to " + hostAddress.getHostAddress() + ":" + port,
                    "bash", "-c", "cat \"$1\" > /dev/" + protocol + "/\"$2\"/\"$3\"", "send", file.toString(),
                    hostAddress.getHostAddress(), Integer.toString(port));
        } catch (IOException e) {
            throw new UncheckedIOException("send " + protocol + " from " + namespace + ": " + e.getMessage(), e);
        } finally {
            if (file != null) {
                try {
                    java.nio.file.Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temporary file in /tmp: nothing to report
                }
            }
        }
    }

    private void requirePort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("send to " + namespace + ": port must be 1 to 65535, was " + port);
        }
    }

    @Override
    public String toString() {
        return "VethPair[" + hostName + " " + hostAddress.getHostAddress() + " <-> " + peerName + " "
                + peerAddress.getHostAddress() + " in " + namespace + "]";
    }
}
