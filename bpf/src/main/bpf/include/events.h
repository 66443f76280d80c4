/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Event records written by the reference programs into their ring buffer.
 *
 * One header for all four tools, as in the seed article. The Java side never
 * reads this file: it checks its records against these structs as they appear
 * in each object's BTF, so a change here that Java does not follow fails at
 * injection instead of decoding wrong bytes.
 */
#ifndef JUNIT_EBPF_EVENTS_H
#define JUNIT_EBPF_EVENTS_H

#define TASK_COMM_LEN 16
#define EVENT_NAME_LEN 16
#define FILENAME_LEN 256

/* The article's common fields: who fired the probe, and when. */
struct task_info {
	__u64 timestamp_ns;              /* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u32 tgid;
	__u32 ppid;                      /* tgid of real_parent */
	__u32 uid;
	char comm[TASK_COMM_LEN];
	char parent_comm[TASK_COMM_LEN];
};

/* trace_execve, probe_execve */
struct execve_event {
	char name[EVENT_NAME_LEN];
	struct task_info task;
	char filename[FILENAME_LEN];
};

/* func_uprobe1/2 (entry: x, y) and func_uretprobe1/2 (ret) */
struct uprobe_event {
	char name[EVENT_NAME_LEN];
	struct task_info task;
	__u64 x;
	__u64 y;
	__u64 ret;
};

/* func_usdt1 (arg1 = var1) and func_usdt2 (arg1, arg2 = var2, var3) */
struct usdt_event {
	char name[EVENT_NAME_LEN];
	struct task_info task;
	__s64 arg1;
	__s64 arg2;
	__u32 arg_count;
};

#endif /* JUNIT_EBPF_EVENTS_H */
