// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * usdt_test: umark's USDT probes. func_usdt1 has a bare SEC("usdt") and is
 * attached explicitly to groupa:probe1 (bpf_program__attach_usdt);
 * func_usdt2 declares groupb:probe2 in SEC(), with "umark" resolved through
 * PATH as in uprobe.bpf.c.
 */
#include "junit_ebpf_core.h"
#include <bpf/bpf_helpers.h>
#include <bpf/usdt.bpf.h>
#include "events.h"
#include "task.bpf.h"
#include "ringbuf.bpf.h"

JUNIT_EBPF_EVENT(struct usdt_event);

/* A macro, not a function, so each name stays a literal copied by immediate stores (no .rodata). */
#define REPORT(literal, ARG1, ARG2)                                             \
	({                                                                      \
		struct usdt_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0); \
		if (e) {                                                        \
			JUNIT_EBPF_SET_STR(e->name, literal);                             \
			fill_task_info(&e->task);                               \
			e->arg1 = (ARG1);                                       \
			e->arg2 = (ARG2);                                       \
			e->arg_count = bpf_usdt_arg_cnt(ctx);                   \
			bpf_ringbuf_submit(e, 0);                               \
		}                                                               \
		0;                                                              \
	})

SEC("usdt")
int BPF_USDT(func_usdt1, long var1)
{
	return REPORT("func_usdt1", var1, 0);
}

SEC("usdt/umark:groupb:probe2")
int BPF_USDT(func_usdt2, long var2, long var3)
{
	return REPORT("func_usdt2", var2, var3);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
