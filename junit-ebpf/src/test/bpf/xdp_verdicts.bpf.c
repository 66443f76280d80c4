// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * xdp_verdicts: one XDP program with a different verdict per kind of packet,
 * for junit-ebpf's test-run assertions: IPv4 UDP to the discard port (9) is
 * dropped, IPv4 TCP is sent back out (XDP_TX) with its Ethernet addresses
 * swapped, so the output packet differs from the input; everything else
 * passes. Nothing else on the machine runs it: tests call it through
 * BPF_PROG_TEST_RUN only.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define DISCARD_PORT 9

SEC("xdp")
int xdp_verdicts(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	unsigned char mac[ETH_ALEN];

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->ihl != 5)
		return XDP_PASS;
	if (ip->protocol == IPPROTO_TCP) {
		__builtin_memcpy(mac, eth->h_source, ETH_ALEN);
		__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
		__builtin_memcpy(eth->h_dest, mac, ETH_ALEN);
		return XDP_TX;
	}
	struct udphdr *udp = (void *)(ip + 1);
	if (ip->protocol == IPPROTO_UDP && (void *)(udp + 1) <= data_end && udp->dest == bpf_htons(DISCARD_PORT))
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
