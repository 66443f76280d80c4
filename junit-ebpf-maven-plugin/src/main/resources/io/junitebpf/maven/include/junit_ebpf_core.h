/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel types most tracing programs touch, declared for CO-RE
 * (shipped by junit-ebpf-maven-plugin; include it instead of a vmlinux.h).
 *
 * This replaces a full vmlinux.h so the build never depends on the build
 * machine's kernel BTF. Every struct carries preserve_access_index: libbpf
 * relocates each field access against the running kernel's BTF at load time,
 * so only the names and types matter here, never the offsets or the order.
 * The exception is struct pt_regs, which BPF_KPROBE reads directly: its
 * x86-64 layout is user-visible ABI (asm/ptrace.h) and never changes.
 */
#ifndef JUNIT_EBPF_CORE_H
#define JUNIT_EBPF_CORE_H

/* Tells bpf_tracing.h to use the kernel's pt_regs member names (di, not rdi). */
#define __VMLINUX_H__

typedef signed char __s8;
typedef unsigned char __u8;
typedef short __s16;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef _Bool bool;
#define true 1
#define false 0

typedef int pid_t;
typedef unsigned int uid_t;

enum {
	BPF_ANY = 0,
	BPF_NOEXIST = 1,
	BPF_EXIST = 2,
};

enum bpf_map_type {
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PERF_EVENT_ARRAY = 4,
	BPF_MAP_TYPE_PERCPU_HASH = 5,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_RINGBUF = 27,
};

enum {
	BPF_F_CURRENT_CPU = 0xffffffffULL,
};

#if defined(__TARGET_ARCH_x86)
struct pt_regs {
	unsigned long r15;
	unsigned long r14;
	unsigned long r13;
	unsigned long r12;
	unsigned long bp;
	unsigned long bx;
	unsigned long r11;
	unsigned long r10;
	unsigned long r9;
	unsigned long r8;
	unsigned long ax;
	unsigned long cx;
	unsigned long dx;
	unsigned long si;
	unsigned long di;
	unsigned long orig_ax;
	unsigned long ip;
	unsigned long cs;
	unsigned long flags;
	unsigned long sp;
	unsigned long ss;
};
#elif defined(__TARGET_ARCH_arm64)
struct user_pt_regs {
	__u64 regs[31];
	__u64 sp;
	__u64 pc;
	__u64 pstate;
};
struct pt_regs {
	union {
		struct user_pt_regs user_regs;
		struct {
			__u64 regs[31];
			__u64 sp;
			__u64 pc;
			__u64 pstate;
		};
	};
	__u64 orig_x0;
	__s32 syscallno;
	__u32 unused2;
	__u64 sdei_ttbr1;
	__u64 pmr_save;
	__u64 stackframe[2];
	__u64 lockdep_hardirqs;
	__u64 exit_rcu;
};
#else
#error "set __TARGET_ARCH_x86 or __TARGET_ARCH_arm64"
#endif

typedef struct {
	uid_t val;
} kuid_t;

struct cred {
	kuid_t uid;
} __attribute__((preserve_access_index));

struct task_struct {
	pid_t pid;
	pid_t tgid;
	struct task_struct *real_parent;
	const struct cred *real_cred;
	char comm[16];
} __attribute__((preserve_access_index));

/* The common context of every syscalls/sys_enter_* tracepoint. */
struct trace_entry {
	unsigned short type;
	unsigned char flags;
	unsigned char preempt_count;
	int pid;
} __attribute__((preserve_access_index));

struct trace_event_raw_sys_enter {
	struct trace_entry ent;
	long id;
	unsigned long args[6];
} __attribute__((preserve_access_index));

#endif /* JUNIT_EBPF_CORE_H */
