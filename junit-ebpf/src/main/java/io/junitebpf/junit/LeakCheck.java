package io.junitebpf.junit;

import io.junitebpf.bpf.KernelObjects;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.target.TargetProcess;

import java.util.ArrayList;
import java.util.List;

/**
 * The strict mode's check that a scope left nothing behind: every object it
 * loaded is closed (which detaches its links and frees its ring buffers), the
 * kernel no longer has any of its programs (by id: a program outlives its
 * object only through a link or fd someone kept), and every process it
 * launched is gone, and so is every target the test method launched itself
 * with {@code TargetProcess.launch} on its thread or a thread it started; every network namespace it made
 * (injected, or created on the test's thread) is deleted with its veth pair, which takes any qdisc on it
 * along. Per scope, so it holds under parallel
 * execution, where process-wide counts would see other tests' resources.
 */
final class LeakCheck {

    private static final java.time.Duration GRACE = java.time.Duration.ofSeconds(2);

    private final String scope;
    private final List<LoadedObject> objects = new ArrayList<>();
    private final List<String> programs = new ArrayList<>();
    private final List<Integer> programIds = new ArrayList<>();

    private final Thread thread = Thread.currentThread();
    private final java.util.Set<io.junitebpf.net.NetworkNamespace> namespacesBefore;

    LeakCheck(String scope) {
        this.scope = scope;
        this.namespacesBefore = java.util.Set.copyOf(io.junitebpf.net.NetworkNamespace.openOn(thread));
    }

    void track(LoadedObject object) {
        objects.add(object);
        for (var program : object.programs()) {
            int id = program.id();
            if (id > 0) {
                programs.add(program.name());
                programIds.add(id);
            }
        }
    }

    /**
     * @param leftRunning targets the test method launched itself (TargetProcess.launch) that were
     *                    still running when its scope closed (the scope killed them since)
     */
    void verify(List<TargetProcess> processes, List<TargetProcess> leftRunning,
                List<io.junitebpf.net.NetworkNamespace> namespaces) {
        List<String> leaks = new ArrayList<>();
        networkLeaks(namespaces, leaks);
        for (TargetProcess process : leftRunning) {
            leaks.add(process + " (launched by the test) was still running: close it, e.g. with "
                    + "try-with-resources");
        }
        for (LoadedObject object : objects) {
            if (!object.closed()) {
                leaks.add(object + " is still open");
            }
        }
        for (TargetProcess process : processes) {
            if (process.isAlive() || ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                leaks.add(process + " is still running");
            }
        }
        // Some links free their program after close returns (libbpf 1.4's uprobe_multi USDT links, seen
        // 6-40 ms later): give the kernel a grace period before calling it a leak.
        long deadline = System.nanoTime() + GRACE.toNanos();
        while (System.nanoTime() < deadline
                && programIds.stream().anyMatch(id -> KernelObjects.program(id).isPresent())) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (int i = 0; i < programIds.size(); i++) {
            if (KernelObjects.program(programIds.get(i)).isPresent()) {
                leaks.add("program '" + programs.get(i) + "' (id " + programIds.get(i)
                        + ") is still in the kernel (a link or fd outlived the test)");
            }
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError("junit-ebpf strict mode: " + scope + " left resources behind: "
                    + String.join("; ", leaks));
        }
    }

    /**
     * Injected namespaces must be gone (ip netns list) with their host veth end (the clsact qdisc
     * a tc attach made there lives on that interface); one the test created itself on this
     * thread and never closed is reported and deleted.
     */
    private void networkLeaks(List<io.junitebpf.net.NetworkNamespace> namespaces, List<String> leaks) {
        for (io.junitebpf.net.NetworkNamespace ns : namespaces) {
            if (ns.exists()) {
                leaks.add("network namespace " + ns.name() + " still exists (ip netns list)");
            }
            if (interfaceExists(ns.veth().hostName())) {
                leaks.add("veth " + ns.veth().hostName() + " still exists (ip link show; a qdisc on it with it)");
            }
        }
        for (io.junitebpf.net.NetworkNamespace ns : io.junitebpf.net.NetworkNamespace.openOn(thread)) {
            if (!namespacesBefore.contains(ns)) {
                leaks.add("network namespace " + ns.name() + " was never closed (deleted now)");
                ns.close();
            }
        }
    }

    private static boolean interfaceExists(String name) {
        try {
            return java.net.NetworkInterface.getByName(name) != null;
        } catch (java.net.SocketException e) {
            return false;
        }
    }
}
