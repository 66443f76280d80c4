// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Reports every greeter:hello USDT probe hit: who fired it, the name greeted, and the delta. */
#include "junit_ebpf_core.h"
#include "junit_ebpf.h"
#include <bpf/usdt.bpf.h>

struct hello_event {
	__u32 tgid;
	__s32 delta;
	char name[16];
};
JUNIT_EBPF_EVENT(struct hello_event);
JUNIT_EBPF_RINGBUF(events, 64 * 1024);

SEC("usdt")
int BPF_USDT(on_hello, const char *name, int delta)
{
	struct hello_event *e = JUNIT_EBPF_RESERVE(events, struct hello_event);

	if (!e)
		return 0;
	e->tgid = bpf_get_current_pid_tgid() >> 32;
	e->delta = delta;
	bpf_probe_read_user_str(e->name, sizeof(e->name), name);
	junit_ebpf_submit(e);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
