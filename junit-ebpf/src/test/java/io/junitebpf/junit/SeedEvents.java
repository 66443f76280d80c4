package io.junitebpf.junit;

/** Java views of the reference objects' event structs (bpf/src/main/bpf/include/events.h). */
final class SeedEvents {

    private SeedEvents() {
    }

    record TaskInfo(long timestampNs, int tgid, int ppid, int uid, String comm, String parentComm) {
    }

    record UsdtEvent(String name, TaskInfo task, long arg1, long arg2, int argCount) {
    }

    record UprobeEvent(String name, TaskInfo task, long x, long y, long ret) {
    }

    record ExecveEvent(String name, TaskInfo task, String filename) {
    }
}
