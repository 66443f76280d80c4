// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ringbench: fills a large ring buffer with many small records per trigger,
 * for the ring buffer consumer benchmark (RingBufferBenchmark).
 *
 * ioctl(-1, RINGBENCH_MAGIC, count) emits count 32-byte records in one
 * bpf_loop (kernel 5.17+) inside syscalls/sys_enter_ioctl: the benchmark
 * fills first and drains afterwards, so it times only the consumer. Default
 * (adaptive) wakeups: only the first record of a fill wakes the consumer, and
 * libbpf's poll needs that wakeup to look at the ring at all.
 */
#include "junit_ebpf_core.h"
#include <bpf/bpf_helpers.h>

#define RINGBENCH_MAGIC 0x4a454251 /* "JEBQ" */

struct bench_record {
	__u64 seq;
	__u64 value;
	__u64 pad[2];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024 * 1024);
} bench_ring SEC(".maps");

static long emit(__u32 i, void *ctx)
{
	struct bench_record *r = bpf_ringbuf_reserve(&bench_ring, sizeof(*r), 0);

	if (!r)
		return 1; /* full: stop; the benchmark sees the shortfall */
	r->seq = i;
	r->value = (__u64)i * 3;
	bpf_ringbuf_submit(r, 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_ioctl")
int ringbench(struct trace_event_raw_sys_enter *ctx)
{
	if ((__u32)ctx->args[1] != RINGBENCH_MAGIC)
		return 0;
	bpf_loop((__u32)ctx->args[2], emit, 0, 0);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
