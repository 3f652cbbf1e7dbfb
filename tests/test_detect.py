"""Tests for vmconcepts.detect: fake machines in temporary directories, and this real one."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import vmconcepts
from vmconcepts.detect import CONTAINER_NAMES, VM_NAMES, Environment, detect
from vmconcepts.errors import InvalidValueError

# The package re-exports the function detect under the module's own name, so fetch the module.
detect_module = importlib.import_module("vmconcepts.detect")

# ---------------------------------------------------------------------------------------------
# Pieces of real-looking machines
# ---------------------------------------------------------------------------------------------

DMI = "sys/class/dmi/id/"
CLOCKS = "sys/devices/system/clocksource/clocksource0/available_clocksource"
SMBIOS_RAW = "sys/firmware/dmi/entries/0-0/raw"
DIRECTORY = object()  # stands for "a directory here" in a machine's files

X86_FLAGS = (
    "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr"
    " sse sse2 ss ht syscall nx pdpe1gb rdtscp lm constant_tsc rep_good nopl xtopology cpuid"
    " tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt"
    " tsc_deadline_timer aes xsave avx f16c rdrand"
)


def cpuinfo_x86(model: str, *, hypervisor: bool, vendor: str = "GenuineIntel") -> str:
    """The first processor's block of an x86 /proc/cpuinfo."""
    flags = X86_FLAGS + (" hypervisor" if hypervisor else "") + " lahf_lm abm 3dnowprefetch"
    return (
        f"processor\t: 0\nvendor_id\t: {vendor}\ncpu family\t: 6\nmodel\t\t: 85\n"
        f"model name\t: {model}\nstepping\t: 7\nmicrocode\t: 0x5003604\ncpu MHz\t\t: 2499.998\n"
        f"cache size\t: 36608 KB\nphysical id\t: 0\nsiblings\t: 2\ncore id\t\t: 0\n"
        f"fpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: 13\nwp\t\t: yes\n"
        f"flags\t\t: {flags}\nbogomips\t: 4999.99\n\n"
    )


CPUINFO_GRAVITON3 = (
    "processor\t: 0\nBogoMIPS\t: 2100.00\n"
    "Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm"
    " jscvt fcma lrcpc dcpop sha3 sm3 sm4 asimddp sha512 sve asimdfhm dit uscat ilrcpc flagm"
    " ssbs paca pacg dcpodp sve2 sveaes svepmull svebitperm svesha3 svesm4 flagm2 frint svei8mm"
    " svebf16 i8mm bf16 dgh rng\n"
    "CPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x1\nCPU part\t: 0xd40\n"
    "CPU revision\t: 1\n\n"
)

STATUS = (
    "Name:\tpython3\nUmask:\t0022\nState:\tR (running)\nTgid:\t4242\nNgid:\t0\nPid:\t4242\n"
    "PPid:\t4100\nTracerPid:\t0\nUid:\t1000\t1000\t1000\t1000\n"
)
HOST_ENVIRON = "HOME=/\0TERM=linux\0BOOT_IMAGE=/vmlinuz-6.8.0-45-generic\0"
DOCKER_ENVIRON = (
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\0HOSTNAME=4f1c2a7b9e3d\0"
    "HOME=/root\0"
)
HOST_CGROUP_V2 = {
    "proc/self/ns/cgroup": "",
    "sys/fs/cgroup/cgroup.controllers": "cpuset cpu io memory hugetlb pids rdma misc\n",
    "sys/fs/cgroup/cgroup.subtree_control": "cpuset cpu io memory pids\n",
    "sys/kernel/cgroup/features": "nsdelegate\nfavordynmods\nmemory_localevents\n",
}
CONTAINER_CGROUP_V2 = {
    "proc/self/ns/cgroup": "",
    "sys/fs/cgroup/cgroup.controllers": "cpuset cpu io memory hugetlb pids rdma misc\n",
    "sys/fs/cgroup/cgroup.events": "populated 1\nfrozen 0\n",
    "sys/fs/cgroup/cgroup.type": "domain\n",
    "sys/kernel/cgroup/features": "nsdelegate\nfavordynmods\nmemory_localevents\n",
}


def dmi(**fields: str) -> dict[str, str]:
    """DMI files, one line each, as the kernel shows them."""
    return {DMI + name: value + "\n" for name, value in fields.items()}


def linux_host(release: str, **extra: object) -> dict[str, object]:
    """What every Linux system shows in /proc, whatever it runs on."""
    return {
        "proc/sys/kernel/osrelease": release + "\n",
        "proc/self/status": STATUS,
        "proc/1/environ": HOST_ENVIRON,
        **extra,
    }


@dataclass(frozen=True)
class Machine:
    """A fake machine: its files, and what systemd-detect-virt would say about it."""

    files: dict[str, object]
    vm: str | None
    container: str | None
    cpuid: str | None = None
    why: str = ""
    tags: tuple[str, ...] = field(default=())


