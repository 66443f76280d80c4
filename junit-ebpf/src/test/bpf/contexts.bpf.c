// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * contexts: programs whose test-run context goes in and comes back, for
 * TypedContextTest. Each writes into its context (or a global) something that
 * depends on what it was given, so a test can tell the context really went in.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

/* What xdp_seen saw of its struct xdp_md: ingress ifindex, rx queue, metadata length, packet length. */
__u32 xdp_seen[4];

SEC("xdp")
int xdp_seen_ctx(struct xdp_md *ctx)
{
	xdp_seen[0] = ctx->ingress_ifindex;
	xdp_seen[1] = ctx->rx_queue_index;
	xdp_seen[2] = ctx->data - ctx->data_meta;
	xdp_seen[3] = ctx->data_end - ctx->data;
	return XDP_PASS;
}

/* tc: mark + 1, priority * 2, cb[0] + 100, cb[4] = the packet's length. */
SEC("tc")
int tc_mark(struct __sk_buff *skb)
{
	skb->mark = skb->mark + 1;
	skb->priority = skb->priority * 2;
	skb->cb[0] = skb->cb[0] + 100;
	skb->cb[4] = skb->len;
	return TC_ACT_OK;
}

/* Flow dissector: reports the flags of its input context as the transport offset, and accepts. */
SEC("flow_dissector")
int dissect_flags(struct __sk_buff *skb)
{
	struct bpf_flow_keys *keys = skb->flow_keys;

	keys->nhoff = 0;
	keys->thoff = 20 + keys->flags;
	keys->n_proto = 0x0008; /* ETH_P_IP in network byte order */
	return BPF_OK;
}

struct scale_args {
	__u32 value;
	__u32 factor;
	__u64 product;
};

/* Syscall program: product = value * factor; returns value + factor. */
SEC("syscall")
int scale(struct scale_args *args)
{
	args->product = (__u64)args->value * args->factor;
	return args->value + args->factor;
}

/* A raw tracepoint's arguments as a struct of its own: 8 bytes each. */
struct sys_enter_args {
	__u64 regs;
	__u64 id;
};

/* Raw tracepoint: returns twice the syscall number plus the registers pointer's low bits. */
SEC("raw_tp/sys_enter")
int raw_args(struct sys_enter_args *args)
{
	return (int)args->id * 2 + (int)args->regs;
}

/* Not a raw tracepoint's context: 4 bytes is not a whole argument. */
struct half_args {
	__u32 half;
};

SEC("raw_tp/sys_enter")
int raw_half(struct half_args *args)
{
	return 0;
}

/* What lookup_port saw of its struct bpf_sk_lookup: family, protocol, local port, local IPv4 address. */
__u32 lookup_seen[4];

/* sk_lookup: drops connections to local port 7007, passes the rest. */
SEC("sk_lookup")
int lookup_port(struct bpf_sk_lookup *ctx)
{
	lookup_seen[0] = ctx->family;
	lookup_seen[1] = ctx->protocol;
	lookup_seen[2] = ctx->local_port;
	lookup_seen[3] = ctx->local_ip4;
	return ctx->local_port == 7007 ? SK_DROP : SK_PASS;
}

/* A tracepoint program: the kernel cannot test-run this type, so it has no test-run context. */
SEC("tracepoint/syscalls/sys_enter_getppid")
int no_context(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
