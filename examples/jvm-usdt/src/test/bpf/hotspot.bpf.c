// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Reports every hotspot:thread__start USDT probe hit in a JVM's libjvm.so: the thread's name,
 * its Java and native ids and whether it is a daemon. The probe fires without
 * -XX:+ExtendedDTraceProbes and has no semaphore.
 */
#include "junit_ebpf_core.h"
#include "junit_ebpf.h"
#include <bpf/usdt.bpf.h>

struct thread_start {
	__u32 tgid;
	__u32 tid;
	__s64 java_id;
	__s64 native_id;
	__s32 daemon;
	char name[32];
};
JUNIT_EBPF_EVENT(struct thread_start);
JUNIT_EBPF_RINGBUF(events, 256 * 1024);

/* hotspot's HOTSPOT_THREAD_START(char *name, int len, jlong java_id, uintptr_t native_id, bool daemon) */
SEC("usdt")
int BPF_USDT(on_thread_start, const char *name, int len, long java_id, long native_id, int daemon)
{
	struct thread_start *e = JUNIT_EBPF_RESERVE(events, struct thread_start);
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	if (!e)
		return 0;
	e->tgid = pid_tgid >> 32;
	e->tid = (__u32)pid_tgid;
	e->java_id = java_id;
	e->native_id = native_id;
	e->daemon = daemon & 1;
	bpf_probe_read_user_str(e->name, sizeof(e->name), name);
	junit_ebpf_submit(e);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
