// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ringtest: writes sequence-numbered records into a ring buffer or a perf
 * event array when the test JVM asks for them.
 *
 * The test calls ioctl(-1, RINGTEST_MAGIC, &request): the syscall fails with
 * EBADF, but syscalls/sys_enter_ioctl has already fired in the calling thread,
 * so every record of the request is in the buffer before ioctl returns. No
 * other process uses that command number, so no pid filter is needed.
 *
 * Record layout (struct ringtest_record): u64 seq, u32 size (the whole
 * record), u32 kind, then payload byte i = (i * 7 + 3) & 0xff. Only bounded
 * loops (kernel 5.3+), no bpf_loop: the object loads wherever ring buffers do.
 */
#include "junit_ebpf_core.h"
#include <bpf/bpf_helpers.h>

#define RINGTEST_MAGIC 0x4a454250 /* "JEBP" */
#define MAX_RECORDS 64            /* per request */
#define MAX_SIZE 1024             /* scratch size; records are 16..MAX_SIZE - 1 bytes */
#define SIZE_MASK (MAX_SIZE - 1)
#define FIXED_SIZE 32             /* reserve/submit records */

enum ringtest_target {
	TARGET_RING = 0,       /* 256 KiB ring buffer "ring" */
	TARGET_SMALL_RING = 1, /* 4 KiB ring buffer "small_ring": wraps quickly */
	TARGET_PERF = 2,       /* perf event array "perf" */
};

enum ringtest_kind {
	KIND_FIXED = 0,    /* FIXED_SIZE bytes via reserve + submit */
	KIND_VARIABLE = 1, /* request.size or varying sizes via ringbuf_output / perf_event_output */
};

struct ringtest_request {
	__u64 first_seq;
	__u32 count;         /* records to emit, at most MAX_RECORDS */
	__u32 size;          /* KIND_VARIABLE: record size (16..MAX_SIZE - 1); 0 = vary with seq */
	__u32 kind;
	__u32 target;
	__u32 discard_every; /* KIND_FIXED: discard records with seq % discard_every == 0 (0 = never) */
	__u32 pad;
};

struct ringtest_record {
	__u64 seq;
	__u32 size;
	__u32 kind;
	__u8 payload[MAX_SIZE - 16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} small_ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} perf SEC(".maps");

/* The record being built for ringbuf_output/perf_event_output (too big for the stack). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ringtest_record);
} scratch SEC(".maps");

static __always_inline int emit_fixed(struct ringtest_request *req, __u64 seq)
{
	struct ringtest_record *r;

	if (req->target == TARGET_SMALL_RING)
		r = bpf_ringbuf_reserve(&small_ring, FIXED_SIZE, 0);
	else
		r = bpf_ringbuf_reserve(&ring, FIXED_SIZE, 0);
	if (!r)
		return -1;
	r->seq = seq;
	r->size = FIXED_SIZE;
	r->kind = KIND_FIXED;
	for (int i = 0; i < FIXED_SIZE - 16; i++)
		r->payload[i] = (i * 7 + 3) & 0xff;
	if (req->discard_every && seq % req->discard_every == 0)
		bpf_ringbuf_discard(r, 0);
	else
		bpf_ringbuf_submit(r, 0);
	return 0;
}

static __always_inline int emit_variable(void *ctx, struct ringtest_request *req,
					 struct ringtest_record *r, __u64 seq)
{
	__u32 size = req->size ? req->size : 16 + (__u32)((seq * 37) % (MAX_SIZE - 17));

	if (size < 16 || size >= MAX_SIZE)
		return -1;
	r->seq = seq;
	r->size = size;
	r->kind = KIND_VARIABLE;
	/* clang drops a mask it can prove redundant; the verifier needs it */
	barrier_var(size);
	size &= SIZE_MASK;
	if (req->target == TARGET_PERF)
		return bpf_perf_event_output(ctx, &perf, BPF_F_CURRENT_CPU, r, size);
	if (req->target == TARGET_SMALL_RING)
		return bpf_ringbuf_output(&small_ring, r, size, 0);
	return bpf_ringbuf_output(&ring, r, size, 0);
}

SEC("tracepoint/syscalls/sys_enter_ioctl")
int ringtest(struct trace_event_raw_sys_enter *ctx)
{
	struct ringtest_request req;
	struct ringtest_record *r;
	__u32 zero = 0;

	if ((__u32)ctx->args[1] != RINGTEST_MAGIC)
		return 0;
	if (bpf_probe_read_user(&req, sizeof(req), (void *)ctx->args[2]))
		return 0;
	r = bpf_map_lookup_elem(&scratch, &zero);
	if (!r)
		return 0;
	if (req.kind == KIND_VARIABLE)
		for (int i = 0; i < MAX_SIZE - 16; i++)
			r->payload[i] = (i * 7 + 3) & 0xff;
	for (__u32 i = 0; i < MAX_RECORDS && i < req.count; i++) {
		__u64 seq = req.first_seq + i;

		if (req.kind == KIND_FIXED)
			emit_fixed(&req, seq);
		else
			emit_variable(ctx, &req, r, seq);
	}
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
