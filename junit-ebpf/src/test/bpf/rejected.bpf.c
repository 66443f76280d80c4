// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * rejected: an object the verifier refuses, for junit-ebpf's
 * @ExpectVerifierFailure tests. reads_past_value reads 8 bytes past the end
 * of an 8-byte map value, which the verifier reports as "invalid access to
 * map value".
 */
#include "junit_ebpf_core.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} values SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int reads_past_value(void *ctx)
{
	__u32 zero = 0;
	__u64 *value = bpf_map_lookup_elem(&values, &zero);

	if (!value)
		return 0;
	return (int)*(volatile __u64 *)(value + 1); /* one past the end */
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
