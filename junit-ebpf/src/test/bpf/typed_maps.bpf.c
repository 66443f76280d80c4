// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * typed_maps: maps and globals of every kind TypedMap and TypedGlobal read, for
 * junit-ebpf's typed map tests. summarize copies the flows entry of
 * {10.0.0.1, 53, UDP} into the .bss global last_seen with bytes = packets *
 * settings.step * scale, so a test sees the kernel interpret what Java
 * encoded. It runs on every execve on the machine (any process's is fine:
 * its result depends only on the maps and globals).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct flow_key {
	__u32 addr;
	__u16 port;
	__u8 proto;
	__u8 flags;
};

struct range {
	__s32 lo;
	__s32 hi;
};

struct flow_stats {
	__u64 packets;
	__u64 bytes;
	char label[16];
	__u16 hist[4];
	struct range range;
};

struct settings {
	__u32 step;
	char name[8];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct flow_key);
	__type(value, struct flow_stats);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct flow_stats);
} slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} cpu_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct range);
} cpu_ranges SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8);
	__type(key, struct flow_key);
	__type(value, __u64);
} recent SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, 8);
	__type(key, struct flow_key);
	__type(value, struct range);
} recent_ranges SEC(".maps");

/* Sizes only, no BTF types: TypedMap must refuse it. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__uint(key_size, 4);
	__uint(value_size, 8);
} untyped SEC(".maps");

struct flow_stats last_seen;
struct settings settings = { .step = 1, .name = "default" };
const volatile __u32 scale = 1;

SEC("tracepoint/syscalls/sys_enter_execve")
int summarize(void *ctx)
{
	struct flow_key key = { .addr = 0x0a000001, .port = 53, .proto = 17 };
	struct flow_stats *stats = bpf_map_lookup_elem(&flows, &key);

	if (!stats)
		return 0;
	__builtin_memcpy(&last_seen, stats, sizeof(last_seen));
	last_seen.bytes = stats->packets * settings.step * scale;
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
