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
#include "junit_ebpf_core.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "events.h"
#include "task.bpf.h"
#include "ringbuf.bpf.h"

JUNIT_EBPF_EVENT(struct uprobe_event);

/* A macro, not a function, so each name stays a literal copied by immediate stores (no .rodata). */
#define REPORT(literal, X, Y, RET)                                              \
	({                                                                      \
		struct uprobe_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0); \
		if (e) {                                                        \
			JUNIT_EBPF_SET_STR(e->name, literal);                             \
			fill_task_info(&e->task);                               \
			e->x = (X);                                             \
			e->y = (Y);                                             \
			e->ret = (RET);                                         \
			bpf_ringbuf_submit(e, 0);                               \
		}                                                               \
		0;                                                              \
	})

SEC("uprobe")
int BPF_KPROBE(func_uprobe1, __u64 x)
{
	return REPORT("func_uprobe1", x, 0, 0);
}

SEC("uretprobe")
int BPF_KRETPROBE(func_uretprobe1, __u64 ret)
{
	return REPORT("func_uretprobe1", 0, 0, ret);
}

SEC("uprobe/umark:func_uprobe2")
int BPF_KPROBE(func_uprobe2, __u64 x, __u64 y)
{
	return REPORT("func_uprobe2", x, y, 0);
}

SEC("uretprobe/umark:func_uprobe2")
int BPF_KRETPROBE(func_uretprobe2, __u64 ret)
{
	return REPORT("func_uretprobe2", 0, 0, ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
