/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Fills the common fields shared by every event (see events.h). */
#ifndef JUNIT_EBPF_TASK_BPF_H
#define JUNIT_EBPF_TASK_BPF_H

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

/*
 * Makes clang emit an event struct into the object's BTF (a ring buffer map
 * has no value type to carry it), so user space can read the event layout.
 * Costs one pointer in .bss.
 */
#define EMIT_EVENT_TYPE(tag) struct tag *tag##_type __attribute__((unused))

/* Copy a string literal into a fixed char[] without a helper call. */
#define SET_NAME(dst, literal)                                         \
	do {                                                           \
		_Static_assert(sizeof(literal) <= sizeof(dst), "name too long"); \
		__builtin_memcpy((dst), (literal), sizeof(literal));   \
	} while (0)

static __always_inline void fill_task_info(struct task_info *info)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct task_struct *parent = BPF_CORE_READ(task, real_parent);

	info->timestamp_ns = bpf_ktime_get_ns();
	info->tgid = bpf_get_current_pid_tgid() >> 32;
	info->uid = (__u32)bpf_get_current_uid_gid();
	info->ppid = BPF_CORE_READ(parent, tgid);
	bpf_get_current_comm(info->comm, sizeof(info->comm));
	BPF_CORE_READ_STR_INTO(&info->parent_comm, parent, comm);
}

#endif /* JUNIT_EBPF_TASK_BPF_H */
