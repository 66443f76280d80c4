// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * attach_kinds: a kprobe and a ksyscall program with bare sections, so the test chooses the kernel function and
 * the syscall (AttachKindsOnKernelTest). Each counts only the process in target_tgid (.bss, set by the test after
 * the load), so nothing else on the machine moves its counter. Both load on any kernel with BTF; attaching needs
 * CONFIG_KPROBES.
 */
#include "junit_ebpf_core.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

__u32 target_tgid = 0;
__u64 kprobe_hits = 0;
__u64 ksyscall_hits = 0;

static __always_inline bool targeted(void)
{
	return (__u32)(bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

SEC("kprobe")
int on_kprobe(void *ctx)
{
	if (targeted())
		__sync_fetch_and_add(&kprobe_hits, 1);
	return 0;
}

SEC("ksyscall")
int on_ksyscall(void *ctx)
{
	if (targeted())
		__sync_fetch_and_add(&ksyscall_hits, 1);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
