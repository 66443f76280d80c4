// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * attach: one small program per attach kind, each counting into its own .bss
 * counter, for the tests that attach every kind for real (AttachKindsTest,
 * SharedLibraryUprobeTest, UsdtSemaphoreTest; ObjectOptionsTest opens it).
 *
 * The counters only count the process named in .rodata's target_tgid, so the
 * rest of the machine (other builds, other tests) cannot disturb them.
 * on_uprobe also counts every process in uprobe_by_tgid: that is what shows a
 * per-pid attachment really leaves other processes out. Most sections are
 * bare, so the tests choose the target; the two named ones exercise attach().
 * Every program loads on any kernel with BTF, kprobes or not: only attaching
 * a kprobe needs CONFIG_KPROBES.
 */
#include "junit_ebpf_core.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/usdt.bpf.h>

const volatile __u32 target_tgid = 0;
/* The syscall number the raw tracepoint counts apart (getppid: 110 on x86-64, 173 on arm64). */
const volatile __s64 watched_syscall = -1;
/* Which USDT argument on_usdt reads as a number, and the value it counts in usdt_matched. */
const volatile __u32 usdt_number_arg = 0;
const volatile __s64 usdt_match_value = -1;
/* Which USDT argument on_usdt reads as a user-space string into usdt_last_str (-1: none). */
const volatile __s32 usdt_string_arg = -1;

__u64 uprobe_hits = 0;
__u64 uretprobe_hits = 0;
__s64 uretprobe_last_ret = 0;
__u64 raw_tp_hits = 0;
__u64 raw_tp_watched = 0;
__u64 raw_tp_named_hits = 0;
__u64 tp_hits = 0;
__u64 tp_named_hits = 0;
__u32 tp_parent_tgid = 0;
__u64 kprobe_hits = 0;
__u64 ksyscall_hits = 0;
__u64 usdt_hits = 0;
__u64 usdt_matched = 0;
__s64 usdt_last_number = 0;
__u32 usdt_last_arg_cnt = 0;
char usdt_last_str[32] = {};

/* Uprobe hits of every process, by tgid. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} uprobe_by_tgid SEC(".maps");

static __always_inline bool targeted(void)
{
	return (__u32)(bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

static __always_inline void count_tgid(void)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	__u64 one = 1;
	__u64 *count = bpf_map_lookup_elem(&uprobe_by_tgid, &tgid);

	if (count)
		__sync_fetch_and_add(count, 1);
	else
		bpf_map_update_elem(&uprobe_by_tgid, &tgid, &one, BPF_NOEXIST);
}

SEC("uprobe")
int on_uprobe(void *ctx)
{
	count_tgid();
	if (targeted())
		__sync_fetch_and_add(&uprobe_hits, 1);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(on_uretprobe, long ret)
{
	if (targeted()) {
		__sync_fetch_and_add(&uretprobe_hits, 1);
		uretprobe_last_ret = ret;
	}
	return 0;
}

/* sys_enter's raw arguments: (struct pt_regs *regs, long id). */
SEC("raw_tracepoint")
int on_raw_tp(__u64 *ctx)
{
	if (!targeted())
		return 0;
	__sync_fetch_and_add(&raw_tp_hits, 1);
	if ((__s64)ctx[1] == watched_syscall)
		__sync_fetch_and_add(&raw_tp_watched, 1);
	return 0;
}

SEC("raw_tracepoint/sys_enter")
int on_raw_tp_named(__u64 *ctx)
{
	if (targeted() && (__s64)ctx[1] == watched_syscall)
		__sync_fetch_and_add(&raw_tp_named_hits, 1);
	return 0;
}

/* Also reads the caller's parent with CO-RE, so loading needs kernel BTF (what ObjectOptionsTest varies). */
SEC("tracepoint")
int on_tp(void *ctx)
{
	struct task_struct *task;

	if (!targeted())
		return 0;
	__sync_fetch_and_add(&tp_hits, 1);
	task = (struct task_struct *)bpf_get_current_task();
	tp_parent_tgid = BPF_CORE_READ(task, real_parent, tgid);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int on_tp_named(void *ctx)
{
	if (targeted())
		__sync_fetch_and_add(&tp_named_hits, 1);
	return 0;
}

/* Kprobe-type programs load without CONFIG_KPROBES; only attaching needs it. */
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

/* Counts the target's probe hits and records the arguments .rodata chose (any USDT probe, any binary). */
SEC("usdt")
int on_usdt(struct pt_regs *ctx)
{
	long number = 0, str = 0;

	if (!targeted())
		return 0;
	__sync_fetch_and_add(&usdt_hits, 1);
	usdt_last_arg_cnt = bpf_usdt_arg_cnt(ctx);
	if (bpf_usdt_arg(ctx, usdt_number_arg, &number) == 0) {
		usdt_last_number = number;
		if (number == usdt_match_value)
			__sync_fetch_and_add(&usdt_matched, 1);
	}
	if (usdt_string_arg >= 0 && bpf_usdt_arg(ctx, usdt_string_arg, &str) == 0)
		bpf_probe_read_user_str(usdt_last_str, sizeof(usdt_last_str), (const void *)str);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