def build(root: Path, files: dict[str, object]) -> Path:
    """Write a machine's files below ``root``: text, bytes, or DIRECTORY for a directory."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is DIRECTORY:
            path.mkdir(exist_ok=True)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(str(content), encoding="utf-8")
    return root


XEON = "Intel(R) Xeon(R) Platinum 8175M CPU @ 2.50GHz"

MACHINES: dict[str, Machine] = {
    "thinkpad-bare-metal": Machine(
        {
            **dmi(
                sys_vendor="LENOVO",
                product_name="20XW0055GE",
                product_version="ThinkPad X1 Carbon Gen 9",
                board_vendor="LENOVO",
                bios_vendor="LENOVO",
            ),
            **linux_host("6.8.0-45-generic"),
            **HOST_CGROUP_V2,
            "proc/cpuinfo": cpuinfo_x86(
                "11th Gen Intel(R) Core(TM) i7-1165G7 @ 2.80GHz", hypervisor=False
            ),
            CLOCKS: "tsc hpet acpi_pm \n",
        },
        vm=None,
        container=None,
        why="a laptop: no DMI string names a hypervisor, no paravirtual clock, no flag",
    ),
    "surface-laptop": Machine(
        {
            **dmi(
                sys_vendor="Microsoft Corporation",
                product_name="Surface Laptop 4",
                product_version="124I:00036T:000M:0300000D:11",
                board_vendor="Microsoft Corporation",
                bios_vendor="Microsoft Corporation",
            ),
            **linux_host("6.8.0-45-generic"),
            **HOST_CGROUP_V2,
            "proc/cpuinfo": cpuinfo_x86(
                "11th Gen Intel(R) Core(TM) i5-1145G7 @ 2.60GHz", hypervisor=False
            ),
            CLOCKS: "tsc hpet acpi_pm \n",
        },
        vm=None,
        container=None,
        why="'Microsoft Corporation' alone is Surface hardware, not Hyper-V (systemd #21468)",
    ),
    "ec2-nitro-m5-large": Machine(
        {
            **dmi(
                sys_vendor="Amazon EC2",
                product_name="m5.large",
                board_vendor="Amazon EC2",
                bios_vendor="Amazon EC2",
            ),
            **linux_host("6.8.0-1015-aws"),
            **HOST_CGROUP_V2,
            "proc/cpuinfo": cpuinfo_x86(XEON, hypervisor=True),
            CLOCKS: "kvm-clock tsc hpet acpi_pm \n",
        },
        vm="amazon",
        container=None,
        why="DMI says Amazon EC2 and the product is no *.metal type",
    ),
    "ec2-c5-metal": Machine(
        {
            **dmi(
                sys_vendor="Amazon EC2",
                product_name="c5.metal",
                board_vendor="Amazon EC2",
                bios_vendor="Amazon EC2",
            ),
            **linux_host("6.8.0-1015-aws"),
            **HOST_CGROUP_V2,
            "proc/cpuinfo": cpuinfo_x86(
                "Intel(R) Xeon(R) Platinum 8275CL CPU @ 3.00GHz", hypervisor=False
            ),
            CLOCKS: "tsc hpet acpi_pm \n",
        },
        vm=None,
        container=None,
        why="Amazon EC2 in DMI, but a *.metal instance runs with no hypervisor",
    ),
    "ec2-graviton3-m7g-xlarge": Machine(
        {
            **dmi(
                sys_vendor="Amazon EC2",
                product_name="m7g.xlarge",
                board_vendor="Amazon EC2",
                bios_vendor="Amazon EC2",
            ),
            **linux_host("6.1.109-118.189.amzn2023.aarch64"),
            **HOST_CGROUP_V2,
            "proc/cpuinfo": CPUINFO_GRAVITON3,
            CLOCKS: "arch_sys_counter \n",
        },
        vm="amazon",
        container=None,
        why="Arm has no CPUID, but DMI names Amazon EC2 all the same",
    ),
    "ec2-xen-t2-micro": Machine(
        {
            **dmi(
                sys_vendor="Xen",
                product_name="HVM domU",
                product_version="4.11.amazon",
                bios_vendor="Xen",
            ),
            **linux_host("4.14.336-257.568.amzn2.x86_64"),
            "proc/xen": DIRECTORY,
            "sys/hypervisor/type": "xen\n",
            "sys/hypervisor/properties/features": "00002705\n",
            "proc/cpuinfo": cpuinfo_x86(
                "Intel(R) Xeon(R) CPU E5-2676 v3 @ 2.40GHz", hypervisor=True
            ),
            CLOCKS: "xen tsc hpet acpi_pm \n",
        },
        vm="xen",
        container=None,
        why="older EC2 families run on Xen; DMI's 'Xen' is final",
    ),
    "azure-gen1": Machine(
        {
            **dmi(
                sys_vendor="Microsoft Corporation",
                product_name="Virtual Machine",
                product_version="7.0",
                board_vendor="Microsoft Corporation",
                bios_vendor="American Megatrends Inc.",
            ),
            **linux_host("6.8.0-1014-azure"),
            **HOST_CGROUP_V2,
            "proc/cpuinfo": cpuinfo_x86(
                "Intel(R) Xeon(R) Platinum 8272CL CPU @ 2.60GHz", hypervisor=True
            ),
            CLOCKS: "hyperv_clocksource_tsc_page acpi_pm \n",
        },
        vm="microsoft",
        container=None,
        cpuid="Microsoft Hv",
        why="no DMI string says Hyper-V here (product_version 7.0, systemd #21816); CPUID does",
    ),
    "hyper-v-gen2": Machine(
        {
            **dmi(
                sys_vendor="Microsoft Corporation",
                product_name="Virtual Machine",
                product_version="Hyper-V UEFI Release v4.1",
                board_vendor="Microsoft Corporation",
                bios_vendor="Microsoft Corporation",
            ),
            **linux_host("6.8.0-45-generic"),
            **HOST_CGROUP_V2,
            "proc/cpuinfo": cpuinfo_x86(
                "AMD Ryzen 7 5800X 8-Core Processor", hypervisor=True, vendor="AuthenticAMD"
            ),
            CLOCKS: "hyperv_clocksource_tsc_page hyperv_clocksource_msr tsc acpi_pm \n",
        },
        vm="microsoft",
        container=None,
        cpuid="Microsoft Hv",
        why="product_version starts with 'Hyper-V'",
    ),
    "gce-n2": Machine(
        {
            **dmi(
                sys_vendor="Google",
                product_name="Google Compute Engine",
                board_vendor="Google",
                bios_vendor="Google",
            ),
            **linux_host("6.1.0-25-cloud-amd64"),
            **HOST_CGROUP_V2,
            "proc/cpuinfo": cpuinfo_x86("Intel(R) Xeon(R) CPU @ 2.80GHz", hypervisor=True),
            CLOCKS: "kvm-clock tsc acpi_pm \n",
        },
        vm="google",
        container=None,
        cpuid="KVMKVMKVM",
        why="GCE runs on KVM, but DMI's 'Google Compute Engine' is final",
    ),
    "vmware-workstation": Machine(
        {
            **dmi(
                sys_vendor="VMware, Inc.",
                product_name="VMware20,1",
                product_version="None",
                board_vendor="Intel Corporation",
                bios_vendor="VMware, Inc.",
            ),
            **linux_host("6.8.0-45-generic"),
            **HOST_CGROUP_V2,
            "proc/cpuinfo": cpuinfo_x86("13th Gen Intel(R) Core(TM) i7-13700H", hypervisor=True),
            CLOCKS: "tsc hpet acpi_pm \n",
        },
        vm="vmware",
        container=None,
        cpuid="VMwareVMware",
        why="the product name starts with 'VMware'",
    ),
    "virtualbox": Machine(
        {
            **dmi(
                sys_vendor="innotek GmbH",
                product_name="VirtualBox",
                product_version="1.2",
                board_vendor="Oracle Corporation",
                bios_vendor="innotek GmbH",
            ),
            **linux_host("6.8.0-45-generic"),
            **HOST_CGROUP_V2,
            "proc/cpuinfo": cpuinfo_x86(
                "AMD Ryzen 7 5800X 8-Core Processor", hypervisor=True, vendor="AuthenticAMD"
            ),
            CLOCKS: "kvm-clock tsc acpi_pm \n",
        },
        vm="oracle",
        container=None,
        cpuid="KVMKVMKVM",
        why="VirtualBox offers KVM's paravirtual interface; DMI's 'VirtualBox' wins (#1993)",
    ),
    "parallels-desktop": Machine(
        {
            **dmi(
                sys_vendor="Parallels Software International Inc.",
                product_name="Parallels Virtual Platform",
                product_version="None",
                board_vendor="Parallels Software International Inc.",
                bios_vendor="Parallels Software International Inc.",
            ),
            **linux_host("6.8.0-45-generic"),
            **HOST_CGROUP_V2,
            "proc/cpuinfo": cpuinfo_x86(
                "Intel(R) Core(TM) i9-9880H CPU @ 2.30GHz", hypervisor=True
            ),
            CLOCKS: "kvm-clock tsc hpet acpi_pm \n",
        },
        vm="parallels",
        container=None,
        cpuid="KVMKVMKVM",
        why="Parallels shows KVM's CPUID signature; DMI's 'Parallels' is final (systemd #23856)",
    ),
    "qemu-kvm-with-docker": Machine(
        {
            **dmi(
                sys_vendor="QEMU",
                product_name="Standard PC (Q35 + ICH9, 2009)",
                product_version="pc-q35-8.2",
                bios_vendor="EDK II",
            ),
            "proc/sys/kernel/osrelease": "6.8.0-45-generic\n",
            "proc/self/status": STATUS,
            "proc/1/environ": DOCKER_ENVIRON,
            ".dockerenv": "",
            **CONTAINER_CGROUP_V2,
            "proc/cpuinfo": cpuinfo_x86(
                "AMD EPYC 7763 64-Core Processor", hypervisor=True, vendor="AuthenticAMD"
            ),
            CLOCKS: "kvm-clock tsc hpet acpi_pm \n",
        },
        vm="kvm",
        container="docker",
        cpuid="KVMKVMKVM",
        why="QEMU with KVM: KVM's clock (or CPUID) before DMI's 'QEMU'; /.dockerenv",
    ),
    "podman-on-fedora-laptop": Machine(
        {
            **dmi(
                sys_vendor="Dell Inc.",
                product_name="XPS 13 9310",
                board_vendor="Dell Inc.",
                bios_vendor="Dell Inc.",
            ),
            "proc/sys/kernel/osrelease": "6.10.10-200.fc40.x86_64\n",
            "proc/self/status": STATUS,
            "proc/1/environ": "container=podman\0HOME=/root\0TERM=xterm\0HOSTNAME=toolbox\0",
            "run/.containerenv": 'engine="podman-5.2.2"\nname="toolbox"\nrootless=1\n',
            **CONTAINER_CGROUP_V2,
            "proc/cpuinfo": cpuinfo_x86(
                "11th Gen Intel(R) Core(TM) i7-1185G7 @ 3.00GHz", hypervisor=False
            ),
            CLOCKS: "tsc hpet acpi_pm \n",
        },
        vm=None,
        container="podman",
        why="Podman sets container=podman for PID 1",
    ),
    "lxc-on-proxmox": Machine(
        {
            **dmi(
                sys_vendor="Supermicro",
                product_name="Super Server",
                board_vendor="Supermicro",
                bios_vendor="American Megatrends International, LLC.",
            ),
            "proc/sys/kernel/osrelease": "6.8.12-2-pve\n",
            "proc/self/status": STATUS,
            "run/systemd/container": "lxc\n",
            "proc/1/environ": "container=lxc\0",
            **CONTAINER_CGROUP_V2,
            "proc/cpuinfo": cpuinfo_x86("AMD EPYC 7302P 16-Core Processor", hypervisor=False),
            CLOCKS: "tsc hpet acpi_pm \n",
        },
        vm=None,
        container="lxc",
        why="systemd in the container wrote 'lxc' to /run/systemd/container",
    ),
    "wsl2": Machine(
        {
            "proc/sys/kernel/osrelease": "5.15.153.1-microsoft-standard-WSL2\n",
            "proc/self/status": STATUS,
            "proc/cpuinfo": cpuinfo_x86("13th Gen Intel(R) Core(TM) i7-1365U", hypervisor=True),
            CLOCKS: "hyperv_clocksource_tsc_page tsc \n",
        },
        vm="microsoft",
        container="wsl",
        cpuid="Microsoft Hv",
        why="WSL 2 is a Linux kernel in a Hyper-V VM; its release string says WSL",
    ),
    "openvz-container": Machine(
        {
            "proc/vz": DIRECTORY,
            "proc/sys/kernel/osrelease": "3.10.0-1160.80.1.vz7.191.4\n",
            "proc/self/status": STATUS,
            "proc/cpuinfo": cpuinfo_x86("Intel(R) Xeon(R) CPU E5-2620 v4", hypervisor=False),
            CLOCKS: "tsc hpet acpi_pm \n",
        },
        vm=None,
        container="openvz",
        why="/proc/vz without /proc/bc is the inside of an OpenVZ container",
    ),
    "systemd-nspawn": Machine(
        {
            **dmi(sys_vendor="LENOVO", product_name="21CB0069GE", bios_vendor="LENOVO"),
            "proc/sys/kernel/osrelease": "6.8.0-45-generic\n",
            "proc/self/status": STATUS,
            "run/host/container-manager": "systemd-nspawn\n",
            "run/systemd/container": "systemd-nspawn\n",
            "proc/1/environ": "container=systemd-nspawn\0container_uuid=4c1e9d2a\0",
            **CONTAINER_CGROUP_V2,
            "proc/cpuinfo": cpuinfo_x86("12th Gen Intel(R) Core(TM) i7-1260P", hypervisor=False),
            CLOCKS: "tsc hpet acpi_pm \n",
        },
        vm=None,
        container="systemd-nspawn",
        why="nspawn names itself in /run/host/container-manager",
    ),
    "xen-dom0": Machine(
        {
            **dmi(sys_vendor="Dell Inc.", product_name="PowerEdge R740", bios_vendor="Dell Inc."),
            **linux_host("6.1.0-25-amd64"),
            "proc/xen/capabilities": "control_d\n",
            "sys/hypervisor/type": "xen\n",
            "proc/cpuinfo": cpuinfo_x86(
                "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz", hypervisor=True
            ),
            CLOCKS: "xen tsc hpet acpi_pm \n",
        },
        vm=None,
        container=None,
        why="dom0 runs Xen for the others; systemd does not count it as a VM",
    ),
    "xen-pv-domu": Machine(
        {
            **linux_host("6.1.0-25-amd64"),
            "proc/xen/capabilities": "",
            "sys/hypervisor/type": "xen\n",
            "sys/hypervisor/properties/features": "00002705\n",
            "proc/cpuinfo": cpuinfo_x86(
                "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz", hypervisor=True
            ),
            CLOCKS: "xen tsc \n",
        },
        vm="xen",
        container=None,
        why="a paravirtual guest: no DMI at all, but /proc/xen and the dom0 bit clear",
    ),
    "gke-pod": Machine(
        {
            **dmi(
                sys_vendor="Google",
                product_name="Google Compute Engine",
                board_vendor="Google",
                bios_vendor="Google",
            ),
            "proc/sys/kernel/osrelease": "6.1.100+\n",
            "proc/self/status": STATUS,
            "proc/1/environ": DOCKER_ENVIRON,
            **CONTAINER_CGROUP_V2,
            "proc/cpuinfo": cpuinfo_x86("Intel(R) Xeon(R) CPU @ 2.20GHz", hypervisor=True),
            CLOCKS: "kvm-clock tsc acpi_pm \n",
        },
        vm="google",
        container="container-other",
        why="containerd leaves no marker file; only the cgroup namespace shows a container",
    ),
    "termux-proot": Machine(
        {
            "proc/sys/kernel/osrelease": "4.19.191-gd2a3d2f6e1b0\n",
            "proc/self/status": STATUS.replace("TracerPid:\t0", "TracerPid:\t1234"),
            "proc/1234/comm": "proot\n",
            "proc/cpuinfo": CPUINFO_GRAVITON3,
        },
        vm=None,
        container="proot",
        why="proot fakes a root by tracing the process",
    ),
}


@pytest.fixture(params=sorted(MACHINES))
def machine(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Machine, Path]:
    """Each fake machine, written to a temporary directory."""
    spec = MACHINES[request.param]
    return spec, build(tmp_path, spec.files)


def detect_files(tmp_path: Path, files: dict[str, object], cpuid: str | None = None) -> Environment:
    """Build a machine from files and detect what it is."""
    return detect(build(tmp_path, files), cpuid_signature=cpuid)


# ---------------------------------------------------------------------------------------------
# Realistic machines
# ---------------------------------------------------------------------------------------------


class TestMachines:
    """Fake machines modelled on real ones get systemd-detect-virt's answers."""

    def test_there_are_enough_machines(self):
        """The issue asks for at least 15 realistic machines."""
        assert len(MACHINES) >= 15

    def test_without_cpuid(self, machine):
        """With no CPUID, files alone give systemd's answer for both layers."""
        spec, root = machine
        env = detect(root)
        assert (env.vm, env.container) == (spec.vm, spec.container), spec.why

    def test_with_cpuid(self, machine):
        """Where the real machine's CPUID signature is known, giving it changes nothing."""
        spec, root = machine
        env = detect(root, cpuid_signature=spec.cpuid)
        assert (env.vm, env.container) == (spec.vm, spec.container), spec.why

    def test_evidence_is_one_line_per_finding(self, machine):
        """The evidence is plain one-line sentences naming files below /, never the temp dir."""
        _, root = machine
        env = detect(root)
        assert env.evidence
        for line in env.evidence:
            assert isinstance(line, str)
            assert "\n" not in line
            assert str(root) not in line
            assert line.endswith(".")

    def test_deterministic(self, machine):
        """Two runs on the same machine give the same result, evidence included."""
        _, root = machine
        assert detect(root) == detect(root)


