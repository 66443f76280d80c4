package io.junitebpf.net;

import io.junitebpf.bpf.NetworkInterfaces;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A private network namespace made for one test, joined to this JVM's namespace
 * by a {@link VethPair}: one end ({@link VethPair#peerName()}) inside, the other
 * ({@link VethPair#hostName()}) here, where XDP and tc programs attach to it.
 * Both ends have addresses on a /30 of 10.0.0.0/8 that no interface of this
 * namespace uses, so traffic between them never leaves the pair.
 *
 * <p>Made with iproute2's {@code ip} (Debian package iproute2; root, or CAP_NET_ADMIN
 * and CAP_SYS_ADMIN). Names are random, so parallel tests and other JVMs do not
 * collide. {@link #close()} deletes the pair and the namespace; the extension
 * injects one per test parameter and closes it after the test, and its strict
 * mode reports one left behind.
 */
public final class NetworkNamespace implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(NetworkNamespace.class.getName());
    private static final String PREFIX = "junit-ebpf-";
    private static final int ATTEMPTS = 8;
    /** Namespaces of this JVM not yet closed, for the strict leak check. */
    private static final Set<NetworkNamespace> OPEN = Collections.synchronizedSet(new LinkedHashSet<>());

    private final String name;
    private final VethPair veth;
    private final Thread creator;
    private boolean closed;

    private NetworkNamespace(String name, VethPair veth) {
        this.name = name;
        this.veth = veth;
        this.creator = Thread.currentThread();
    }

    /**
     * Creates a namespace with a veth pair into it, both ends up and addressed.
     *
     * @throws IllegalStateException when {@code ip} is missing or fails (the message has its error)
     */
    public static NetworkNamespace create() {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            try {
                NetworkNamespace ns = create(id, freeSubnet());
                OPEN.add(ns);
                return ns;
            } catch (IllegalStateException e) {
                // a name or address taken between the check and ip's own (another JVM): try another
                if (!(e.getMessage().contains("exists") || e.getMessage().contains("in use"))) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    private static NetworkNamespace create(String id, int subnet) {
        String name = PREFIX + id;
        String host = "je" + id + "h";   // IFNAMSIZ: 15 characters at most
        String peer = "je" + id + "p";
        String op = "create network namespace " + name;
        IpCommand.run(op, List.of("ip", "netns", "add", name));
        try {
            InetAddress hostAddress = address(subnet + 1);
            InetAddress peerAddress = address(subnet + 2);
            IpCommand.run(op, List.of("ip", "link", "add", host, "type", "veth", "peer", "name", peer, "netns", name));
            IpCommand.run(op, List.of("ip", "addr", "add", hostAddress.getHostAddress() + "/30", "dev", host));
            IpCommand.run(op, List.of("ip", "link", "set", host, "up"));
            execIn(name, op, "ip", "addr", "add", peerAddress.getHostAddress() + "/30", "dev", peer);
            execIn(name, op, "ip", "link", "set", peer, "up");
            execIn(name, op, "ip", "link", "set", "lo", "up");
            return new NetworkNamespace(name, new VethPair(name, host, peer, hostAddress, peerAddress));
        } catch (RuntimeException e) {
            deleteQuietly(name, host);
            throw e;
        }
    }

    /** The namespace's name, as {@code ip netns list} shows it. */
    public String name() {
        return name;
    }

    /** The veth pair between this JVM's namespace and this one. */
    public VethPair veth() {
        return veth;
    }

    /** Whether {@code ip netns} still knows the namespace (/run/netns/NAME). */
    public boolean exists() {
        return Files.exists(Path.of("/run/netns", name));
    }

    /**
     * Runs a command inside the namespace ({@code ip netns exec NAME ...}) and returns its
     * standard output; a non-zero exit throws with its standard error.
     */
    public String exec(String... command) {
        if (command.length == 0) {
            throw new IllegalArgumentException("exec in network namespace " + name + ": empty command");
        }
        return execIn(name, "exec " + String.join(" ", command) + " in network namespace " + name, command);
    }

    static String execIn(String namespace, String operation, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return IpCommand.run(operation, full);
    }

    /**
     * Deletes the veth pair (its host end first: deleting a namespace frees its devices only later,
     * in the kernel's cleanup work) and the namespace. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        OPEN.removeIf(ns -> ns.name.equals(name));
        String op = "delete network namespace " + name;
        if (interfaceExists(veth.hostName())) {
            IpCommand.run(op, List.of("ip", "link", "del", veth.hostName()));
        }
        if (exists()) {
            IpCommand.run(op, List.of("ip", "netns", "del", name));
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "deleted " + name);
    }

    /** Whether {@link #close()} has run. */
    public synchronized boolean closed() {
        return closed;
    }

    /**
     * Namespaces created on {@code thread} by {@link #create()} and not closed: what the strict
     * mode reports for a test that made one itself and forgot it.
     */
    public static List<NetworkNamespace> openOn(Thread thread) {
        synchronized (OPEN) {
            return OPEN.stream().filter(ns -> ns.creator == thread).toList();
        }
    }

    static boolean interfaceExists(String name) {
        return NetworkInterfaces.index(name).isPresent();
    }

    private static void deleteQuietly(String name, String host) {
        try {
            if (interfaceExists(host)) {
                IpCommand.run("clean up " + name, List.of("ip", "link", "del", host));
            }
            IpCommand.run("clean up " + name, List.of("ip", "netns", "del", name));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not clean up " + name + " after a failed create: "
                    + e.getMessage());
        }
    }

    /**
     * A /30 of 10.128.0.0/9 (as an int, network address) with no address of this namespace in it:
     * random, so parallel JVMs rarely pick the same, and ip's "exists" makes a retry if they do.
     */
    private static int freeSubnet() {
        Set<Integer> used = new java.util.HashSet<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet4Address v4) {
                        byte[] b = v4.getAddress();
                        used.add(((b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff)) & ~3);
                    }
                }
            }
        } catch (SocketException e) {
            throw new IllegalStateException("choose an address for a veth pair: cannot list interfaces ("
                    + e.getMessage() + ")", e);
        }
        while (true) {
            int subnet = (10 << 24) | (1 << 23) | (ThreadLocalRandom.current().nextInt(1 << 21) << 2);
            if (!used.contains(subnet)) {
                return subnet;
            }
        }
    }

    private static InetAddress address(int value) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16),
                    (byte) (value >>> 8), (byte) value});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "NetworkNamespace[" + name + ", " + veth + (closed ? ", closed" : "") + "]";
    }
}
