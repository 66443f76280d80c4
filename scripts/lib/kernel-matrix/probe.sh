#!/bin/bash
# Feature probe run on every kernel-matrix column before the tests. Prints key=value lines.
set -u

yn() { if "$@"; then echo yes; else echo no; fi; }

echo "kernel=$(uname -r)"
echo "kernel_version=$(uname -v | tr -d '\n')"
echo "machine=$(uname -m)"

# tracefs: guests mount it in their init; on the host mount it if we can (root) and it is not
if [ ! -e /sys/kernel/tracing/events ] && [ "$(id -u)" = 0 ]; then
  mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
fi
if [ -e /sys/kernel/tracing/events ]; then T=/sys/kernel/tracing
elif [ -e /sys/kernel/debug/tracing/events ]; then T=/sys/kernel/debug/tracing
else T=""
fi
echo "tracefs=$( [ -n "$T" ] && echo yes || echo no)"
echo "btf=$(yn test -e /sys/kernel/btf/vmlinux)"
echo "kprobes=$(yn test -n "$T" -a -e "$T/kprobe_events")"
echo "uprobes=$(yn test -n "$T" -a -e "$T/uprobe_events")"
echo "syscall_tracepoints=$(yn test -n "$T" -a -d "$T/events/syscalls")"
if [ -r /sys/kernel/security/lockdown ]; then
  echo "lockdown=$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/security/lockdown)"
fi

# libbpf as the tests' dynamic loader would find it
lib=""
for d in /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu /usr/lib64 /usr/lib /usr/local/lib; do
  if [ -e "$d/libbpf.so.1" ] || [ -e "$d/libbpf.so.0" ]; then
    lib=$(readlink -f "$d/libbpf.so.1" 2>/dev/null || readlink -f "$d/libbpf.so.0")
    break
  fi
done
if [ -n "$lib" ]; then
  v=$(basename "$lib" | sed -n 's/^libbpf\.so\.//p')
  echo "libbpf=${v:-unknown} ($lib)"
elif command -v dpkg-query >/dev/null; then
  echo "libbpf=$(dpkg-query -W -f '${Version}' libbpf1 2>/dev/null || echo none)"
else
  echo "libbpf=none"
fi

# BPF features from bpftool (loads small probe programs; needs root). Ubuntu's /usr/sbin/bpftool
# is a wrapper for the running kernel's linux-tools, which a guest kernel does not have: also try
# the real binaries.
bpftool=""
for b in "$(command -v bpftool 2>/dev/null)" /usr/sbin/bpftool /usr/lib/linux-tools/*/bpftool; do
  if [ -n "$b" ] && [ -x "$b" ] && "$b" version >/dev/null 2>&1; then bpftool=$b; break; fi
done
out=""
if [ -n "$bpftool" ]; then
  echo "bpftool=$("$bpftool" version 2>/dev/null | head -n1 | sed 's/^[^ ]*bpftool //')"
  out=$("$bpftool" feature probe kernel 2>/dev/null)
else
  echo "bpftool=none"
fi
if [ -n "$out" ]; then
  echo "bpf_syscall=$(yn grep -q 'bpf() syscall is available' <<<"$out")"
  echo "ringbuf=$(yn grep -q "map_type ringbuf is available" <<<"$out")"
  echo "bpf_cookie=$(yn grep -q 'bpf_get_attach_cookie' <<<"$out")"
  echo "prog_tracing=$(yn grep -q "program_type tracing is available" <<<"$out")"
else
  # no usable bpftool: kernel-version heuristics (ring buffer 5.8, cookies 5.15)
  IFS=. read -r maj min _ <<<"$(uname -r)"
  n=$((maj * 1000 + ${min%%[!0-9]*}))
  echo "ringbuf=$( [ $n -ge 5008 ] && echo 'yes (by version)' || echo 'no (by version)')"
  echo "bpf_cookie=$( [ $n -ge 5015 ] && echo 'yes (by version)' || echo 'no (by version)')"
fi
