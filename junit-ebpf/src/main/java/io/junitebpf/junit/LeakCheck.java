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
 * with {@code TargetProcess.launch} on its thread or a thread it started. Per scope, so it holds under parallel
 * execution, where process-wide counts would see other tests' resources.
 */
final class LeakCheck {

    private static final java.time.Duration GRACE = java.time.Duration.ofSeconds(2);

    private final String scope;
    private final List<LoadedObject> objects = new ArrayList<>();
    private final List<String> programs = new ArrayList<>();
    private final List<Integer> programIds = new ArrayList<>();

    LeakCheck(String scope) {
        this.scope = scope;
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
    void verify(List<TargetProcess> processes, List<TargetProcess> leftRunning) {
        List<String> leaks = new ArrayList<>();
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
}
