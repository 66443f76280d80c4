// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * trace_execve: the syscalls/sys_enter_execve tracepoint, both ways the seed
 * article attaches it. trace_execve declares its attach point in SEC() and is
 * attached by bpf_program__attach(); trace_execve_manual has a bare
 * SEC("tracepoint") and is attached with an explicit attach_tracepoint().
 */
#include "junit_ebpf_core.h"
#include <bpf/bpf_helpers.h>
#include "events.h"
#include "task.bpf.h"
#include "ringbuf.bpf.h"

JUNIT_EBPF_EVENT(struct execve_event);

static __always_inline int report_execve(struct trace_event_raw_sys_enter *ctx)
{
	struct execve_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	JUNIT_EBPF_SET_STR(e->name, "trace_execve");
	fill_task_info(&e->task);
	const char *filename = (const char *)BPF_CORE_READ(ctx, args[0]);
	if (bpf_probe_read_user_str(e->filename, sizeof(e->filename), filename) < 0)
		e->filename[0] = '\0';
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int trace_execve(struct trace_event_raw_sys_enter *ctx)
{
	return report_execve(ctx);
}

SEC("tracepoint")
int trace_execve_manual(struct trace_event_raw_sys_enter *ctx)
{
	return report_execve(ctx);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
