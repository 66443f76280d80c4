// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * usdt_test: umark's USDT probes. func_usdt1 has a bare SEC("usdt") and is
 * attached explicitly to groupa:probe1 (bpf_program__attach_usdt);
 * func_usdt2 declares groupb:probe2 in SEC(), with "umark" resolved through
 * PATH as in uprobe.bpf.c.
 */
#include "core_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/usdt.bpf.h>
#include "events.h"
#include "task.bpf.h"
#include "ringbuf.bpf.h"

EMIT_EVENT_TYPE(usdt_event);

static __always_inline int report(struct pt_regs *ctx, const char *name, long arg1, long arg2)
{
	struct usdt_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	__builtin_memcpy(e->name, name, EVENT_NAME_LEN);
	fill_task_info(&e->task);
	e->arg1 = arg1;
	e->arg2 = arg2;
	e->arg_count = bpf_usdt_arg_cnt(ctx);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

static const char NAME_USDT1[EVENT_NAME_LEN] = "func_usdt1";
static const char NAME_USDT2[EVENT_NAME_LEN] = "func_usdt2";

SEC("usdt")
int BPF_USDT(func_usdt1, long var1)
{
	return report(ctx, NAME_USDT1, var1, 0);
}

SEC("usdt/umark:groupb:probe2")
int BPF_USDT(func_usdt2, long var2, long var3)
{
	return report(ctx, NAME_USDT2, var2, var3);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
