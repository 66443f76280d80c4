/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The one ring buffer each reference object writes its events into. */
#ifndef JUNIT_EBPF_RINGBUF_BPF_H
#define JUNIT_EBPF_RINGBUF_BPF_H

#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

#endif /* JUNIT_EBPF_RINGBUF_BPF_H */