# ---------------------------------------------------------------------------------------------
# The rules, one at a time
# ---------------------------------------------------------------------------------------------


class TestDmi:
    """DMI strings: prefix matches, file order, and which answers are final."""

    @pytest.mark.parametrize(
        ("field_name", "value", "expected"),
        [
            ("product_name", "KVM", "kvm"),
            ("product_name", "OpenStack Nova", "kvm"),
            ("product_name", "KubeVirt", "kvm"),
            ("sys_vendor", "QEMU", "qemu"),
            ("sys_vendor", "VMware, Inc.", "vmware"),
            ("product_name", "VMW71", "vmware"),
            ("sys_vendor", "innotek GmbH", "oracle"),
            ("board_vendor", "Oracle Corporation", "oracle"),
            ("sys_vendor", "Xen", "xen"),
            ("bios_vendor", "Bochs", "bochs"),
            ("sys_vendor", "Parallels International GmbH.", "parallels"),
            ("sys_vendor", "BHYVE", "bhyve"),
            ("product_version", "Hyper-V UEFI Release v4.1", "microsoft"),
            ("product_name", "Apple Virtualization Generic Platform", "apple"),
            ("product_name", "Google Compute Engine", "google"),
        ],
    )
    def test_prefixes(self, tmp_path, field_name, value, expected):
        """Each prefix in systemd's table gives its identifier."""
        assert detect_files(tmp_path, dmi(**{field_name: value})).vm == expected

    def test_prefix_not_substring(self, tmp_path):
        """A name in the middle of a string does not count: only a prefix does."""
        assert detect_files(tmp_path, dmi(sys_vendor="Not really QEMU")).vm is None

    def test_product_name_is_read_first(self, tmp_path):
        """product_name comes before sys_vendor, so KVM wins over QEMU."""
        assert detect_files(tmp_path, dmi(product_name="KVM", sys_vendor="QEMU")).vm == "kvm"

    def test_microsoft_corporation_alone_is_not_a_vm(self, tmp_path):
        """A Surface laptop's 'Microsoft Corporation' names no hypervisor (systemd #21468)."""
        files = dmi(sys_vendor="Microsoft Corporation", product_name="Surface Pro 9")
        assert detect_files(tmp_path, files).vm is None

    @pytest.mark.parametrize(
        ("vendor", "expected"),
        [("innotek GmbH", "oracle"), ("Xen", "xen"), ("Parallels", "parallels")],
    )
    def test_final_answers_beat_cpuid(self, tmp_path, vendor, expected):
        """oracle, xen, parallels (and amazon, google) stand even when CPUID says KVM."""
        files = dmi(sys_vendor=vendor)
        assert detect_files(tmp_path, files, cpuid="KVMKVMKVM").vm == expected

    def test_qemu_is_not_final(self, tmp_path):
        """DMI's QEMU yields to CPUID: QEMU with KVM is kvm."""
        assert detect_files(tmp_path, dmi(sys_vendor="QEMU"), cpuid="KVMKVMKVM").vm == "kvm"

    def test_vmware_is_not_final_but_stands(self, tmp_path):
        """DMI's VMware stands when CPUID only says some unknown hypervisor."""
        files = dmi(sys_vendor="VMware, Inc.")
        assert detect_files(tmp_path, files, cpuid="NewHyperVisr").vm == "vmware"

    def test_smbios_bit_alone_is_vm_other(self, tmp_path):
        """The firmware's VM bit with no name anywhere is vm-other."""
        raw = bytes([0, 24] + [0] * 17 + [0x10, 0, 0, 0, 0])
        files = {**dmi(sys_vendor="Some Cloud Inc."), SMBIOS_RAW: raw}
        env = detect_files(tmp_path, files)
        assert env.vm == "vm-other"
        assert any("bit is set" in line for line in env.evidence)


