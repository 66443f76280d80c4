/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Fills the common fields shared by every event (see events.h). */
#ifndef JUNIT_EBPF_TASK_BPF_H
#define JUNIT_EBPF_TASK_BPF_H

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "junit_ebpf.h"

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
