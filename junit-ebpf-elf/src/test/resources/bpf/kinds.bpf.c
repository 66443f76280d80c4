// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The BPF object the ELF and BTF readers are tested on, built by the tests with clang -target bpf -g
 * (BinUtils.compileBpfObject). No kernel headers: this module is built before the Maven plugin that
 * compiles the project's other BPF C. Its types cover the BTF kinds a BPF object's own C produces, and
 * its program's references to globals give .rel sections.
 */
typedef unsigned long long __u64;
typedef unsigned int __u32;
typedef long long __s64;

enum colour { RED, GREEN = 5, BLUE = -1 };
enum wide { WIDE = 0x100000000ULL };

struct task_info {
    __u64 timestamp_ns;
    __u32 tgid;
    char comm[16];
};

union value {
    __u64 u;
    __s64 s;
};

struct kinds_event {
    char name[16];
    struct task_info task;
    __u64 x;
    union value v;
    enum colour colour;
    enum wide wide;
    unsigned int flag : 1;
    unsigned int level : 3;
    const volatile __u32 *where;
    struct kinds_event *next;
    int (*callback)(int, char *);
};

struct kinds_event last_event = {};
__u64 counter;
const volatile __u32 limit = 7;

__attribute__((section("xdp"), used))
int count_packets(void *ctx)
{
    counter++;
    last_event.x = counter;
    return limit > counter ? 2 : 1;
}

char _license[] __attribute__((section("license"), used)) = "GPL";
