#!/usr/bin/env bash
# shellcheck shell=bash
# Guests for other kernels: fetch a Debian kernel (or take a user's image), prepare a bootable guest (uncompressed
# vmlinux, busybox initramfs with the 9p modules and guest-init), and boot it under QEMU with the host root shared
# read-only over 9p and one directory shared read-write at the same absolute path.
#
# The one copy of this plumbing: the VM runtime (io.junitebpf:junit-ebpf-vm) extracts this file, guest-init and
# accel.sh from its jar and runs it; scripts/kernel-matrix sources it from the module's resources.
#
# Sourced: defines functions; the caller sets CACHE_DIR (and NO_INSTALL=1 to never apt-get install) and may
# define die() and log(). Run directly:
#   guest.sh prepare CACHE_DIR KERNEL [MODULES_DIR]   prints the guest directory (KERNEL: 5.10 6.1 6.12 latest
#                                                     or the path of a kernel image)
#   guest.sh accel REQUEST GUEST_DIR                  prints "ACCEL CPU" and then the reason (accel.sh)
#   guest.sh boot GUEST_DIR SHARE_DIR NAME SERIAL MEMORY SMP ACCEL CPU PIDFILE [WATCH_PID]
#                                                     boots; runs SHARE_DIR/NAME/run.sh in the guest; kills QEMU
#                                                     when WATCH_PID (the JVM that asked) is gone

GUEST_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=accel.sh
source "$GUEST_LIB_DIR/accel.sh"

# kernel name -> Debian suite that packages it
declare -A GUEST_SUITES=([5.10]=bullseye [6.1]=bookworm [6.12]=trixie [latest]=sid)
GUEST_MODULES=(9pnet_virtio 9p virtio_pci)

declare -F die >/dev/null || die() { echo "guest: $*" >&2; exit 2; }
declare -F log >/dev/null || log() { echo "guest: $*" >&2; }

# Debian's name for the guest architecture (kernel packages are per architecture)
deb_arch() {
  case "$(guest_arch)" in x86_64) echo amd64 ;; aarch64) echo arm64 ;; *) guest_arch ;; esac
}

find_qboot() {
  local f
  for f in /usr/share/qemu/qboot.rom /usr/share/qboot/bios.bin /usr/share/qemu/qboot.bin; do
    [[ -f "$f" ]] && { echo "$f"; return 0; }
  done
  return 1
}

