// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * uprobe_test: umark's func_uprobe1 and func_uprobe2, entry and return.
 *
 * func_uprobe1/func_uretprobe1 have bare sections: the loader attaches them by
 * an explicit file offset it computed from the ELF (the seed's
 * get_elf_func_offset). func_uprobe2/func_uretprobe2 declare their target in
 * SEC(); the binary is named without a directory, so libbpf resolves "umark"
 * through PATH and the harness puts the umark it built on PATH.
 */
#include "core_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "events.h"
#include "task.bpf.h"
#include "ringbuf.bpf.h"

EMIT_EVENT_TYPE(uprobe_event);

static __always_inline int report(const char *name, __u64 x, __u64 y, __u64 ret)
{
	struct uprobe_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	__builtin_memcpy(e->name, name, EVENT_NAME_LEN);
	fill_task_info(&e->task);
	e->x = x;
	e->y = y;
	e->ret = ret;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* Names padded to EVENT_NAME_LEN so report() can copy a fixed size. */
static const char NAME_UPROBE1[EVENT_NAME_LEN] = "func_uprobe1";
static const char NAME_URETPROBE1[EVENT_NAME_LEN] = "func_uretprobe1";
static const char NAME_UPROBE2[EVENT_NAME_LEN] = "func_uprobe2";
static const char NAME_URETPROBE2[EVENT_NAME_LEN] = "func_uretprobe2";

SEC("uprobe")
int BPF_KPROBE(func_uprobe1, __u64 x)
{
	return report(NAME_UPROBE1, x, 0, 0);
}

SEC("uretprobe")
int BPF_KRETPROBE(func_uretprobe1, __u64 ret)
{
	return report(NAME_URETPROBE1, 0, 0, ret);
}

SEC("uprobe/umark:func_uprobe2")
int BPF_KPROBE(func_uprobe2, __u64 x, __u64 y)
{
	return report(NAME_UPROBE2, x, y, 0);
}

SEC("uretprobe/umark:func_uprobe2")
int BPF_KRETPROBE(func_uretprobe2, __u64 ret)
{
	return report(NAME_URETPROBE2, 0, 0, ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
