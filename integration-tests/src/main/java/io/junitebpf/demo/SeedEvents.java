package io.junitebpf.demo;

import io.junitebpf.event.CStruct;

/**
 * Java views of the reference objects' event structs
 * (bpf/src/main/bpf/include/events.h), checked against each object's BTF when
 * bound with {@code RecordLayout}, and their line in the seed's output format:
 * {@code <name> <timestamp_ns> <tgid> <comm> <ppid> <parent_comm> <uid>} then
 * the probe's own values. The demo prints these lines; the tests assert on the
 * same records.
 */
public final class SeedEvents {

    private SeedEvents() {
    }

    /** The article's common fields: who fired the probe, and when. */
    @CStruct("task_info")
    public record TaskInfo(long timestampNs, int tgid, int ppid, int uid, String comm, String parentComm) {

        /** {@code <timestamp_ns> <tgid> <comm> <ppid> <parent_comm> <uid>}; the counters are unsigned in C. */
        String line() {
            return Long.toUnsignedString(timestampNs) + " " + Integer.toUnsignedString(tgid) + " " + word(comm) + " "
                    + Integer.toUnsignedString(ppid) + " " + word(parentComm) + " " + Integer.toUnsignedString(uid);
        }
    }

    /** trace_execve and probe_execve: the executed file. */
    @CStruct("execve_event")
    public record ExecveEvent(String name, TaskInfo task, String filename) {

        /** The seed line: common fields, then the filename. */
        public String line() {
            return name + " " + task.line() + " " + word(filename);
        }
    }

    /** func_uprobe1/2 (entry: x, y) and func_uretprobe1/2 (ret). */
    @CStruct("uprobe_event")
    public record UprobeEvent(String name, TaskInfo task, long x, long y, long ret) {

        /** The seed line: common fields, then x (uprobe1), x y (uprobe2) or the return value (uretprobes). */
        public String line() {
            String values = switch (name) {
                case "func_uprobe1" -> Long.toUnsignedString(x);
                case "func_uprobe2" -> Long.toUnsignedString(x) + " " + Long.toUnsignedString(y);
                default -> Long.toUnsignedString(ret);
            };
            return name + " " + task.line() + " " + values;
        }
    }

    /** func_usdt1 (arg1 = var1) and func_usdt2 (arg1, arg2 = var2, var3); argCount is what the note declares. */
    @CStruct("usdt_event")
    public record UsdtEvent(String name, TaskInfo task, long arg1, long arg2, int argCount) {

        /** The seed line: common fields, then the probe's arguments (as many as it has). */
        public String line() {
            return name + " " + task.line() + " " + (argCount >= 2 ? arg1 + " " + arg2 : Long.toString(arg1));
        }
    }

    /** Keeps one field one word: a comm may contain spaces ("GC Thread#0"), the format splits on them. */
    private static String word(String text) {
        return text.isEmpty() ? "-" : text.replace(' ', '_');
    }
}