class TestAmazon:
    """EC2 says Amazon EC2 in DMI on VMs and on bare-metal instances alike."""

    @pytest.mark.parametrize(
        ("product", "expected"),
        [
            ("m5.large", "amazon"),
            ("c5.metal", None),
            ("c7i.metal-24xl", None),
            ("u-6tb1.metal", None),
            ("m5.metalx", "amazon"),
            ("t3.micro", "amazon"),
        ],
    )
    def test_metal_rule(self, tmp_path, product, expected):
        """'.metal' at the end or before '-' is bare metal; anything else is a VM."""
        files = dmi(sys_vendor="Amazon EC2", product_name=product)
        assert detect_files(tmp_path, files).vm == expected

    def test_missing_product_name_means_vm(self, tmp_path):
        """With no product name to check, systemd bets on the common case: a VM."""
        assert detect_files(tmp_path, dmi(sys_vendor="Amazon EC2")).vm == "amazon"

    @pytest.mark.parametrize(("byte", "expected"), [(0x10, "amazon"), (0x00, None)])
    def test_smbios_bit_decides_first(self, tmp_path, byte, expected):
        """When root can read the SMBIOS table, its VM bit beats the product name."""
        raw = bytes([0, 24] + [0] * 17 + [byte, 0, 0, 0, 0])
        name = "c5.metal" if expected else "m5.large"
        files = {**dmi(sys_vendor="Amazon EC2", product_name=name), SMBIOS_RAW: raw}
        assert detect_files(tmp_path, files).vm == expected

    def test_short_smbios_table_falls_back(self, tmp_path):
        """A table too short to hold the extension byte tells nothing; the name decides."""
        files = {**dmi(sys_vendor="Amazon EC2", product_name="c5.metal"), SMBIOS_RAW: b"\0\x12"}
        assert detect_files(tmp_path, files).vm is None


