package io.junitebpf.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This JVM as the kernel sees it when it launches a target: what the target's
 * events must report as its parent, its user, and its name before exec.
 *
 * @param pid         the JVM's pid: the target's ppid (real_parent's tgid)
 * @param threadComm  the launching thread's comm: the target's parent_comm,
 *                    since real_parent is the thread that forked, not the
 *                    group leader (read /proc/thread-self, not /proc/self)
 * @param uid         the JVM's real uid, which the target inherits
 * @param preExecComm the comm the target has at sys_enter_execve: it is still
 *                    the process that called execve, so its comm is that of
 *                    the JDK's spawn helper (or of the launching thread when
 *                    the JDK forks directly)
 */
record Launcher(int pid, String threadComm, int uid, String preExecComm) {

    /** The launcher for targets started by the calling thread. */
    static Launcher current() {
        String thread = read("/proc/thread-self/comm").strip();
        return new Launcher((int) ProcessHandle.current().pid(), thread, realUid(), preExecComm(thread));
    }

    /**
     * POSIX_SPAWN (the JDK's default on Linux) spawns jspawnhelper, which then
     * execs the target; FORK and VFORK exec straight from a copy of the thread.
     */
    private static String preExecComm(String threadComm) {
        String mechanism = System.getProperty("jdk.lang.Process.launchMechanism", "POSIX_SPAWN");
        return mechanism.equalsIgnoreCase("POSIX_SPAWN") ? "jspawnhelper" : threadComm;
    }

    private static int realUid() {
        for (String line : read("/proc/self/status").split("\n")) {
            if (line.startsWith("Uid:")) {
                return Integer.parseInt(line.substring(4).strip().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("no Uid line in /proc/self/status");
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
