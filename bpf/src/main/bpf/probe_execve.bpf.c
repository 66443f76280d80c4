// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * probe_execve: a kprobe on the execve syscall. SEC("ksyscall/execve") lets
 * libbpf find the architecture's syscall entry symbol (__x64_sys_execve, ...)
 * and BPF_KSYSCALL unwraps the arguments whether or not the kernel uses
 * syscall wrappers. Needs CONFIG_KPROBES.
 */
#include "junit_ebpf_core.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "events.h"
#include "task.bpf.h"
#include "ringbuf.bpf.h"

JUNIT_EBPF_EVENT(struct execve_event);

SEC("ksyscall/execve")
int BPF_KSYSCALL(probe_execve, const char *filename)
{
	struct execve_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	JUNIT_EBPF_SET_STR(e->name, "probe_execve");
	fill_task_info(&e->task);
	if (bpf_probe_read_user_str(e->filename, sizeof(e->filename), filename) < 0)
		e->filename[0] = '\0';
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
