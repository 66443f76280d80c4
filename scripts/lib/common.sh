# shellcheck shell=bash
# Shared helpers for scripts/*. Source it; do not run it.

# shellcheck disable=SC2034 # read by the scripts that source this file
JUNIT_EBPF_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Finds a JDK 25 or newer and exports JAVA_HOME; the default java on many machines is older.
select_jdk() {
    local candidate version
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/java-25-* /usr/lib/jvm/*25* /usr/lib/jvm/*; do
        [[ -n "$candidate" && -x "$candidate/bin/javac" ]] || continue
        version="$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
        if [[ "${version%%.*}" =~ ^[0-9]+$ && "${version%%.*}" -ge 25 ]]; then
            export JAVA_HOME="$candidate"
            export PATH="$JAVA_HOME/bin:$PATH"
            return 0
        fi
    done
    die "no JDK 25 found under /usr/lib/jvm (junit-ebpf needs the FFM API of Java 22+ and targets 25); install one, e.g. Temurin 25, or set JAVA_HOME"
}

# Mounts tracefs when it is missing and we are root: tracepoint attach needs it.
mount_tracefs() {
    if [[ -e /sys/kernel/tracing/events ]]; then
        return 0
    fi
    if [[ $(id -u) -ne 0 ]]; then
        say "tracefs is not mounted and we are not root: tracepoint tests will report it"
        return 0
    fi
    mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null \
        || say "could not mount tracefs on /sys/kernel/tracing: tracepoint tests will report it"
}
