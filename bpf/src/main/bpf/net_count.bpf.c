// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * net_count: the networking reference programs. xdp_count counts IPv4 UDP
 * datagrams per destination port and drops those to a port listed in
 * drop_ports; tc_ingress_count and tc_egress_count count the same per port on
 * their side of an interface. Counting per port lets a test look only at the
 * port it sends to: ARP, IPv6 neighbour discovery and whatever else the
 * kernel sends on a fresh link cannot disturb its figures. junit-ebpf's
 * networking tests and guide attach them to the host end of a veth pair into
 * a private network namespace.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* UDP destination port (host order, as u32) -> packets. */
#define PORT_COUNTS(name) \
	struct { \
		__uint(type, BPF_MAP_TYPE_HASH); \
		__uint(max_entries, 1024); \
		__type(key, __u32); \
		__type(value, __u64); \
	} name SEC(".maps")

PORT_COUNTS(xdp_udp_packets);
PORT_COUNTS(tc_ingress_udp_packets);
PORT_COUNTS(tc_egress_udp_packets);

/* UDP destination ports (host order, as u32) that xdp_count drops; the value is unused. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} drop_ports SEC(".maps");

/* The destination port of an Ethernet + IPv4 (no options) + UDP frame, or 0. */
static __always_inline __u32 udp_port(void *data, void *data_end)
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
	return bpf_ntohs(udp->dest);
}

static __always_inline void count(void *map, __u32 port)
{
	__u64 one = 1;
	__u64 *packets = bpf_map_lookup_elem(map, &port);
	if (packets) {
		__sync_fetch_and_add(packets, 1);
	} else if (bpf_map_update_elem(map, &port, &one, BPF_NOEXIST)) {
		/* another CPU added the port first: count on its entry */
		packets = bpf_map_lookup_elem(map, &port);
		if (packets)
			__sync_fetch_and_add(packets, 1);
	}
}

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	__u32 port = udp_port((void *)(long)ctx->data, (void *)(long)ctx->data_end);
	if (!port)
		return XDP_PASS;
	count(&xdp_udp_packets, port);
	return bpf_map_lookup_elem(&drop_ports, &port) ? XDP_DROP : XDP_PASS;
}

SEC("tc")
int tc_ingress_count(struct __sk_buff *skb)
{
	__u32 port = udp_port((void *)(long)skb->data, (void *)(long)skb->data_end);
	if (port)
		count(&tc_ingress_udp_packets, port);
	return 0; /* TC_ACT_OK */
}

SEC("tc")
int tc_egress_count(struct __sk_buff *skb)
{
	__u32 port = udp_port((void *)(long)skb->data, (void *)(long)skb->data_end);
	if (port)
		count(&tc_egress_udp_packets, port);
	return 0; /* TC_ACT_OK */
}

char LICENSE[] SEC("license") = "GPL";
