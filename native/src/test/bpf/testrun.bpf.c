// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * testrun: one program of each type the kernel can run under
 * BPF_PROG_TEST_RUN, for TestRunTest, and one it cannot (a tracepoint).
 * Each returns something that depends on its input, so a test can tell the
 * program really ran on what it was given.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define BLOCKED_PORT 9

/* Runs of xdp_firewall, by what it decided: [0] passed, [1] dropped. */
__u64 verdicts[2];

/* The UDP destination port of an IPv4/UDP packet, or -1. */
static __always_inline int udp_port(void *data, void *data_end)
{
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	struct udphdr *udp;

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_UDP)
		return -1;
	udp = (void *)ip + ip->ihl * 4;
	if ((void *)(udp + 1) > data_end)
		return -1;
	return bpf_ntohs(udp->dest);
}

/* Drops UDP to port 9, passes everything else. */
SEC("xdp")
int xdp_firewall(struct xdp_md *ctx)
{
	int drop = udp_port((void *)(long)ctx->data, (void *)(long)ctx->data_end) == BLOCKED_PORT;

	__sync_fetch_and_add(&verdicts[drop], 1);
	return drop ? XDP_DROP : XDP_PASS;
}

/* Sends the frame back where it came from: swaps the MAC addresses. */
SEC("xdp")
int xdp_reflect(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	unsigned char mac[ETH_ALEN];

	if ((void *)(eth + 1) > data_end)
		return XDP_ABORTED;
	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);
	return XDP_TX;
}

/* Prepends 16 bytes of 0xee: the output is longer than the input. */
SEC("xdp")
int xdp_grow(struct xdp_md *ctx)
{
	void *data, *data_end;

	if (bpf_xdp_adjust_head(ctx, -16))
		return XDP_ABORTED;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	if (data + 16 > data_end)
		return XDP_ABORTED;
	__builtin_memset(data, 0xee, 16);
	return XDP_PASS;
}

/* tc: shoots UDP to port 9, lets the rest through. */
SEC("tc")
int tc_firewall(struct __sk_buff *skb)
{
	return udp_port((void *)(long)skb->data, (void *)(long)skb->data_end) == BLOCKED_PORT
		? TC_ACT_SHOT : TC_ACT_OK;
}

/* Socket filter: keeps the first half of each packet (returns how many bytes to keep). */
SEC("socket")
int socket_half(struct __sk_buff *skb)
{
	return skb->len / 2;
}

/* cgroup skb: lets a packet in (1) when it is IPv4, else refuses it (0). */
SEC("cgroup_skb/ingress")
int cgroup_ipv4_only(struct __sk_buff *skb)
{
	return skb->protocol == bpf_htons(ETH_P_IP) ? 1 : 0;
}

/* Flow dissector: reports the network header offset and the protocol, and accepts. */
SEC("flow_dissector")
int dissect(struct __sk_buff *skb)
{
	struct bpf_flow_keys *keys = skb->flow_keys;

	keys->nhoff = 0;
	keys->thoff = sizeof(struct iphdr);
	keys->n_proto = bpf_htons(ETH_P_IP);
	return BPF_OK;
}

/* Raw tracepoint: returns twice its second argument (sys_enter's syscall number). */
SEC("raw_tp/sys_enter")
int raw_double(struct bpf_raw_tracepoint_args *ctx)
{
	return (int)ctx->args[1] * 2;
}

struct syscall_args {
	int in;
	int out;
};

/* Syscall program: writes in * 3 into its context and returns in + 1. */
SEC("syscall")
int syscall_triple(struct syscall_args *args)
{
	args->out = args->in * 3;
	return args->in + 1;
}

/* A tracepoint program: the kernel cannot test-run this type. */
SEC("tracepoint/syscalls/sys_enter_getppid")
int tracepoint_only(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
