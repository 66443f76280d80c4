// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * csum_check: the kernel's view of a packet's checksums, for PacketChecksumTest.
 * An XDP program that sums the IPv4 header and the TCP/UDP/ICMP/ICMPv6 segment
 * (with its pseudo header) with the kernel's own csum_partial, through
 * bpf_csum_diff, and returns XDP_PASS when every checksum is right, XDP_DROP
 * when one is wrong and XDP_ABORTED when it cannot parse the packet (at most
 * 512 bytes after the Ethernet header and up to two VLAN tags).
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define MAX_L3 512

/* What the last run found: 1 = right, 0 = wrong, for the IPv4 header and the L4 segment. */
__u32 ip_ok;
__u32 l4_ok;
__u32 l4_protocol;
/* The packet after the Ethernet header, plus room for zero padding to a multiple of 4. */
__u8 scratch[MAX_L3 + 128];

static __always_inline __u32 folds_to_ones(__s64 sum)
{
	__u32 s = (__u32)sum;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return s == 0xffff;
}

struct pseudo4 {
	__be32 saddr, daddr;
	__u8 zero, protocol;
	__be16 length;
};

struct pseudo6 {
	__u8 saddr[16], daddr[16];
	__be32 length;
	__u8 zero[3], next_header;
};

SEC("xdp")
int csum_check(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 l2 = ETH_HLEN, len, ihl, l4len, rounded, protocol;
	__be16 *type = data + 12;
	__s64 seed = 0;
	int i;

	for (i = 0; i < 2; i++) {
		if ((void *)(type + 1) > data_end)
			return XDP_ABORTED;
		if (*type != bpf_htons(ETH_P_8021Q) && *type != bpf_htons(ETH_P_8021AD))
			break;
		type += 2;
		l2 += 4;
	}
	if ((void *)(type + 1) > data_end)
		return XDP_ABORTED;
	len = ctx->data_end - ctx->data - l2;
	if (len < 28 || len > MAX_L3) /* an IPv4 header and 8 bytes */
		return XDP_ABORTED;
	/* the same value, in a form whose bounds the verifier sees on the register passed (1..512) */
	if (bpf_xdp_load_bytes(ctx, l2, scratch, ((len - 1) & (MAX_L3 - 1)) + 1))
		return XDP_ABORTED;

	if (*type == bpf_htons(ETH_P_IP)) {
		struct pseudo4 ph = {};

		ihl = (scratch[0] & 0xf) * 4;
		if (ihl < 20)
			return XDP_ABORTED;
		ip_ok = folds_to_ones(bpf_csum_diff(0, 0, (__be32 *)scratch, ihl, 0));
		l4len = (scratch[2] << 8 | scratch[3]);
		if (l4len > len || l4len < ihl + 8)
			return XDP_ABORTED;
		l4len -= ihl;
		protocol = scratch[9];
		if (protocol != IPPROTO_ICMP) {
			__builtin_memcpy(&ph.saddr, &scratch[12], 4);
			__builtin_memcpy(&ph.daddr, &scratch[16], 4);
			ph.protocol = protocol;
			ph.length = bpf_htons(l4len);
			seed = bpf_csum_diff(0, 0, (__be32 *)&ph, sizeof(ph), 0);
		}
	} else if (*type == bpf_htons(ETH_P_IPV6)) {
		struct pseudo6 ph = {};

		ihl = 40;
		ip_ok = 1; /* IPv6 has no header checksum */
		l4len = (scratch[4] << 8 | scratch[5]);
		if (l4len + 40 > len || l4len < 8)
			return XDP_ABORTED;
		protocol = scratch[6];
		__builtin_memcpy(ph.saddr, &scratch[8], 16);
		__builtin_memcpy(ph.daddr, &scratch[24], 16);
		ph.length = bpf_htonl(l4len);
		ph.next_header = protocol;
		seed = bpf_csum_diff(0, 0, (__be32 *)&ph, sizeof(ph), 0);
	} else {
		return XDP_ABORTED;
	}
	if (protocol != IPPROTO_TCP && protocol != IPPROTO_UDP && protocol != IPPROTO_ICMP && protocol != 58)
		return XDP_ABORTED;
	l4_protocol = protocol;
	if (ihl > 60 || l4len > MAX_L3)
		return XDP_ABORTED;
	/* an odd length is padded with zero, as the checksum's definition says */
	for (i = 0; i < 4; i++)
		scratch[ihl + l4len + i] = 0;
	rounded = (l4len + 3) & ~3U;
	if (rounded > MAX_L3)
		return XDP_ABORTED;
	l4_ok = folds_to_ones(bpf_csum_diff(0, 0, (__be32 *)&scratch[ihl], rounded, seed));
	return ip_ok && l4_ok ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
