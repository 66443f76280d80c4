package io.junitebpf.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A process as /proc/PID/stat shows it, for the tests that watch the processes a guest's boot starts. */
record ProcStat(char state, String startTicks) {

    /** The process of that pid now, or empty when there is none. */
    static Optional<ProcStat> of(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return Optional.empty();
        }
        // after the command name, which may hold spaces and parentheses: field 3 (state) on; 22 is the start
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Optional.of(new ProcStat(fields[0].charAt(0), fields[19]));
    }

    /** Alive: exists and is not a zombie waiting to be reaped. */
    static boolean alive(long pid) {
        return of(pid).map(p -> p.state() != 'Z' && p.state() != 'X').orElse(false);
    }
}
