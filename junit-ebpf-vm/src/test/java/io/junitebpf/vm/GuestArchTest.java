package io.junitebpf.vm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The architecture decisions of guest.sh and accel.sh, run by bash with GUEST_ARCH set as an arm64 (or x86-64) host
 * would have it: QEMU binary, machine, console, firmware, CPU, Debian package architecture and kernel format. No
 * guest boots; QEMU is a stand-in that records its arguments.
 */
class GuestArchTest {

    @TempDir
    Path dir;

    @Test
    void anX86HostRunsThePcMachineWithQbootOnTtyS0AndAmd64Packages() throws Exception {
        List<String> out = bash("x86_64", """
                guest_qemu_args /g /share guest /share/serial.log 2G 1 tcg max
                echo "binary=$(qemu_binary) deb=$(deb_arch)"
                printf '%s\\n' "${QEMU_ARGS[@]}"
                """);
        assertThat(out.getFirst()).isEqualTo("binary=qemu-system-x86_64 deb=amd64");
        assertThat(out).doesNotContain("-machine").containsSequence("-accel", "tcg", "-cpu", "max")
                .anySatisfy(a -> assertThat(a).startsWith("quiet ").contains(" console=ttyS0 "));
    }

    @Test
    void anArm64HostRunsTheVirtMachineOnTtyAma0WithoutX86Firmware() throws Exception {
        List<String> out = bash("aarch64", """
                find_qboot() { echo /usr/share/qemu/qboot.rom; }   # even where an x86 firmware is installed
                guest_qemu_args /g /share guest /share/serial.log 2G 2 tcg max
                echo "binary=$(qemu_binary) deb=$(deb_arch)"
                printf '%s\\n' "${QEMU_ARGS[@]}"
                """);
        assertThat(out.getFirst()).isEqualTo("binary=qemu-system-aarch64 deb=arm64");
        assertThat(out).containsSequence("-machine", "virt,gic-version=max", "-accel", "tcg", "-cpu", "max")
                .doesNotContain("-bios")
                .anySatisfy(a -> assertThat(a).startsWith("quiet ").contains(" console=ttyAMA0 "))
                .noneSatisfy(a -> assertThat(a).contains("ttyS0"));
    }

    @Test
    void anArm64ProbeBootUnderKvmUsesTheVirtMachineAndKeepsCpuHost() throws Exception {
        Path qemu = dir.resolve("qemu");
        Files.writeString(qemu, """
                #!/bin/bash
                printf '%s\\n' "$@" > "$ARGS_FILE"
                serial=$(printf '%s\\n' "$@" | sed -n 's/^file://p')
                echo KERNEL-MATRIX-ACCEL-OK > "$serial"
                """);
        qemu.toFile().setExecutable(true);
        Path kvm = Files.createFile(dir.resolve("kvm"));
        Path args = dir.resolve("args");
        List<String> out = bash("aarch64", """
                export QEMU=%s KVM_DEVICE=%s ARGS_FILE=%s
                choose_accel auto vmlinux initramfs
                echo "$ACCEL $CPU"
                """.formatted(qemu, kvm, args));
        assertThat(out.getLast()).isEqualTo("kvm host");
        assertThat(Files.readAllLines(args)).containsSequence("-machine", "virt,gic-version=max", "-accel", "kvm",
                "-cpu", "host").anySatisfy(a -> assertThat(a).contains("console=ttyAMA0 km_probe=1"));
    }

    @Test
    void theArm64KernelPackageIsTheNewestGenericArm64OneOfTheSeries() throws Exception {
        List<String> out = bash("aarch64", """
                apt-cache() {  # the package names a mirror lists for both architectures
                  printf '%s\\n' linux-image-6.1.0-49-arm64-unsigned linux-image-6.1.0-50-arm64-unsigned \\
                    linux-image-6.1.0-50-amd64-unsigned linux-image-6.1.0-50-rt-arm64-unsigned \\
                    linux-image-6.1.0-50-cloud-arm64-unsigned linux-image-6.12.117+deb13-arm64-unsigned \\
                    linux-image-7.2.13+deb14-arm64 linux-image-7.2.13+deb14-amd64
                }
                echo "$(kernel_package 6.1) $(kernel_package 6.12) $(kernel_package latest)"
                """);
        assertThat(out.getLast()).isEqualTo("linux-image-6.1.0-50-arm64-unsigned "
                + "linux-image-6.12.117+deb13-arm64-unsigned linux-image-7.2.13+deb14-arm64");
    }

    @Test
    void anArm64ImageIsBootableAsItIsAndFoundInsideGzip() throws Exception {
        byte[] image = new byte[4096];
        System.arraycopy("ARMd".getBytes(StandardCharsets.US_ASCII), 0, image, 56, 4);
        Files.write(dir.resolve("Image"), image);
        Files.write(dir.resolve("garbage"), new byte[4096]);
        List<String> out = bash("aarch64", """
                cd %s
                gzip -c Image > vmlinuz
                extract_vmlinux vmlinuz out && cmp -s out Image && echo gzip-ok
                bootable_kernel Image && echo image-ok
                bootable_kernel garbage || echo garbage-refused
                """.formatted(dir));
        assertThat(out).containsExactly("gzip-ok", "image-ok", "garbage-refused");
    }

    @Test
    void anArchitectureWithoutAKnownMachineIsRefusedByName() throws Exception {
        List<String> out = bash("riscv64", """
                ( guest_qemu_args /g /share guest /share/serial.log 2G 1 tcg max ) 2>&1 || echo "status $?"
                """);
        assertThat(String.join("\n", out)).contains("no QEMU machine known for riscv64 (x86_64 and aarch64 are)")
                .contains("status 2");
    }

    private List<String> bash(String arch, String script) throws IOException, InterruptedException,
            URISyntaxException {
        return GuestShell.run(dir, arch, script);
    }
}