ensure_tools() {
  local missing=() pkgs=()
  command -v apt-get >/dev/null || die "apt-get is needed to fetch Debian kernels"
  command -v dpkg-deb >/dev/null || missing+=(dpkg)
  if ! command -v "$(qemu_binary)" >/dev/null; then
    case "$(guest_arch)" in aarch64) pkgs+=(qemu-system-arm) ;; *) pkgs+=(qemu-system-x86) ;; esac
  fi
  dpkg -s busybox-static >/dev/null 2>&1 || pkgs+=(busybox-static)
  command -v depmod >/dev/null || [[ -x /sbin/depmod ]] || pkgs+=(kmod)
  command -v zstd >/dev/null || pkgs+=(zstd)
  command -v xz >/dev/null || pkgs+=(xz-utils)
  command -v cpio >/dev/null || pkgs+=(cpio)
  [[ -f /usr/share/keyrings/debian-archive-keyring.gpg ]] || pkgs+=(debian-archive-keyring)
  [[ "$(guest_arch)" != x86_64 ]] || find_qboot >/dev/null || pkgs+=(qemu-system-data)
  [[ ${#missing[@]} -eq 0 ]] || die "missing: ${missing[*]}"
  [[ ${#pkgs[@]} -gt 0 ]] || return 0
  if [[ $(id -u) -eq 0 && -z "${NO_INSTALL:-}" ]]; then
    log "installing ${pkgs[*]}"
    apt-get update -qq >/dev/null || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null \
      || die "apt-get install ${pkgs[*]} failed"
  else
    die "missing tools (install them with: sudo apt-get install ${pkgs[*]})"
  fi
  [[ "$(guest_arch)" != x86_64 ]] || find_qboot >/dev/null \
    || log "qboot.rom not found; guests boot with QEMU's default BIOS (slower)"
}

# ---------------------------------------------------------------------------------------------
# Private apt configuration for Debian kernels
debian_mirror() {
  local env_mirror=${JUNIT_EBPF_VM_MIRROR:-${KERNEL_MATRIX_MIRROR:-}}
  if [[ -n "$env_mirror" ]]; then echo "$env_mirror"; return; fi
  local f url
  # deb822 sources: URIs lines; one-line sources: 'deb [opts] URL suite ...'
  for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] || continue
    url=$( { sed -n 's/^URIs:[[:space:]]*//p' "$f"; \
             sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]\+\).*/\2/p' "$f"; } \
           | tr ' ' '\n' | grep -E '^https?://[^ ]*/debian/?$' | head -n1 || true)
    if [[ -n "$url" ]]; then echo "${url%/}"; return; fi
  done
  die "no Debian mirror found in /etc/apt/sources.list* (set JUNIT_EBPF_VM_MIRROR=http://<mirror>/debian)"
}

APT_OPTS=()
apt_setup() {
  [[ ${#APT_OPTS[@]} -eq 0 ]] || return 0
  local apt_dir="$CACHE_DIR/apt" arch
  arch=$(deb_arch)
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/etc"
  local mirror; mirror=$(debian_mirror) || exit 2
  local kr=/usr/share/keyrings/debian-archive-keyring.gpg s
  : > "$apt_dir/etc/sources.list.new"
  for s in bullseye bookworm trixie sid; do
    echo "deb [arch=$arch signed-by=$kr] $mirror $s main" >> "$apt_dir/etc/sources.list.new"
  done
  mv "$apt_dir/etc/sources.list.new" "$apt_dir/etc/sources.list"
  APT_OPTS=(-o "Dir::Etc::SourceList=$apt_dir/etc/sources.list" -o Dir::Etc::SourceParts=/dev/null
            -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
            -o "APT::Architecture=$arch" -o APT::Sandbox::User=root -o Debug::NoLocking=1)
  # refresh the package lists at most once a day
  local stamp="$apt_dir/lists/.updated-with-sid"
  if [[ ! -f "$stamp" || -n "$(find "$stamp" -mmin +1440 2>/dev/null)" ]]; then
    log "apt-get update (bullseye, bookworm, trixie, sid from $mirror)"
    apt-get "${APT_OPTS[@]}" -qq update >"$apt_dir/update.log" 2>&1 \
      || die "apt-get update from $mirror failed: $(tail -n 3 "$apt_dir/update.log" | tr '\n' ' ')"
    touch "$stamp"
  fi
}

# newest linux-image-<ver>-<arch>-unsigned package for a kernel series (5.10, 6.1, 6.12), or of all
# of them for "latest" (sid carries Debian's newest kernel)
kernel_package() {
  local series=$1 pattern arch
  arch=$(deb_arch)
  # sid's kernels (7.x) come as linux-image-V-ARCH with the image and modules in linux-binary-V and
  # linux-modules-V (prepare_guest downloads those too); older suites have an -unsigned package
  if [[ "$series" == latest ]]; then pattern="^linux-image-[0-9][^ ]*-$arch(-unsigned)?\$"
  else pattern="^linux-image-${series//./\\.}[.-][0-9][^ ]*-$arch-unsigned\$"
  fi
  apt-cache "${APT_OPTS[@]}" pkgnames linux-image- 2>/dev/null \
    | grep -E "$pattern" \
    | grep -vE -- "-(rt|cloud)-$arch" | sort -V | tail -n1
}

# ---------------------------------------------------------------------------------------------
# Guest preparation (cached per kernel package)
# a kernel QEMU can boot with -kernel: an ELF vmlinux (x86-64) or an arm64 Image ("ARMd" at byte 56)
bootable_kernel() {
  [[ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" == '177ELF' || "$(head -c 60 "$1" | tail -c 4 | od -An -c | tr -d ' ')" == 'ARMd' ]]
}

extract_vmlinux() {  # vmlinuz (or an arm64 Image.gz) -> uncompressed kernel
  local in=$1 out=$2 off tool
  if bootable_kernel "$in"; then cp "$in" "$out"; return 0; fi
  # each compressor's magic bytes, as a grep -P pattern
  for spec in 'xz:\xFD\x37\x7A\x58\x5A\x00' 'zstd:\x28\xB5\x2F\xFD' 'gzip:\x1F\x8B\x08'; do
    tool=${spec%%:*}
    off=$(LC_ALL=C grep -obUaP "${spec#*:}" "$in" | head -n1 | cut -d: -f1 || true)
    [[ -n "$off" ]] || continue
    case "$tool" in
      xz) tail -c +$((off + 1)) "$in" | xz -dc 2>/dev/null > "$out.tmp" || true ;;
      zstd) tail -c +$((off + 1)) "$in" | zstd -dcq 2>/dev/null > "$out.tmp" || true ;;
      gzip) tail -c +$((off + 1)) "$in" | gzip -dc 2>/dev/null > "$out.tmp" || true ;;
    esac
    if bootable_kernel "$out.tmp"; then
      mv "$out.tmp" "$out"; return 0
    fi
  done
  rm -f "$out.tmp"; return 1
}

# collect_modules ROOT VER GDIR: the 9p/virtio modules in load order, decompressed (busybox insmod may not
# read .xz/.zst), into GDIR/modules with the order in GDIR/modules/load
collect_modules() {
  local root=$1 ver=$2 gdir=$3 kind path m
  : > "$gdir/modules/load"
  while read -r kind path _; do
    [[ "$kind" == insmod ]] || continue
    m=$(basename "$path"); m=${m%.xz}; m=${m%.zst}
    case "$path" in
      *.xz) xz -dc "$path" > "$gdir/modules/$m" ;;
      *.zst) zstd -dcq "$path" > "$gdir/modules/$m" ;;
      *) cp "$path" "$gdir/modules/$m" ;;
    esac
    grep -qx "$m" "$gdir/modules/load" || echo "$m" >> "$gdir/modules/load"
  done < <(modprobe -d "$root" -S "$ver" --show-depends -a "${GUEST_MODULES[@]}" 2>/dev/null)
}

# "yes", "no" or "unknown": whether a kernel config file says the kernel has BTF (CO-RE needs it)
config_btf() {
  local config=$1
  if [[ ! -f "$config" ]]; then echo unknown
  elif grep -q '^CONFIG_DEBUG_INFO_BTF=y' "$config"; then echo yes
  else echo no
  fi
}

prepare_guest() {  # prepare_guest 5.10|6.1|6.12|latest: prints the guest directory
  local k=$1 pkg gdir tmp ver root
  [[ -n "${GUEST_SUITES[$k]:-}" ]] || die "unknown kernel '$k' (known: 5.10 6.1 6.12 latest, or the path of a kernel image)"
  # which package a name means is looked up at most once a day, as the package lists are refreshed: the
  # lookup reads the lists of four suites (about 15 s on a busy 2-core machine)
  local resolved="$CACHE_DIR/resolved/$k"
  if [[ -f "$resolved" && -z "$(find "$resolved" -mmin +1440 2>/dev/null)" ]]; then
    gdir=$(cat "$resolved")
    if [[ -f "$gdir/ready" ]]; then build_initramfs "$gdir"; echo "$gdir"; return 0; fi
  fi
  apt_setup
  pkg=$(kernel_package "$k")
  [[ -n "$pkg" ]] || die "no linux-image package for $k in Debian ${GUEST_SUITES[$k]}"
  gdir="$CACHE_DIR/guests/$pkg"
  if [[ ! -f "$gdir/ready" ]]; then
    log "$k: preparing guest from $pkg"
    rm -rf "$gdir"; mkdir -p "$gdir/modules"
    tmp=$(mktemp -d "$CACHE_DIR/prep.XXXXXX")
    local parts
    parts=$(apt-cache "${APT_OPTS[@]}" depends "$pkg" 2>/dev/null \
      | sed -n 's/^ *Depends: \(linux-\(binary\|modules\)-[^ ]*\).*/\1/p' | sort -u | tr '\n' ' ')
    # shellcheck disable=SC2086 # parts is a list of package names
    ( cd "$tmp" && apt-get "${APT_OPTS[@]}" -qq download "$pkg" $parts >/dev/null ) \
      || die "apt-get download $pkg $parts failed"
    root="$tmp/root"; mkdir -p "$root"
    for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$root"; done
    [[ -d "$root/lib/modules" ]] || { mkdir -p "$root/lib"; ln -s ../usr/lib/modules "$root/lib/modules"; }
    ver=$(find "$root/lib/modules/" -mindepth 1 -maxdepth 1 -printf '%f\n' | head -n1)
    [[ -n "$ver" ]] || die "$pkg has no modules"
    local vmlinuz="$root/boot/vmlinuz-$ver"
    [[ -f "$vmlinuz" ]] || vmlinuz="$root/lib/modules/$ver/vmlinuz"
    extract_vmlinux "$vmlinuz" "$gdir/vmlinux" || die "cannot decompress the kernel image of $pkg ($vmlinuz)"
    config_btf "$root/boot/config-$ver" > "$gdir/btf"
    depmod -b "$root" "$ver"
    collect_modules "$root" "$ver" "$gdir"
    echo "$ver" > "$gdir/version"
    echo "$pkg" > "$gdir/package"
    rm -rf "$tmp"
    touch "$gdir/ready"
  fi
  build_initramfs "$gdir"
  mkdir -p "$CACHE_DIR/resolved"
  echo "$gdir" > "$resolved"
  echo "$gdir"
}

# prepare_image IMAGE [MODULES_DIR]: a guest from a user's kernel image (bzImage/vmlinuz or ELF vmlinux) and,
# when 9p/virtio are modules, its lib/modules/VERSION directory; prints the guest directory
prepare_image() {
  local image=$1 modules=${2:-} key gdir ver tmp
  [[ -f "$image" ]] || die "kernel image $image does not exist"
  [[ -z "$modules" || -d "$modules" ]] || die "modules directory $modules does not exist"
  key=$(printf '%s\n' "$(realpath "$image")" "$(stat -c %s.%Y "$image")" "${modules:+$(realpath "$modules")}" \
        | sha256sum | cut -c1-16)
  gdir="$CACHE_DIR/guests/image-$key"
  if [[ ! -f "$gdir/ready" ]]; then
    log "preparing guest from $image${modules:+ with modules from $modules}"
    rm -rf "$gdir"; mkdir -p "$gdir/modules"
    extract_vmlinux "$image" "$gdir/vmlinux" \
      || die "cannot find an uncompressed or xz/zstd/gzip-compressed ELF kernel in $image"
    : > "$gdir/modules/load"
    ver=custom
    if [[ -n "$modules" ]]; then
      ver=$(basename "$(realpath "$modules")")
      tmp=$(mktemp -d "$CACHE_DIR/prep.XXXXXX")
      mkdir -p "$tmp/lib/modules"
      cp -a "$(realpath "$modules")" "$tmp/lib/modules/$ver"
      [[ -f "$tmp/lib/modules/$ver/modules.dep" ]] || depmod -b "$tmp" "$ver"
      collect_modules "$tmp" "$ver" "$gdir"
      config_btf "$modules/build/.config" > "$gdir/btf"
      rm -rf "$tmp"
    else
      echo unknown > "$gdir/btf"
    fi
    echo "$ver" > "$gdir/version"
    echo "$image" > "$gdir/package"
    touch "$gdir/ready"
  fi
  build_initramfs "$gdir"
  echo "$gdir"
}

# initramfs: static busybox, the modules, guest-init (rebuilt when guest-init changes)
build_initramfs() {
  local gdir=$1 tmp ir
  if [[ ! -f "$gdir/initramfs.cpio" || "$GUEST_LIB_DIR/guest-init" -nt "$gdir/initramfs.cpio" ]] \
     || ! cmp -s "$GUEST_LIB_DIR/guest-init" "$gdir/init"; then
    tmp=$(mktemp -d "$CACHE_DIR/prep.XXXXXX")
    ir="$tmp/initramfs"
    mkdir -p "$ir"/{bin,dev,proc,sys,newroot}
    cp /bin/busybox "$ir/bin/busybox"
    cp -a "$gdir/modules" "$ir/modules"
    cp "$GUEST_LIB_DIR/guest-init" "$ir/init"; chmod 755 "$ir/init"
    ( cd "$ir" && find . | LC_ALL=C sort | cpio -o -H newc --quiet ) > "$gdir/initramfs.cpio.new"
    mv "$gdir/initramfs.cpio.new" "$gdir/initramfs.cpio"
    cp "$GUEST_LIB_DIR/guest-init" "$gdir/init"
    rm -rf "$tmp"
  fi
}

# guest_qemu_args GUEST_DIR SHARE_DIR NAME SERIAL MEMORY SMP ACCEL CPU: sets QEMU_ARGS; the guest mounts
# SHARE_DIR read-write at the same path and runs SHARE_DIR/NAME/run.sh (guest-init)
QEMU_ARGS=()
guest_qemu_args() {
  local gdir=$1 share=$2 name=$3 serial=$4 memory=$5 smp=$6 accel=$7 cpu=$8 qboot bios=()
  arch_qemu_args || die "no QEMU machine known for $(guest_arch) (x86_64 and aarch64 are)"
  # qboot: a fast x86 firmware; the arm64 virt machine boots -kernel without one
  if [[ "$(guest_arch)" == x86_64 ]] && qboot=$(find_qboot); then bios=(-bios "$qboot"); fi
  # shellcheck disable=SC2054 # the commas separate QEMU sub-options
  QEMU_ARGS=("${ARCH_ARGS[@]}" -accel "$accel" -cpu "$cpu" "${bios[@]}"
    -nodefaults -no-reboot -m "$memory" -smp "$smp" -display none -monitor none
    -serial "file:$serial"
    -kernel "$gdir/vmlinux" -initrd "$gdir/initramfs.cpio"
    -append "quiet panic=-1 mitigations=off console=$ARCH_CONSOLE km_out=$share km_kernel=$name"
    -fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap
    -device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot
    -fsdev "local,id=results,path=$share,security_model=none,multidevs=remap"
    -device virtio-9p-pci,fsdev=results,mount_tag=results)
}

# start_ticks PID: when PID started, in clock ticks since boot (field 22 of /proc/PID/stat), or nothing when no
# live process has that pid (gone, or dead and waiting to be reaped). A pid names the same process while this
# answer stays the same: a pid that was freed and given to another process answers differently.
start_ticks() {
  local stat fields
  { stat=$(< "/proc/$1/stat"); } 2>/dev/null || return 0
  read -ra fields <<< "${stat##*) }" # after the command name, which may hold spaces: field 3 on
  [[ ${fields[0]} != Z && ${fields[0]} != X ]] && echo "${fields[19]}"
  return 0
}

# boot_guest GUEST_DIR SHARE_DIR NAME SERIAL MEMORY SMP ACCEL CPU PIDFILE [WATCH_PID]: runs QEMU until the guest
# powers off; kills it when this script is terminated or the process WATCH_PID names now ends (a later process
# given the same pid does not keep QEMU alive)
boot_guest() {
  local pidfile=$9 watch=${10:-} watch_start="" qpid rc=0
  if [[ -n "$watch" ]]; then
    watch_start=$(start_ticks "$watch")
    [[ -n "$watch_start" ]] || { log "the JVM $watch that asked for this guest is gone already"; return 1; }
  fi
  guest_qemu_args "${@:1:8}"
  "$(qemu_binary)" "${QEMU_ARGS[@]}" -pidfile "$pidfile" < /dev/null &
  qpid=$!
  # shellcheck disable=SC2064 # qpid is fixed now
  trap "kill $qpid 2>/dev/null; wait $qpid 2>/dev/null; rm -f '$pidfile'; exit 143" TERM INT HUP
  while kill -0 "$qpid" 2>/dev/null; do
    if [[ -n "$watch" && "$(start_ticks "$watch")" != "$watch_start" ]]; then
      log "the JVM $watch that started this guest is gone; stopping QEMU $qpid"
      kill "$qpid" 2>/dev/null
    fi
    sleep 1 & wait $!
  done
  wait "$qpid" || rc=$?
  rm -f "$pidfile"
  return "$rc"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  cmd=${1:-}
  shift || true
  case "$cmd" in
    prepare)
      [[ $# -ge 2 ]] || die "usage: guest.sh prepare CACHE_DIR KERNEL [MODULES_DIR]"
      CACHE_DIR=$1; mkdir -p "$CACHE_DIR"
      ensure_tools
      # one preparer at a time per cache: other JVMs (parallel builds) wait and then find the guest ready
      exec 9> "$CACHE_DIR/prepare.lock"
      flock 9
      case "$2" in
        */*) prepare_image "$2" "${3:-}" ;;
        *) prepare_guest "$2" ;;
      esac ;;
    accel)
      [[ $# -eq 2 ]] || die "usage: guest.sh accel REQUEST GUEST_DIR"
      rc=0
      choose_accel "$1" "$2/vmlinux" "$2/initramfs.cpio" || rc=$?
      echo "$ACCEL $CPU"
      echo "$ACCEL_REASON"
      exit "$rc" ;;
    boot)
      [[ $# -ge 9 ]] || die "usage: guest.sh boot GUEST_DIR SHARE_DIR NAME SERIAL MEMORY SMP ACCEL CPU PIDFILE [WATCH_PID]"
      boot_guest "$@" ;;
    *) die "usage: guest.sh prepare|accel|boot ... (see the head of this file)" ;;
  esac
fi
