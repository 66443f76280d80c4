/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The one ring buffer each reference object writes its events into. */
#ifndef JUNIT_EBPF_RINGBUF_BPF_H
#define JUNIT_EBPF_RINGBUF_BPF_H

#include "junit_ebpf.h"

JUNIT_EBPF_RINGBUF(events, 256 * 1024);

#endif /* JUNIT_EBPF_RINGBUF_BPF_H */