class TestCpuid:
    """A CPUID signature given by the caller is read as systemd reads it."""

    @pytest.mark.parametrize(
        ("signature", "expected"),
        [
            ("XenVMMXenVMM", "xen"),
            ("KVMKVMKVM", "kvm"),
            ("KVMKVMKVM\0\0\0", "kvm"),
            ("Linux KVM Hv", "kvm"),
            ("TCGTCGTCGTCG", "qemu"),
            ("VMwareVMware", "vmware"),
            ("Microsoft Hv", "microsoft"),
            ("bhyve bhyve ", "bhyve"),
            ("QNXQVMBSQG", "qnx"),
            ("ACRNACRNACRN", "acrn"),
            ("SRESRESRESRE", "sre"),
            ("Apple VZ", "apple"),
            ("LKVMLKVMLKVM", "vm-other"),
        ],
    )
    def test_signatures(self, tmp_path, signature, expected):
        """Each signature in systemd's table gives its identifier; others give vm-other."""
        assert detect_files(tmp_path, {}, cpuid=signature).vm == expected

    def test_empty_signature_means_no_hypervisor(self, tmp_path):
        """An empty signature says the CPU reports none, so clocks and flags are not asked."""
        files = {CLOCKS: "kvm-clock tsc\n", "proc/cpuinfo": cpuinfo_x86(XEON, hypervisor=True)}
        assert detect_files(tmp_path, files, cpuid="").vm is None

    def test_hyperv_signature_yields_to_dmi(self, tmp_path):
        """QEMU with Hyper-V enlightenments shows 'Microsoft Hv'; DMI's QEMU wins (#28001)."""
        assert detect_files(tmp_path, dmi(sys_vendor="QEMU"), cpuid="Microsoft Hv").vm == "qemu"

    def test_xenserver_posing_as_hyperv(self, tmp_path):
        """XenServer guests may show 'Microsoft Hv'; DMI's final 'Xen' wins (systemd #8844)."""
        files = dmi(sys_vendor="Xen", product_name="HVM domU")
        assert detect_files(tmp_path, files, cpuid="Microsoft Hv").vm == "xen"

    def test_hyperv_beats_unknown(self, tmp_path):
        """When only hints remain, Hyper-V's sign beats 'some hypervisor'."""
        files = {"sys/hypervisor/type": "acrn\n"}
        assert detect_files(tmp_path, files, cpuid="Microsoft Hv").vm == "microsoft"


class TestClocksAndFlags:
    """Without CPUID, the kernel's clock sources and the hypervisor flag stand in for it."""

    @pytest.mark.parametrize(
        ("clocks", "expected"),
        [
            ("kvm-clock tsc hpet acpi_pm", "kvm"),
            ("xen tsc hpet acpi_pm", "xen"),
            ("hyperv_clocksource_tsc_page acpi_pm", "microsoft"),
            ("tsc hpet acpi_pm", None),
            ("kvm-clock hyperv_clocksource_tsc_page tsc", "kvm"),
        ],
    )
    def test_clock_sources(self, tmp_path, clocks, expected):
        """kvm-clock, xen and hyperv_clocksource_* name their hypervisor; KVM's beats Hyper-V's."""
        assert detect_files(tmp_path, {CLOCKS: clocks + "\n"}).vm == expected

    def test_flag_alone_is_vm_other(self, tmp_path):
        """The hypervisor flag says some hypervisor is there, not which: vm-other."""
        files = {"proc/cpuinfo": cpuinfo_x86(XEON, hypervisor=True), CLOCKS: "tsc\n"}
        env = detect_files(tmp_path, files)
        assert env.vm == "vm-other"
        assert any("'hypervisor' flag is set" in line for line in env.evidence)

    def test_flag_yields_to_dmi(self, tmp_path):
        """A specific DMI name beats the bare flag."""
        files = {
            **dmi(sys_vendor="VMware, Inc."),
            "proc/cpuinfo": cpuinfo_x86(XEON, hypervisor=True),
        }
        assert detect_files(tmp_path, files).vm == "vmware"

    def test_no_flag_no_vm(self, tmp_path):
        """A CPU with no hypervisor flag and plain clocks is bare metal."""
        files = {"proc/cpuinfo": cpuinfo_x86(XEON, hypervisor=False), CLOCKS: "tsc hpet\n"}
        assert detect_files(tmp_path, files).vm is None


class TestOtherVmChecks:
    """User-Mode Linux, Xen, /sys/hypervisor, the device tree and IBM Z."""

    def test_uml(self, tmp_path):
        """User-Mode Linux names itself as the CPU vendor."""
        files = {
            "proc/cpuinfo": "processor\t: 0\nvendor_id\t: User Mode Linux\nmodel name\t: UML\n"
        }
        assert detect_files(tmp_path, files).vm == "uml"

    def test_dom0_by_feature_bit(self, tmp_path):
        """Xen's dom0 feature bit (bit 11) marks dom0, which is not a VM."""
        files = {"proc/xen": DIRECTORY, "sys/hypervisor/properties/features": "00000801\n"}
        assert detect_files(tmp_path, files).vm is None

    def test_domu_without_capabilities(self, tmp_path):
        """/proc/xen with nothing more to say is a Xen guest."""
        assert detect_files(tmp_path, {"proc/xen": DIRECTORY}).vm == "xen"

    def test_dom0_nested_in_kvm(self, tmp_path):
        """A dom0 that is itself a KVM guest reports the KVM below it."""
        files = {"proc/xen/capabilities": "control_d\n", CLOCKS: "kvm-clock xen tsc\n"}
        assert detect_files(tmp_path, files).vm == "kvm"

    def test_dom0_ignores_its_own_xen_clock(self, tmp_path):
        """dom0's Xen clock and hypervisor flag come from Xen itself, so they do not count."""
        files = {
            "proc/xen/capabilities": "control_d\n",
            CLOCKS: "xen tsc\n",
            "proc/cpuinfo": cpuinfo_x86(XEON, hypervisor=True),
        }
        assert detect_files(tmp_path, files).vm is None

    def test_dom0_with_xen_cpuid(self, tmp_path):
        """Given Xen's CPUID signature, dom0 reports xen, as systemd does."""
        files = {"proc/xen/capabilities": "control_d\n"}
        assert detect_files(tmp_path, files, cpuid="XenVMMXenVMM").vm == "xen"

    @pytest.mark.parametrize(("kind", "expected"), [("xen", "xen"), ("s390", "vm-other")])
    def test_sys_hypervisor_type(self, tmp_path, kind, expected):
        """/sys/hypervisor/type 'xen' is xen; anything else is some hypervisor."""
        assert detect_files(tmp_path, {"sys/hypervisor/type": kind + "\n"}).vm == expected

    @pytest.mark.parametrize(
        ("compatible", "expected"),
        [
            (b"linux,kvm\0", "kvm"),
            (b"xen,xen-4.17\0xen,xen\0", "xen"),
            (b"vmware\0", "vmware"),
            (b"acme,hv\0", "vm-other"),
        ],
    )
    def test_device_tree_hypervisor(self, tmp_path, compatible, expected):
        """The device tree's hypervisor node names KVM, Xen or VMware."""
        files = {"proc/device-tree/hypervisor/compatible": compatible}
        assert detect_files(tmp_path, files).vm == expected

    def test_device_tree_fw_cfg(self, tmp_path):
        """QEMU's fw-cfg device in the device tree means qemu."""
        files = {"proc/device-tree/fw-cfg@9020000/compatible": b"qemu,fw-cfg-mmio\0"}
        assert detect_files(tmp_path, files).vm == "qemu"

    def test_device_tree_pseries(self, tmp_path):
        """A POWER machine whose device tree says qemu,pseries is qemu."""
        files = {"proc/device-tree/compatible": b"qemu,pseries\0"}
        assert detect_files(tmp_path, files).vm == "qemu"

    def test_powervm(self, tmp_path):
        """An HMC-managed POWER partition is powervm."""
        files = {
            "proc/device-tree/ibm,partition-name": b"lpar1\0",
            "proc/device-tree/hmc-managed?": b"",
        }
        assert detect_files(tmp_path, files).vm == "powervm"

    @pytest.mark.parametrize(
        ("program", "expected"), [("z/VM    7.3.0", "zvm"), ("KVM/Linux", "kvm")]
    )
    def test_zvm(self, tmp_path, program, expected):
        """IBM Z: /proc/sysinfo names the control program below."""
        sysinfo = (
            "Manufacturer:         IBM\n"
            "VM00 Name:            LINUX01\n"
            f"VM00 Control Program: {program}\n"
        )
        assert detect_files(tmp_path, {"proc/sysinfo": sysinfo}).vm == expected

    def test_lpar_is_not_a_guest(self, tmp_path):
        """An IBM Z LPAR's /proc/sysinfo has no VM00 line: not a VM."""
        sysinfo = "Manufacturer:         IBM\nLPAR Name:            LP01\n"
        assert detect_files(tmp_path, {"proc/sysinfo": sysinfo}).vm is None


