// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Reports CPython's garbage collections through its USDT probes: python:gc__start (the generation
 * collected) and python:gc__done (how many objects it found unreachable). Both probes are guarded by
 * a semaphore: CPython evaluates their arguments only while a tracer is attached, which libbpf's
 * USDT attach arranges.
 */
#include "junit_ebpf_core.h"
#include "junit_ebpf.h"
#include <bpf/usdt.bpf.h>

enum gc_phase { GC_START = 0, GC_DONE = 1 };

struct gc_event {
	__u32 tgid;
	__s32 phase;	/* enum gc_phase */
	__s64 value;	/* GC_START: the generation; GC_DONE: objects collected */
};
JUNIT_EBPF_EVENT(struct gc_event);
JUNIT_EBPF_RINGBUF(events, 64 * 1024);

static __always_inline int report(__s32 phase, long value)
{
	struct gc_event *e = JUNIT_EBPF_RESERVE(events, struct gc_event);

	if (!e)
		return 0;
	e->tgid = bpf_get_current_pid_tgid() >> 32;
	e->phase = phase;
	e->value = value;
	junit_ebpf_submit(e);
	return 0;
}

/* PyDTrace_GC_START(int generation) */
SEC("usdt")
int BPF_USDT(on_gc_start, int generation)
{
	return report(GC_START, generation);
}

/* PyDTrace_GC_DONE(Py_ssize_t collected) */
SEC("usdt")
int BPF_USDT(on_gc_done, long collected)
{
	return report(GC_DONE, collected);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
