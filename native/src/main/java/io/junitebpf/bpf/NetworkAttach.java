package io.junitebpf.bpf;

import io.junitebpf.bpf.internal.Attacher;
import io.junitebpf.bpf.internal.ObjectHandle;
import io.junitebpf.bpf.internal.TcFilterHandle;

import java.util.List;
import java.util.Objects;

/**
 * A program attached to a network interface: XDP through a bpf_link, tc through a clsact filter.
 * The interface is checked first (it exists in this network namespace, by name or index) and so is
 * the program's type, because the kernel's EINVAL for either would not say what was wrong.
 */
final class NetworkAttach {

    private final LoadedObject owner;
    private final ObjectHandle handle;
    private final String name;
    private final Attacher attacher;

    NetworkAttach(LoadedObject owner, ObjectHandle handle, String name, Attacher attacher) {
        this.owner = owner;
        this.handle = handle;
        this.name = name;
        this.attacher = attacher;
    }

    /** {@link Program#attachXdp(String)}. */
    Link xdp(String interfaceName) {
        String target = "XDP of interface '" + interfaceName + "'";
        return attachXdp(interfaceIndex(interfaceName, target), target);
    }

    /** As {@link #xdp(String)}, by interface index. */
    Link xdp(int ifindex) {
        String target = "XDP of interface index " + ifindex;
        requireInterface(ifindex, target);
        return attachXdp(ifindex, target);
    }

    private Link attachXdp(int ifindex, String target) {
        requireProgramType(ProgramType.XDP, "xdp", target);
        try {
            String description = target + (target.contains("index") ? "" : " (index " + ifindex + ")");
            return owner.own(new Link(attacher.xdp(ifindex, description), owner));
        } catch (BpfException e) {
            throw networkFailure(e, ifindex, "XDP links need Linux 5.9");
        }
    }

    /** {@link Program#attachTc(String, TcAttachPoint)}. */
    TcFilter tc(String interfaceName, TcAttachPoint point) {
        Objects.requireNonNull(point, "attach point");
        String target = "tc " + point.name().toLowerCase(java.util.Locale.ROOT) + " of interface '"
                + interfaceName + "'";
        return attachTc(interfaceIndex(interfaceName, target), point, target);
    }

    /** As {@link #tc(String, TcAttachPoint)}, by interface index. */
    TcFilter tc(int ifindex, TcAttachPoint point) {
        Objects.requireNonNull(point, "attach point");
        String target = "tc " + point.name().toLowerCase(java.util.Locale.ROOT) + " of interface index " + ifindex;
        requireInterface(ifindex, target);
        return attachTc(ifindex, point, target);
    }

    private TcFilter attachTc(int ifindex, TcAttachPoint point, String target) {
        requireProgramType(ProgramType.SCHED_CLS, "sched_cls", target);
        String description = target + (target.contains("index") ? "" : " (index " + ifindex + ")");
        String operation = "attach program '" + name + "' of " + handle.displayName() + " to " + description;
        int fd = handle.withArena(a -> handle.api().programFd(handle.program(name)));
        if (fd < 0) {
            throw new IllegalStateException(operation + ": the program is not loaded (load the object first, "
                    + "with the program's autoload on)");
        }
        int attachPoint = point == TcAttachPoint.INGRESS ? TcFilterHandle.INGRESS
                : TcFilterHandle.EGRESS;
        try {
            return owner.own(new TcFilter(TcFilterHandle.attach(handle.api(), fd, ifindex,
                    attachPoint, operation, description), owner, point));
        } catch (BpfException e) {
            throw networkFailure(e, ifindex, "the clsact qdisc needs CONFIG_NET_SCH_INGRESS, BPF filters "
                    + "CONFIG_NET_CLS_BPF");
        }
    }

    /** The program's type checked before the kernel sees it: its EINVAL would not say what was wrong. */
    private void requireProgramType(ProgramType expected, String expectedName, String target) {
        int actual = handle.withArena(a -> handle.api().programType(handle.program(name)));
        if (actual == expected.value()) {
            return;
        }
        String actualName = handle.api().programTypeName(actual);
        String section = handle.withArena(a -> handle.api().programSection(handle.program(name)));
        throw new BpfException("attach program '" + name + "' to " + target, "it is a "
                + (actualName == null ? "type " + actual : actualName) + " program (SEC(\"" + section
                + "\")), and only " + expectedName + " programs attach there (SEC(\""
                + (expected == ProgramType.XDP ? "xdp" : "tc") + "\"))", 0, List.of());
    }

    /** An interface gone between lookup and attach is reported as such, not as a bare ENODEV. */
    private static BpfException networkFailure(BpfException e, int ifindex, String hint) {
        if (e.errno() == Errno.ENODEV || !interfaceExists(ifindex)) {
            return new BpfException(e.operation(), "the interface with index " + ifindex
                    + " no longer exists (was it deleted, or its network namespace?)", e.errnoCode(), e.log(), e);
        }
        if (e.errno() == Errno.EINVAL || e.errno() == Errno.EOPNOTSUPP) {
            return new BpfException(e.operation(), "failed (" + hint + ")", e.errnoCode(), e.log(), e);
        }
        return e;
    }

    private static int interfaceIndex(String interfaceName, String target) {
        Objects.requireNonNull(interfaceName, "interface name");
        if (interfaceName.isBlank()) {
            throw new IllegalArgumentException("attach to " + target + ": empty interface name");
        }
        try {
            NetworkInterfaces.requireValidName(interfaceName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("attach to " + target + ": " + e.getMessage(), e);
        }
        return NetworkInterfaces.index(interfaceName).orElseThrow(() -> new BpfException("attach to " + target,
                "no such network interface in this process's network namespace (ip link show lists them)", 0,
                List.of()));
    }

    private static void requireInterface(int ifindex, String target) {
        if (ifindex <= 0) {
            throw new IllegalArgumentException("attach to " + target + ": interface indexes start at 1");
        }
        if (!interfaceExists(ifindex)) {
            throw new BpfException("attach to " + target, "no network interface has this index in this "
                    + "process's network namespace (deleted? ip link show lists them)", 0, List.of());
        }
    }

    private static boolean interfaceExists(int ifindex) {
        return NetworkInterfaces.exists(ifindex);
    }
}