class TestContainers:
    """The container layer, in systemd's order."""

    def test_openvz_host_is_not_a_container(self, tmp_path):
        """The OpenVZ host has /proc/bc as well as /proc/vz."""
        assert (
            detect_files(tmp_path, {"proc/vz": DIRECTORY, "proc/bc": DIRECTORY}).container is None
        )

    def test_wsl1(self, tmp_path):
        """WSL 1's release string says Microsoft."""
        files = {"proc/sys/kernel/osrelease": "4.4.0-19041-Microsoft\n"}
        assert detect_files(tmp_path, files).container == "wsl"

    def test_lowercase_microsoft_alone_is_not_wsl(self, tmp_path):
        """Azure kernels say 'azure', and the match is case-sensitive, as systemd's."""
        files = {"proc/sys/kernel/osrelease": "6.8.0-1014-azure\n"}
        assert detect_files(tmp_path, files).container is None

    @pytest.mark.parametrize(
        "name",
        [
            "lxc",
            "lxc-libvirt",
            "systemd-nspawn",
            "docker",
            "podman",
            "rkt",
            "wsl",
            "proot",
            "pouch",
        ],
    )
    def test_known_managers(self, tmp_path, name):
        """Every manager name systemd knows maps to itself."""
        files = {"proc/1/environ": f"HOME=/\0container={name}\0"}
        assert detect_files(tmp_path, files).container == name

    def test_unknown_manager(self, tmp_path):
        """A name systemd does not know is container-other."""
        files = {"run/systemd/container": "garden\n"}
        assert detect_files(tmp_path, files).container == "container-other"

    def test_oci_falls_through_to_files(self, tmp_path):
        """container=oci names a format, so Podman's marker file decides."""
        files = {"proc/1/environ": "container=oci\0", "run/.containerenv": ""}
        assert detect_files(tmp_path, files).container == "podman"

    def test_oci_alone(self, tmp_path):
        """container=oci with no marker file is container-other."""
        assert detect_files(tmp_path, {"proc/1/environ": "container=oci\0"}).container == (
            "container-other"
        )

    def test_manager_beats_dockerenv(self, tmp_path):
        """/.dockerenv is checked last, since images can carry it by mistake."""
        files = {"proc/1/environ": "container=lxc\0", ".dockerenv": ""}
        assert detect_files(tmp_path, files).container == "lxc"

    def test_order_of_announcements(self, tmp_path):
        """/run/host/container-manager comes before /run/systemd/container and the environment."""
        files = {
            "run/host/container-manager": "systemd-nspawn\n",
            "run/systemd/container": "lxc\n",
            "proc/1/environ": "container=docker\0",
        }
        assert detect_files(tmp_path, files).container == "systemd-nspawn"

    def test_podman_file_before_docker_file(self, tmp_path):
        """Podman's /run/.containerenv is checked before /.dockerenv."""
        files = {"run/.containerenv": "", ".dockerenv": ""}
        assert detect_files(tmp_path, files).container == "podman"

    def test_empty_container_variable_tells_nothing(self, tmp_path):
        """container= with no value is no announcement."""
        assert detect_files(tmp_path, {"proc/1/environ": "container=\0"}).container is None

    def test_tracer_that_is_not_proot(self, tmp_path):
        """A process traced by a debugger is not in proot."""
        files = {
            "proc/self/status": STATUS.replace("TracerPid:\t0", "TracerPid:\t77"),
            "proc/77/comm": "gdb\n",
        }
        assert detect_files(tmp_path, files).container is None

    def test_cgroup_v1_namespace(self, tmp_path):
        """Under cgroup v1, systemd's tree without release_agent is a namespaced view."""
        files = {"proc/self/ns/cgroup": "", "sys/fs/cgroup/systemd/tasks": "1\n"}
        assert detect_files(tmp_path, files).container == "container-other"

    def test_cgroup_v1_root(self, tmp_path):
        """Under cgroup v1, release_agent is only in the root cgroup: no container."""
        files = {"proc/self/ns/cgroup": "", "sys/fs/cgroup/systemd/release_agent": ""}
        assert detect_files(tmp_path, files).container is None

    def test_cgroup_v2_old_kernel(self, tmp_path):
        """With cgroup v2 on a kernel without cgroup.type: cgroup.events alone shows nesting."""
        files = {
            "proc/self/ns/cgroup": "",
            "sys/fs/cgroup/cgroup.controllers": "cpu memory\n",
            "sys/fs/cgroup/cgroup.events": "populated 1\n",
        }
        assert detect_files(tmp_path, files).container == "container-other"


# ---------------------------------------------------------------------------------------------
# Strange and broken machines
# ---------------------------------------------------------------------------------------------

CONTENT_FILES = [
    *(
        DMI + name
        for name in ("product_name", "sys_vendor", "board_vendor", "bios_vendor", "product_version")
    ),
    SMBIOS_RAW,
    "proc/cpuinfo",
    CLOCKS,
    "proc/sys/kernel/osrelease",
    "proc/self/status",
    "run/host/container-manager",
    "run/systemd/container",
    "proc/1/environ",
    "sys/hypervisor/type",
    "sys/hypervisor/properties/features",
    "proc/xen/capabilities",
    "proc/device-tree/hypervisor/compatible",
    "proc/sysinfo",
]


