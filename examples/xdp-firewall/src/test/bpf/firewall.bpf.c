// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A small XDP firewall: drops IPv4 UDP datagrams to one port (the .data global
 * blocked_port; 0 blocks nothing) and counts IPv4 packets per IP protocol in
 * the protocols map. Everything that is not IPv4 passes uncounted.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct proto_key {
	__u32 proto;		/* IPPROTO_* of the IPv4 header */
};

struct proto_stats {
	__u64 packets;
	__u64 bytes;		/* Ethernet frame lengths */
	__u64 dropped;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, struct proto_key);
	__type(value, struct proto_stats);
} protocols SEC(".maps");

/* In .data, not .rodata: a test (or an operator) changes it while the program is attached. */
__u32 blocked_port = 53;

static __always_inline struct proto_stats *stats_of(struct proto_key *key)
{
	struct proto_stats zero = {};
	struct proto_stats *stats = bpf_map_lookup_elem(&protocols, key);

	if (stats)
		return stats;
	/* BPF_NOEXIST: when another CPU added the entry first, count on that one */
	bpf_map_update_elem(&protocols, key, &zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(&protocols, key);
}

SEC("xdp")
int xdp_firewall(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	int drop = 0;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->ihl < 5)
		return XDP_PASS;
	if (ip->protocol == IPPROTO_UDP) {
		struct udphdr *udp = (void *)ip + ip->ihl * 4;
		__u32 port = blocked_port;

		if ((void *)(udp + 1) <= data_end && port && bpf_ntohs(udp->dest) == port)
			drop = 1;
	}

	struct proto_key key = { .proto = ip->protocol };
	struct proto_stats *stats = stats_of(&key);
	if (stats) {
		__sync_fetch_and_add(&stats->packets, 1);
		__sync_fetch_and_add(&stats->bytes, data_end - data);
		__sync_fetch_and_add(&stats->dropped, drop);
	}
	return drop ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
