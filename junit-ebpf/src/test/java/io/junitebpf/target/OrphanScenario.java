package io.junitebpf.target;

import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.Usdt;

import java.nio.file.Path;
import java.util.List;

/**
 * The JVM {@link OrphansTest} kills: launches a target in each gate, loads an
 * object and attaches a USDT program to one of them, registers a command to run
 * on its death, prints what it made ("pid N", "program N") and "ready", then
 * waits to be killed. Not a test: a main class run in a forked JVM.
 */
public final class OrphanScenario {

    private OrphanScenario() {
    }

    public static void main(String[] args) throws Exception {
        Path marker = Path.of(args[0]);
        TargetProcess running = TargetProcess.launch(Path.of("/bin/sleep"), List.of("301"), TargetProcess.Gate.NONE);
        TargetProcess stopped = TargetProcess.launch(Path.of("/bin/sleep"), List.of("302"),
                TargetProcess.Gate.STOPPED);
        TargetProcess umark = TargetProcess.launch(Umark.executable(), List.of("--count", "1000000", "--interval",
                "50", "--gate"), TargetProcess.Gate.STDIN_LINE);
        LoadedObject bpf = BpfObject.openResource("bpf/usdt.bpf.o").load();
        bpf.program("func_usdt1").attachUsdt(Usdt.of(umark.executable(), "groupa", "probe1").withPid(umark.pid()));
        umark.release();
        Reaper.onDeath(List.of("/usr/bin/touch", marker.toString()));
        for (TargetProcess target : List.of(running, stopped, umark)) {
            System.out.println("pid " + target.pid());
        }
        System.out.println("pid " + Reaper.watchdogPid());
        for (var program : bpf.programs()) {
            if (program.id() > 0) {
                System.out.println("program " + program.id());
            }
        }
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(600_000);
    }
}
