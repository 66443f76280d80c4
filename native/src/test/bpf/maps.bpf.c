// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * maps: the test object for map element access and global variables.
 *
 * On every getpid() made by the process named in .rodata's target_tgid, the
 * program adds .data's step to .bss's hits, counts the call per thread in a
 * hash, in slot 0 of an array and of a per-CPU array, and sends the thread id
 * into a small ring buffer. Nothing is read with CO-RE, so loading needs no
 * kernel BTF and stays fast enough for a thousand load cycles.
 */
#include "junit_ebpf_core.h"
#include <bpf/bpf_helpers.h>

const volatile __u32 target_tgid = 0;
const volatile __u64 rodata_marker = 0x1122334455667788ULL;

__u64 step = 1;          /* .data: writable after load, changes what the program adds */
char banner[8] = "maps";  /* .data: a non-integer variable */

__u64 hits = 0;          /* .bss */
__u32 last_tid = 0;      /* .bss */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} per_thread SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} per_cpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16);
	__type(key, __u64);
	__type(value, __u64);
} per_cpu_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} tids SEC(".maps");

static __always_inline int count_call(void)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32;
	__u32 tid = (__u32)pid_tgid;
	__u32 zero = 0;

	if (tgid != target_tgid)
		return 0;
	__sync_fetch_and_add(&hits, step);
	last_tid = tid;

	__u64 one = 1;
	__u64 *count = bpf_map_lookup_elem(&per_thread, &tid);
	if (count)
		__sync_fetch_and_add(count, 1);
	else
		bpf_map_update_elem(&per_thread, &tid, &one, BPF_NOEXIST);

	__u64 *slot = bpf_map_lookup_elem(&slots, &zero);
	if (slot)
		__sync_fetch_and_add(slot, 1);

	__u32 *cpu_count = bpf_map_lookup_elem(&per_cpu, &zero);
	if (cpu_count)
		*cpu_count += 1;

	__u32 *event = bpf_ringbuf_reserve(&tids, sizeof(*event), 0);
	if (event) {
		*event = tid;
		bpf_ringbuf_submit(event, 0);
	}
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getpid")
int count_getpid(void *ctx)
{
	return count_call();
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