class TestBrokenMachines:
    """Missing, empty, unreadable or garbage files are evidence of nothing; detect never raises."""

    def test_empty_tree(self, tmp_path):
        """An empty directory has nothing to tell."""
        env = detect(tmp_path)
        assert (env.vm, env.container) == (None, None)
        assert any(line == "/proc/vz: not there: not OpenVZ." for line in env.evidence)

    def test_missing_root(self, tmp_path):
        """A root that does not exist is a machine with no files."""
        assert detect(tmp_path / "nowhere") == detect(tmp_path / "nowhere")
        assert detect(tmp_path / "nowhere").vm is None

    def test_empty_files(self, tmp_path):
        """Files that are there but empty tell nothing, and the evidence says so."""
        # Left out: an empty /proc/xen/capabilities is just what a real Xen guest has.
        names = [name for name in CONTENT_FILES if not name.startswith("proc/xen/")]
        env = detect_files(tmp_path, dict.fromkeys(names, ""))
        assert (env.vm, env.container) == (None, None)
        assert "/proc/cpuinfo: empty, so it tells nothing." in env.evidence

    def test_directories_instead_of_files(self, tmp_path):
        """A directory where a file should be tells nothing."""
        env = detect_files(tmp_path, dict.fromkeys(CONTENT_FILES, DIRECTORY))
        assert env.container is None
        assert (
            "/proc/cpuinfo: a directory where a file should be, so it tells nothing."
            in env.evidence
        )
        # /proc/xen/capabilities is a directory, so /proc/xen exists: a Xen domain, as for systemd.
        assert env.vm == "xen"

    def test_file_where_directory_should_be(self, tmp_path):
        """/sys as a plain file hides everything below it: those files are simply not there."""
        env = detect_files(tmp_path, {"sys": "not a directory\n", "proc": "nor this\n"})
        assert (env.vm, env.container) == (None, None)

    def test_unreadable_files(self, tmp_path):
        """A file that cannot be opened (here a symlink loop) tells nothing, with the reason."""
        for name in CONTENT_FILES:
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.symlink_to(path.name)
        env = detect(tmp_path)
        assert env.container is None
        assert any(line.startswith("/proc/cpuinfo: could not be read (") for line in env.evidence)

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="this system has no named pipes")
    def test_pipe_does_not_hang(self, tmp_path):
        """A named pipe where a file should be is refused at once, not waited on."""
        (tmp_path / "proc").mkdir()
        os.mkfifo(tmp_path / "proc/cpuinfo")
        env = detect(tmp_path)
        assert (
            "/proc/cpuinfo: could not be read (a pipe or socket, not a file), so it tells nothing."
            in (env.evidence)
        )

    @pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero to link to")
    def test_endless_device_is_cut_short(self, tmp_path):
        """A link to an endless device is read only up to the limit: zeros tell nothing."""
        (tmp_path / "proc").mkdir()
        (tmp_path / "proc/cpuinfo").symlink_to("/dev/zero")
        assert "/proc/cpuinfo: empty, so it tells nothing." in detect(tmp_path).evidence

    def test_garbage(self, tmp_path):
        """Binary garbage matches no name: only where systemd counts any content does it count."""
        garbage = bytes(range(0xFF, 0x7F, -1)) + b"\0\xff\xfe\n\x00garbage"
        env = detect_files(tmp_path, dict.fromkeys(CONTENT_FILES, garbage))
        # A non-empty, unknown manager name is container-other for systemd too.
        assert env.container == "container-other"
        # /proc/xen exists (its capabilities file does) and says nothing of dom0: a Xen guest.
        assert env.vm == "xen"
        assert all(line.isprintable() for line in env.evidence)

    def test_huge_file_is_read_only_in_part(self, tmp_path):
        """A giant cpuinfo is read only as far as its first processors."""
        big = cpuinfo_x86(XEON, hypervisor=True) * 20_000
        assert len(big) > 10_000_000
        env = detect_files(tmp_path, {"proc/cpuinfo": big})
        assert env.vm == "vm-other"

    @settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(
        contents=st.dictionaries(
            st.sampled_from(CONTENT_FILES), st.binary(max_size=300), min_size=1, max_size=8
        ),
        cpuid=st.none() | st.text(max_size=14),
    )
    def test_any_bytes_never_raise(self, tmp_path_factory, contents, cpuid):
        """Whatever bytes the files hold, detect returns a known answer and readable evidence."""
        root = build(tmp_path_factory.mktemp("fuzz"), contents)
        env = detect(root, cpuid_signature=cpuid)
        assert env.vm is None or env.vm in VM_NAMES
        assert env.container is None or env.container in CONTAINER_NAMES
        assert all(isinstance(line, str) and "\n" not in line for line in env.evidence)
        shutil.rmtree(root)


class TestInputs:
    """Bad arguments are the caller's mistake and raise the library's own error."""

    def test_root_must_be_a_path(self):
        """A number is no root directory."""
        with pytest.raises(InvalidValueError, match="root must be a directory path"):
            detect(42)  # type: ignore[arg-type]

    def test_cpuid_must_be_text(self):
        """A CPUID signature is text, not bytes."""
        with pytest.raises(InvalidValueError, match="cpuid_signature must be"):
            detect("/", cpuid_signature=b"KVMKVMKVM")  # type: ignore[arg-type]

    def test_path_objects_work(self, tmp_path):
        """A pathlib.Path is as good as a string."""
        build(tmp_path, dmi(sys_vendor="QEMU"))
        assert detect(tmp_path).vm == detect(str(tmp_path)).vm == "qemu"


# ---------------------------------------------------------------------------------------------
# The result and its platform
# ---------------------------------------------------------------------------------------------


class TestEnvironment:
    """The result reads well and every identifier has words for people."""

    def test_repr_hides_evidence(self):
        """The repr shows the two answers, not the long evidence."""
        env = Environment(vm="kvm", container="docker", evidence=("a.", "b."))
        assert repr(env) == "Environment(vm='kvm', container='docker')"

    @pytest.mark.parametrize("vm", sorted(VM_NAMES))
    def test_every_vm_has_a_phrase(self, vm):
        """Each VM identifier appears in the summary by its phrase."""
        assert VM_NAMES[vm] in Environment(vm=vm, container=None).summary

    @pytest.mark.parametrize("container", sorted(CONTAINER_NAMES))
    def test_every_container_has_a_phrase(self, container):
        """Each container identifier appears in the summary by its phrase."""
        summary = Environment(vm="kvm", container=container).summary
        assert summary == f"You are in {CONTAINER_NAMES[container]}, inside a KVM virtual machine."

    def test_unknown_identifier_still_reads(self):
        """An identifier with no phrase (from a newer systemd, say) is shown as it is."""
        assert "(newvisor)" in Environment(vm="newvisor", container=None).summary

    def test_exported(self):
        """The names detect and Environment are part of the package's public API."""
        assert vmconcepts.detect is detect
        assert {"detect", "Environment"} <= set(vmconcepts.__all__)
        assert vmconcepts.Environment is Environment


