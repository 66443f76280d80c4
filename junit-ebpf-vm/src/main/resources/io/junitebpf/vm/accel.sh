# shellcheck shell=bash
# QEMU accelerator choice for guests (guest.sh, scripts/kernel-matrix; sourced; defines functions only).
#
# A /dev/kvm that exists is no proof that KVM works: on some machines QEMU aborts at once under
# `-accel kvm -cpu host` (failed to set MSR 0x10a, assertion in kvm_buf_set_msrs), or the guest spins
# and prints nothing. So "auto" boots the guest kernel once under KVM with a tiny init that only prints a
# marker, and keeps KVM only when the marker arrives in time; otherwise it falls back to TCG and says why.
# Tested by scripts/lib/kernel-matrix/accel-test.

# The architecture guests run: the host's (GUEST_ARCH overrides it, for the tests of these decisions).
guest_arch() { echo "${GUEST_ARCH:-$(uname -m)}"; }

# The QEMU binary for the guest architecture.
qemu_binary() {
  if [[ -n "${QEMU:-}" ]]; then echo "$QEMU"; return; fi
  echo "qemu-system-$(guest_arch)"
}

# arch_qemu_args: sets ARCH_ARGS (machine options QEMU needs for the architecture) and ARCH_CONSOLE (the serial
# console's device name in the guest). x86-64: the default PC machine, ttyS0; arm64: the virt machine (GIC version
# as the host or TCG can give), whose PL011 UART is ttyAMA0.
# shellcheck disable=SC2034,SC2054 # ARCH_ARGS and ARCH_CONSOLE are results; the commas separate QEMU sub-options
arch_qemu_args() {
  case "$(guest_arch)" in
    x86_64) ARCH_ARGS=(); ARCH_CONSOLE=ttyS0 ;;
    aarch64) ARCH_ARGS=(-machine virt,gic-version=max); ARCH_CONSOLE=ttyAMA0 ;;
    *) return 1 ;;
  esac
}

# choose_accel REQUEST VMLINUX INITRAMFS
# REQUEST is auto, kvm or tcg. Sets ACCEL (kvm|tcg), CPU (QEMU -cpu) and ACCEL_REASON (one line).
# "kvm" fails (returns 1, ACCEL_REASON says why) when the probe boot fails; "auto" falls back to TCG.
# shellcheck disable=SC2034 # ACCEL, CPU and ACCEL_REASON are this function's results
choose_accel() {
  local request=$1 vmlinux=$2 initramfs=$3
  local device=${KVM_DEVICE:-/dev/kvm} limit=${KERNEL_MATRIX_ACCEL_PROBE_TIMEOUT:-30}
  ACCEL=tcg CPU=max
  case "$request" in
    tcg) ACCEL_REASON="tcg requested"; return 0 ;;
    auto|kvm) ;;
    *) ACCEL_REASON="unknown accelerator '$request' (use auto, kvm or tcg)"; return 1 ;;
  esac
  if [[ ! -e "$device" ]]; then
    ACCEL_REASON="no $device"
  elif [[ ! -r "$device" || ! -w "$device" ]]; then
    ACCEL_REASON="$device is not readable and writable by $(id -un)"
  else
    local why
    if why=$(probe_kvm "$vmlinux" "$initramfs" "$limit"); then
      ACCEL=kvm CPU=host ACCEL_REASON="a probe boot under KVM reached the guest's init ($why)"
      return 0
    fi
    ACCEL_REASON="a probe boot under KVM failed: $why"
  fi
  if [[ "$request" == kvm ]]; then return 1; fi
  ACCEL_REASON="$ACCEL_REASON; using TCG"
  return 0
}

# probe_kvm VMLINUX INITRAMFS SECONDS: boots with km_probe=1 (guest-init prints the marker and powers
# off). Prints the elapsed time on success, or the reason on failure (QEMU's last message, or the timeout).
probe_kvm() {
  local vmlinux=$1 initramfs=$2 limit=$3 dir rc=0 start
  arch_qemu_args || { echo "no QEMU machine known for $(guest_arch) (x86_64 and aarch64 are)"; return 1; }
  dir=$(mktemp -d "${TMPDIR:-/tmp}/kvm-probe.XXXXXX")
  start=$SECONDS
  timeout -k 5 "$limit" "$(qemu_binary)" "${ARCH_ARGS[@]}" -accel kvm -cpu host -nodefaults -no-reboot -m 256M \
    -display none -monitor none -serial "file:$dir/serial.log" \
    -kernel "$vmlinux" -initrd "$initramfs" -append "quiet panic=-1 console=$ARCH_CONSOLE km_probe=1" \
    > "$dir/qemu.log" 2>&1 < /dev/null || rc=$?
  if grep -aq 'KERNEL-MATRIX-ACCEL-OK' "$dir/serial.log" 2>/dev/null; then
    echo "$((SECONDS - start)) s"
    rm -rf "$dir"
    return 0
  fi
  if [[ $rc -eq 124 || $rc -eq 137 ]]; then
    echo "no guest output within ${limit} s"
  else
    local last
    last=$(grep -av '^[[:space:]]*$' "$dir/qemu.log" | tail -n 1)
    echo "QEMU exited with status $rc${last:+: $last}"
  fi
  rm -rf "$dir"
  return 1
}
