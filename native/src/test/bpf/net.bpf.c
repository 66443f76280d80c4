// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * net: an XDP program and two tc programs that count (and optionally drop)
 * IPv4 UDP datagrams to one destination port, for the tests that attach them
 * to a veth pair (NetworkAttachTest; bpf/net_count.bpf.c is the same logic,
 * shipped for junit-ebpf). Only the watched port is counted, so ARP, IPv6 neighbour discovery and whatever else the kernel
 * sends on a fresh link cannot disturb the figures. not_networking is a
 * uprobe program: attaching it as XDP or tc must fail clearly.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* The UDP destination port counted, host order; set before load. */
const volatile __u16 watched_port = 0;
/* Non-zero: the programs also drop what they count (XDP_DROP, TC_ACT_SHOT). */
const volatile __u8 drop_watched = 0;

/* Slots of counts (u32 key, u64 value). */
enum { XDP_PACKETS, XDP_BYTES, TC_INGRESS_PACKETS, TC_EGRESS_PACKETS, SLOTS };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

/* Whether the frame in [data, data_end) is Ethernet + IPv4 (no options) + UDP to watched_port. */
static __always_inline int watched_udp(void *data, void *data_end)
{
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return 0;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->protocol != IPPROTO_UDP || ip->ihl != 5)
		return 0;
	struct udphdr *udp = (void *)(ip + 1);
	if ((void *)(udp + 1) > data_end)
		return 0;
	return udp->dest == bpf_htons(watched_port);
}

static __always_inline void add(__u32 slot, __u64 n)
{
	__u64 *value = bpf_map_lookup_elem(&counts, &slot);
	if (value)
		__sync_fetch_and_add(value, n);
}

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	if (!watched_udp(data, data_end))
		return XDP_PASS;
	add(XDP_PACKETS, 1);
	add(XDP_BYTES, data_end - data);
	return drop_watched ? XDP_DROP : XDP_PASS;
}

static __always_inline int tc_count(struct __sk_buff *skb, __u32 slot)
{
	if (!watched_udp((void *)(long)skb->data, (void *)(long)skb->data_end))
		return 0; /* TC_ACT_OK */
	add(slot, 1);
	return drop_watched ? 2 /* TC_ACT_SHOT */ : 0;
}

SEC("tc")
int tc_ingress_count(struct __sk_buff *skb)
{
	return tc_count(skb, TC_INGRESS_PACKETS);
}

SEC("tc")
int tc_egress_count(struct __sk_buff *skb)
{
	return tc_count(skb, TC_EGRESS_PACKETS);
}

SEC("uprobe")
int not_networking(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