class TestPlatforms:
    """In Pyodide the machine is out of sight; off Linux the files prove nothing."""

    def test_pyodide_reports_the_sandbox(self, monkeypatch):
        """In the browser, detect says it cannot see the machine instead of guessing."""
        monkeypatch.setattr(detect_module, "in_webassembly", lambda: True)
        env = detect("/")
        assert env == Environment(
            vm=None, container=None, evidence=env.evidence, sandbox="webassembly"
        )
        assert "WebAssembly" in env.summary
        assert "emscripten" in env.evidence[0]
        assert repr(env) == "Environment(vm=None, container=None, sandbox='webassembly')"

    def test_pyodide_still_reads_a_fake_machine(self, monkeypatch, tmp_path):
        """A fake machine built in Pyodide's memory is still read, as in the site's examples."""
        monkeypatch.setattr(detect_module, "in_webassembly", lambda: True)
        build(tmp_path, dmi(sys_vendor="QEMU"))
        env = detect(tmp_path)
        assert (env.vm, env.sandbox) == ("qemu", None)

    def test_not_linux(self, monkeypatch):
        """On macOS or Windows, the evidence warns that Linux's files prove nothing there."""
        monkeypatch.setattr(sys, "platform", "darwin")
        env = detect("/")
        assert "not Linux" in env.evidence[-1]
        assert env.platform == "darwin"
        assert "bare metal" not in env.summary

    def test_not_linux_and_nothing_found_is_not_bare_metal(self, monkeypatch):
        """No Linux file found on Windows: nothing can be told, which is not bare metal."""
        monkeypatch.setattr(sys, "platform", "win32")
        monkeypatch.setattr(detect_module, "_detect_container", lambda _machine: None)
        monkeypatch.setattr(detect_module, "_detect_vm", lambda _machine, _cpuid: None)
        env = detect("/")
        assert env.summary.startswith("Nothing to tell: the files read are Linux's")
        assert "'win32'" in env.summary

    @pytest.fixture
    def arm_linux(self, monkeypatch):
        """This machine as an arm64 Linux machine whose files name neither layer."""
        monkeypatch.setattr(sys, "platform", "linux")
        monkeypatch.setattr(detect_module.host_platform, "machine", lambda: "aarch64")
        monkeypatch.setattr(detect_module, "_detect_container", lambda _machine: None)
        monkeypatch.setattr(detect_module, "_detect_vm", lambda _machine, _cpuid: None)

    @pytest.mark.usefixtures("arm_linux")
    def test_nothing_found_on_arm_proves_little(self):
        """With no CPUID on Arm, finding no VM is said to prove little, with the reason."""
        env = detect("/")
        assert env.architecture == "aarch64"
        assert env.summary == (
            "No virtual machine or container found: as far as these files tell, this is bare"
            " metal. On an aarch64 processor that proves little: with no CPUID to ask, a VM"
            " whose firmware gives no DMI strings or device tree looks like bare metal."
        )
        assert "platform.machine() is 'aarch64', not x86" in env.evidence[-1]

    @pytest.mark.usefixtures("arm_linux")
    def test_a_container_found_on_arm_gets_the_caveat_too(self, monkeypatch):
        """A container, and no VM found below it on Arm: the same caveat follows."""
        monkeypatch.setattr(detect_module, "_detect_container", lambda _machine: "docker")
        assert detect("/").summary.startswith(
            "You are in a Docker container, with no virtual machine found below it. On an"
            " aarch64 processor that proves little"
        )

    @pytest.mark.parametrize("name", ["x86_64", "AMD64", "i686", "i386"])
    @pytest.mark.usefixtures("arm_linux")
    def test_every_x86_name_is_x86(self, monkeypatch, name):
        """Linux says x86_64, Windows AMD64, 32-bit systems i386 to i686: none gets the caveat."""
        monkeypatch.setattr(detect_module.host_platform, "machine", lambda: name)
        assert detect("/").architecture is None

    @pytest.mark.usefixtures("arm_linux")
    def test_an_unknown_architecture_gets_no_caveat(self, monkeypatch):
        """platform.machine() may be empty when Python cannot tell: nothing is claimed."""
        monkeypatch.setattr(detect_module.host_platform, "machine", lambda: "")
        assert detect("/").architecture is None

    @pytest.mark.usefixtures("arm_linux")
    def test_a_vm_found_on_arm_needs_no_caveat(self, monkeypatch):
        """When DMI or the device tree names the VM, the answer stands."""
        monkeypatch.setattr(detect_module, "_detect_vm", lambda _machine, _cpuid: "kvm")
        assert detect("/").summary == "You are in a KVM virtual machine, not in a container."

    @pytest.mark.usefixtures("arm_linux")
    def test_x86_gets_no_caveat(self, monkeypatch):
        """On x86, CPUID and the hypervisor flag would have named a VM."""
        monkeypatch.setattr(detect_module.host_platform, "machine", lambda: "x86_64")
        env = detect("/")
        assert env.architecture is None
        assert env.summary.endswith("this is bare metal.")

    @pytest.mark.usefixtures("arm_linux")
    def test_fake_root_gets_no_architecture(self, tmp_path):
        """A fake machine's processor is not the one running the test."""
        assert detect(tmp_path).architecture is None

    def test_fake_root_gets_no_platform_warning(self, monkeypatch, tmp_path):
        """A fake machine is judged by its files alone, whatever runs the test."""
        monkeypatch.setattr(sys, "platform", "darwin")
        env = detect(tmp_path)
        assert not any("not Linux" in line for line in env.evidence)
        assert env.platform is None


# ---------------------------------------------------------------------------------------------
# This real machine, against systemd-detect-virt
# ---------------------------------------------------------------------------------------------

SYSTEMD_DETECT_VIRT = shutil.which("systemd-detect-virt")
# Identifiers systemd can only learn from CPUID (no file shows them); we then see the
# hypervisor flag and say vm-other. Everything else must match exactly.
CPUID_ONLY = {"vmware", "bhyve", "qnx", "acrn", "sre", "apple", "qemu", "microsoft"}


def systemd_says(layer: str) -> str | None:
    """systemd-detect-virt's answer for one layer; it prints 'none' and exits 1 for nothing."""
    assert SYSTEMD_DETECT_VIRT is not None
    done = subprocess.run(
        [SYSTEMD_DETECT_VIRT, layer], capture_output=True, text=True, check=False, timeout=30
    )
    answer = done.stdout.strip()
    assert done.returncode in {0, 1}, done.stderr
    assert answer, f"systemd-detect-virt {layer} printed nothing: {done.stderr}"
    return None if answer == "none" else answer


@pytest.mark.skipif(
    SYSTEMD_DETECT_VIRT is None or not sys.platform.startswith("linux"),
    reason="systemd-detect-virt is not installed here (it comes with systemd, on Linux)",
)
class TestAgainstSystemd:
    """On this machine, detect() agrees with systemd-detect-virt on what files can show."""

    def test_container(self):
        """The container layer needs no CPUID, so the answers must be equal."""
        assert detect().container == systemd_says("--container")

    def test_vm(self):
        """The VM layer agrees, except where systemd used CPUID and no file names the hypervisor."""
        ours, theirs = detect(), systemd_says("--vm")
        if ours.vm == theirs:
            return
        # Only difference allowed: systemd read a CPUID signature that no clock source or DMI
        # string repeats, so we could only see the hypervisor flag. Then we say vm-other.
        assert ours.vm == "vm-other", (ours.vm, theirs, ours.evidence)
        assert theirs in CPUID_ONLY, (ours.vm, theirs, ours.evidence)

    def test_same_when_root_is_slash(self):
        """root='/' and the default are the same machine."""
        assert detect("/") == detect()
