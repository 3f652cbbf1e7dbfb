"""Tests for vmconcepts.host: sharing a machine's resources among VMs, and its diagram."""

import pytest

from vmconcepts.diagram import LayerKind
from vmconcepts.errors import (
    IncompatibleArchitectureError,
    IncompatibleKernelError,
    InvalidValueError,
    NotEnoughResourcesError,
    UnknownProductError,
)
from vmconcepts.host import Usage
from vmconcepts.hypervisor import Hypervisor
from vmconcepts.infrastructure import Machine
from vmconcepts.overcommit import Overcommit
from vmconcepts.resources import Resources, Size

SERVER = Machine("rack-1", "server", Resources(8, "16 GiB", "512 GiB"))
MAC = Machine("mac", "laptop", Resources(8, "16 GiB", "512 GiB"), os="macOS")
ARM_MAC = Machine("mac", "laptop", Resources(8, "16 GiB"), os="macOS", architecture="arm64")


def esxi(**policy):
    """A fresh ESXi host on SERVER."""
    return Hypervisor.named("ESXi").install_on(SERVER, **policy)


class TestCreating:
    """Creating a VM checks its name, OS, CPU and resources; a thin disk takes nothing yet."""

    def test_thin_disk_takes_nothing_until_written(self):
        """A created VM on a thin disk holds no vCPUs, memory or host disk."""
        host = esxi()
        vm = host.create_vm("a", "Debian 12", Resources(2, "4 GiB", "100 GiB"))
        assert host.usage().promised == Resources(0, "0 B", "100 GiB")
        assert host.usage().in_use == Resources(0, "0 B")
        assert vm.disk_used == Size(0)

    def test_thick_disk_takes_it_all_at_once(self):
        """A thick disk takes its whole size of host disk when the VM is created."""
        host = esxi()
        host.create_vm("a", "Debian 12", Resources(2, "4 GiB", "100 GiB"), disk="thick")
        assert host.usage().in_use.disk == Size("100 GiB")

    def test_unknown_provisioning_is_refused(self):
        """A disk is thin or thick, nothing else."""
        with pytest.raises(InvalidValueError, match="'thin' or 'thick', not 'sparse'"):
            esxi().create_vm("a", "Debian 12", Resources(1, "1 GiB"), disk="sparse")

    def test_duplicate_name_is_refused(self):
        """Two VMs on one host cannot share a name."""
        host = esxi()
        host.create_vm("a", "Debian 12", Resources(1, "1 GiB"))
        with pytest.raises(InvalidValueError, match="already has a VM named 'a'"):
            host.create_vm("a", "Debian 12", Resources(1, "1 GiB"))

    def test_name_is_free_again_after_delete(self):
        """A deleted VM's name can be used again."""
        host = esxi()
        host.create_vm("a", "Debian 12", Resources(1, "1 GiB")).delete()
        assert host.create_vm("a", "Fedora", Resources(1, "1 GiB")).guest_os.name == "Fedora"

    @pytest.mark.parametrize(
        ("name", "guest", "res", "fragment"),
        [
            ("", "Debian 12", Resources(1, "1 GiB"), "needs a name"),
            ("a", 7, Resources(1, "1 GiB"), "guest OS must be"),
            ("a", "Debian 12", Resources(0, "1 GiB"), "at least 1 vCPU"),
            ("a", "Debian 12", Resources(1, "0 B"), "some memory"),
            ("a", "Debian 12", "2 vCPUs", "at least 1 vCPU"),
        ],
    )
    def test_bad_requests_are_refused(self, name, guest, res, fragment):
        """Each bad part of a request is refused with InvalidValueError."""
        with pytest.raises(InvalidValueError, match=fragment):
            esxi().create_vm(name, guest, res)

    @pytest.mark.parametrize(
        ("res", "disk", "fragment"),
        [
            (Resources(9, "1 GiB"), "thin", "asks for 9 vCPUs but the host has 8 hardware"),
            (Resources(1, "17 GiB"), "thin", "asks for 17 GiB of memory but the host has 16 GiB"),
            (Resources(1, "1 GiB", "1 TiB"), "thick", "needs 1 TiB of disk at once"),
        ],
    )
    def test_vm_that_could_never_fit_is_refused(self, res, disk, fragment):
        """A VM bigger than the whole host is refused at once, with the numbers."""
        with pytest.raises(NotEnoughResourcesError, match=fragment):
            esxi().create_vm("big", "Debian 12", res, disk=disk)

    def test_thin_disks_may_promise_more_than_the_host_has(self):
        """Thin disks can add up to more than the host's disk: nothing is taken until written."""
        host = esxi()
        for name in ("a", "b"):
            host.create_vm(name, "Debian 12", Resources(1, "1 GiB", "500 GiB"))
        assert host.usage().overcommitted == ("disk",)

    def test_vm_lookup(self):
        """VMs are found by name, with a suggestion for a near miss."""
        host = esxi()
        web = host.create_vm("web", "Debian 12", Resources(1, "1 GiB"))
        assert host.vm("web") is web
        assert host.vms == (web,)
        with pytest.raises(UnknownProductError, match="did you mean 'web'"):
            host.vm("wbe")


class TestArchitecture:
    """A guest runs natively only on its own CPU architecture; only an emulator runs another."""

    def test_windows_10_on_apple_silicon_is_refused_with_what_works(self):
        """Windows 10 (x86_64 only) in Parallels on an arm64 Mac: the message names what works."""
        host = Hypervisor.named("Parallels").install_on(ARM_MAC)
        with pytest.raises(IncompatibleArchitectureError) as caught:
            host.create_vm("win10", "Windows 10", Resources(2, "4 GiB"))
        message = str(caught.value)
        assert "Windows 10 is built for x86_64 only" in message
        assert "Windows 11 (it has an arm64 build)" in message
        assert "an Intel Mac" in message

    def test_windows_10_on_an_intel_mac_works(self):
        """The same guest on an x86_64 Mac runs natively."""
        vm = (
            Hypervisor.named("Parallels")
            .install_on(MAC)
            .create_vm("win10", "Windows 10", Resources(2, "4 GiB"))
        )
        vm.start()
        assert (vm.architecture, vm.emulated) == ("x86_64", False)

    def test_windows_11_on_apple_silicon_is_arm64(self):
        """Windows 11 has an arm64 build, so it runs natively on Apple silicon."""
        vm = (
            Hypervisor.named("Parallels")
            .install_on(ARM_MAC)
            .create_vm("win11", "Windows 11", Resources(2, "4 GiB"))
        )
        assert (vm.architecture, vm.emulated) == ("arm64", False)

    def test_qemu_emulates_a_foreign_guest(self):
        """QEMU runs an x86_64 guest on arm64 by emulation, and the repr says so."""
        vm = (
            Hypervisor.named("QEMU")
            .install_on(ARM_MAC)
            .create_vm("win10", "Windows 10", Resources(2, "4 GiB"))
        )
        assert vm.emulated
        assert "(emulated x86_64)" in repr(vm)

    def test_asking_for_a_foreign_architecture_without_an_emulator_is_refused(self):
        """An explicit x86_64 guest on an arm64 host needs an emulator."""
        host = Hypervisor.named("Fusion").install_on(ARM_MAC)
        with pytest.raises(
            IncompatibleArchitectureError, match="supports only guests built for the host's CPU"
        ):
            host.create_vm("u", "Ubuntu 24.04", Resources(1, "1 GiB"), architecture="x86_64")

    def test_a_hypervisor_refuses_a_cpu_it_does_not_run_on(self):
        """VMware Workstation runs on x86_64 only; the message lists what runs on this PC."""
        arm_pc = Machine(
            "arm-pc", "laptop", Resources(8, "16 GiB"), os="Windows 11", architecture="arm64"
        )
        with pytest.raises(
            IncompatibleArchitectureError,
            match=r"you could use: Microsoft Hyper-V, Oracle VirtualBox, QEMU$",
        ):
            Hypervisor.named("Workstation").install_on(arm_pc)

    def test_the_alternatives_fit_the_cpu_and_the_os_together(self):
        """On an Apple silicon Mac, only Mac products that run on arm64, and QEMU, are offered."""
        with pytest.raises(IncompatibleArchitectureError) as refused:
            Hypervisor.named("Workstation").install_on(ARM_MAC)
        offered = str(refused.value).split("you could use: ")[1].split(", ")
        assert offered == [
            "VMware Fusion",
            "Oracle VirtualBox",
            "Parallels Desktop for Mac",
            "Apple Virtualization.framework",
            "QEMU",
        ]


class TestGuestSupport:
    """A hypervisor boots only the guests it supports; macOS is a guest only on a Mac."""

    def test_virtualization_framework_boots_macos_and_linux_only(self):
        """Apple's framework refuses Windows 11 and names the Mac products that boot it."""
        host = Hypervisor.named("Virtualization.framework").install_on(ARM_MAC)
        host.create_vm("linux", "Ubuntu 24.04", Resources(1, "2 GiB"))
        host.create_vm("mac", "macOS", Resources(2, "4 GiB"))
        with pytest.raises(IncompatibleKernelError, match="boots only darwin and linux") as no:
            host.create_vm("win", "Windows 11", Resources(2, "4 GiB"))
        assert "Parallels Desktop for Mac" in str(no.value)
        assert "Apple Virtualization.framework, " not in str(no.value)
        assert [vm.name for vm in host.vms] == ["linux", "mac"]

    def test_the_products_named_instead_can_run_the_guest(self):
        """For an x86-only guest on an Apple silicon Mac, only the emulator is named."""
        host = Hypervisor.named("Virtualization.framework").install_on(ARM_MAC)
        with pytest.raises(IncompatibleKernelError, match=r"these boot it: QEMU$"):
            host.create_vm("win10", "Windows 10", Resources(2, "4 GiB"))

    def test_macos_is_refused_as_a_guest_off_a_mac(self):
        """On Windows, Hyper-V does not get a macOS guest: Apple's licence is cited."""
        pc = Machine("pc", "desktop", Resources(8, "16 GiB"), os="Windows 11")
        host = Hypervisor.named("Hyper-V").install_on(pc)
        with pytest.raises(IncompatibleKernelError, match=r"licence, section 2B\(iii\)"):
            host.create_vm("mac", "macOS", Resources(2, "4 GiB"))
        assert host.vms == ()

    def test_macos_is_refused_on_bare_metal(self):
        """A type 1 hypervisor on a server with no OS is not a Mac running macOS."""
        host = Hypervisor.named("ESXi").install_on(
            Machine("rack", "server", Resources(8, "16 GiB"))
        )
        with pytest.raises(IncompatibleKernelError, match="server 'rack' has no OS"):
            host.create_vm("mac", "macOS", Resources(2, "4 GiB"))

    def test_macos_on_a_mac_is_a_guest_like_any_other(self):
        """Parallels on a Mac runs a macOS guest."""
        host = Hypervisor.named("Parallels").install_on(ARM_MAC)
        assert host.create_vm("mac", "macOS", Resources(2, "4 GiB")).guest_os.name == "macOS"


class TestSharing:
    """Running VMs share vCPUs and memory; the host's policy says how far it may overcommit."""

    def test_virtualbox_reserves_a_vms_memory_when_it_starts(self):
        """VirtualBox's manual: base memory must be free on the host to start a VM."""
        mac = Machine("mac", "laptop", Resources(8, "16 GiB"), os="macOS", architecture="arm64")
        host = Hypervisor.named("VirtualBox").install_on(mac)
        host.create_vm("a", "Debian 12", Resources(2, "10 GiB")).start()
        second = host.create_vm("b", "Debian 12", Resources(2, "10 GiB"))
        with pytest.raises(NotEnoughResourcesError, match="no more memory than the host has"):
            second.start()
        assert second.state == "created"
        many = host.create_vm("c", "Debian 12", Resources(8, "1 GiB"))
        many.start()  # vCPUs are still threads the host schedules, with no cap
        assert host.usage().overcommitted == ("vCPUs",)

    def test_an_explicit_policy_wins_over_the_products_default(self):
        """A VirtualBox host installed with no limit promises memory beyond the hardware."""
        mac = Machine("mac", "laptop", Resources(8, "16 GiB"), os="macOS", architecture="arm64")
        host = Hypervisor.named("VirtualBox").install_on(mac, overcommit=Overcommit())
        for name in ("a", "b"):
            host.create_vm(name, "Debian 12", Resources(2, "10 GiB")).start()
        assert host.usage().overcommitted == ("memory",)

    def test_default_policy_overcommits_memory(self):
        """By default, as KVM and ESXi as shipped, a host promises more memory than it has."""
        host = esxi()
        for name in ("a", "b", "c"):
            host.create_vm(name, "Debian 12", Resources(2, "8 GiB")).start()
        assert host.usage().promised.memory == Size("24 GiB")
        assert host.usage().overcommitted == ("memory",)

    def test_default_policy_overcommits_vcpus(self):
        """Each vCPU is a thread the host schedules, with no cap of one per hardware thread."""
        host = esxi()
        for name in ("a", "b", "c"):
            host.create_vm(name, "Debian 12", Resources(4, "1 GiB")).start()
        assert host.pressure().vcpus == 12

    def test_seed_message(self):
        """Strict policy: the refusal names the need, the free amount, the total and the fix."""
        host = esxi(overcommit=Overcommit.strict())
        host.create_vm("linux", "Debian 12", Resources(2, "10 GiB")).start()
        win10 = host.create_vm("win10", "Windows 10", Resources(2, "8 GiB"))
        with pytest.raises(NotEnoughResourcesError) as caught:
            win10.start()
        assert str(caught.value) == (
            "VM 'win10' needs 8 GiB of memory but the host has 6 GiB free of 16 GiB under its"
            " policy (strict: nothing is promised beyond the hardware); stop a VM or give it"
            " less memory."
        )
        assert win10.state == "created"

    def test_stopping_frees_memory(self):
        """Under the strict policy, after one VM stops another can take its memory."""
        host = esxi(overcommit=Overcommit.strict())
        first = host.create_vm("a", "Debian 12", Resources(1, "12 GiB"))
        second = host.create_vm("b", "Debian 12", Resources(1, "12 GiB"))
        first.start()
        with pytest.raises(NotEnoughResourcesError):
            second.start()
        first.stop()
        second.start()
        assert host.usage().promised.memory == second.resources.memory

    def test_paused_vm_keeps_its_memory(self):
        """A paused VM still holds its memory and the promise of its vCPUs."""
        host = esxi()
        vm = host.create_vm("a", "Debian 12", Resources(2, "4 GiB"))
        vm.start()
        vm.pause()
        assert host.usage().promised == Resources(2, "4 GiB")
        assert host.usage().in_use == Resources(0, "4 GiB")

    def test_vcpus_follow_the_ratio(self):
        """With vcpu_ratio 2, an 8-thread host runs 16 vCPUs and refuses the 17th."""
        host = esxi(overcommit=Overcommit(vcpu_ratio=2))
        for index in range(4):
            host.create_vm(f"vm{index}", "Debian 12", Resources(4, "1 GiB")).start()
        extra = host.create_vm("extra", "Debian 12", Resources(1, "1 GiB"))
        with pytest.raises(
            NotEnoughResourcesError, match="needs 1 vCPU but the host has 0 free of 16"
        ):
            extra.start()

    def test_memory_ratio_caps_the_promise(self):
        """With memory_ratio 1.5, 24 GiB can be promised on 16 GiB, and no more."""
        host = esxi(overcommit=Overcommit(memory_ratio=1.5))
        host.create_vm("a", "Debian 12", Resources(1, "16 GiB")).start()
        host.create_vm("b", "Debian 12", Resources(1, "8 GiB")).start()
        with pytest.raises(NotEnoughResourcesError, match="0 B free of 24 GiB"):
            host.create_vm("c", "Debian 12", Resources(1, "1 GiB")).start()

    def test_bad_policy_is_refused(self):
        """The policy must be an Overcommit."""
        with pytest.raises(
            InvalidValueError, match=r"Overcommit policy such as Overcommit\.strict\(\)"
        ):
            esxi(overcommit=2)

    def test_thin_disk_grows_until_the_host_is_full(self):
        """A thin disk takes host disk as the guest writes, and is refused past what is free."""
        host = esxi()
        a = host.create_vm("a", "Debian 12", Resources(1, "1 GiB", "400 GiB"))
        b = host.create_vm("b", "Debian 12", Resources(1, "1 GiB", "400 GiB"))
        a.start()
        b.start()
        a.use_disk("300 GiB")
        with pytest.raises(NotEnoughResourcesError, match="has 212 GiB free of 512 GiB"):
            b.use_disk("300 GiB")
        assert b.disk_used == Size(0)
        b.use_disk("200 GiB")
        assert host.usage().in_use.disk == Size("500 GiB")

    def test_a_guest_cannot_store_more_than_its_disk(self):
        """use_disk beyond the virtual disk's size is bad input."""
        vm = esxi().create_vm("a", "Debian 12", Resources(1, "1 GiB", "10 GiB"))
        vm.start()
        with pytest.raises(InvalidValueError, match="has a 10 GiB disk"):
            vm.use_disk("11 GiB")

    def test_deleting_gives_the_disk_back(self):
        """Stopping keeps a thick disk; deleting frees it."""
        host = esxi()
        vm = host.create_vm("a", "Debian 12", Resources(1, "1 GiB", "500 GiB"), disk="thick")
        vm.start()
        vm.stop()
        with pytest.raises(NotEnoughResourcesError, match="delete a VM, give it a smaller disk"):
            host.create_vm("b", "Debian 12", Resources(1, "1 GiB", "100 GiB"), disk="thick")
        vm.delete()
        host.create_vm("b", "Debian 12", Resources(1, "1 GiB", "100 GiB"), disk="thick")


class TestPressure:
    """Overcommit costs only when guests use what was promised; then the quietest pay first."""

    def three_busy_guests(self):
        """Three 8 GiB guests on a 16 GiB host, each using 4 GiB."""
        host = esxi()
        vms = [host.create_vm(n, "Debian 12", Resources(2, "8 GiB")) for n in ("a", "b", "c")]
        for vm in vms:
            vm.start()
            vm.use_memory("4 GiB")
        return host, vms

    def test_no_pressure_while_use_fits(self):
        """Promising 24 GiB on 16 GiB costs nothing while the guests use 12 GiB."""
        host, _ = self.three_busy_guests()
        assert host.pressure().reclaimed == Size(0)

    def test_noisy_neighbour_slows_the_quiet_guest(self):
        """When one guest grows, memory is taken from the guest that was quiet longest."""
        host, (_, b, c) = self.three_busy_guests()
        c.use_memory("8 GiB")
        b.use_memory("6 GiB")
        pressure = host.pressure()
        assert pressure.guest("a").reclaimed == Size("2 GiB")
        assert pressure.guest("a").slowed
        assert not pressure.guest("c").slowed

    def test_a_guest_starts_using_all_its_memory(self):
        """A started guest uses all it was given, the worst case, until told otherwise."""
        host = esxi()
        vm = host.create_vm("a", "Debian 12", Resources(1, "4 GiB"))
        vm.start()
        assert vm.memory_used == Size("4 GiB")
        vm.stop()
        assert vm.memory_used == Size(0)

    def test_reclaimed_memory_keeps_the_guest_state(self):
        """Memory taken back is swapped or ballooned, not lost: the guest still reads its data."""
        host, (a, _, c) = self.three_busy_guests()
        a.write_memory("key", "value")
        c.use_memory("8 GiB")
        host.create_vm("d", "Debian 12", Resources(1, "4 GiB")).start()
        assert host.pressure().guest("a").slowed
        assert a.read_memory("key") == "value"

    def test_use_memory_beyond_what_was_given_is_refused(self):
        """A guest cannot use more memory than its VM has."""
        _, (a, _, _) = self.three_busy_guests()
        with pytest.raises(InvalidValueError, match="was given 8 GiB"):
            a.use_memory("9 GiB")

    def test_unknown_guest_in_report(self):
        """Asking the report for a VM that holds no memory is a clear error."""
        host, _ = self.three_busy_guests()
        with pytest.raises(InvalidValueError, match="no running or paused VM named 'z'"):
            host.pressure().guest("z")


class TestUsage:
    """The usage report adds up."""

    def test_report_numbers(self):
        """Promised and in-use memory and disk follow the VMs."""
        host = esxi()
        vm = host.create_vm("a", "Debian 12", Resources(2, "4 GiB", "64 GiB"))
        vm.start()
        vm.use_memory("1 GiB")
        vm.use_disk("10 GiB")
        assert host.usage() == Usage(
            Resources(2, "4 GiB", "64 GiB"),
            Resources(2, "1 GiB", "10 GiB"),
            Resources(8, "16 GiB", "512 GiB"),
        )

    def test_report_text(self):
        """The report prints as a table with one row per resource."""
        lines = str(esxi().usage()).splitlines()
        assert lines[0].split() == ["promised", "in", "use", "hardware"]
        assert lines[2].split() == ["memory", "0", "B", "0", "B", "16", "GiB"]


class TestStack:
    """The diagram puts each layer where the hypervisor really runs."""

    def kinds(self, host):
        """The kinds of the layers, row by row, bottom first."""
        return [[layer.kind for layer in row] for row in host.stack().rows]

    def test_type_1(self):
        """Type 1: hardware, hypervisor, guests."""
        host = esxi()
        host.create_vm("a", "Debian 12", Resources(1, "1 GiB"))
        host.create_vm("b", "Windows 11", Resources(1, "1 GiB"))
        assert self.kinds(host) == [
            [LayerKind.HARDWARE],
            [LayerKind.HYPERVISOR],
            [LayerKind.GUEST_OS, LayerKind.GUEST_OS],
        ]

    def test_type_2(self):
        """Type 2: hardware, host OS, hypervisor, guests."""
        host = Hypervisor.named("VirtualBox").install_on(MAC)
        host.create_vm("win10", "Windows 10", Resources(1, "1 GiB"))
        assert self.kinds(host) == [
            [LayerKind.HARDWARE],
            [LayerKind.HOST_OS],
            [LayerKind.HYPERVISOR],
            [LayerKind.GUEST_OS],
        ]
        assert "win10 (Windows 10)" in host.stack().to_text()

    def test_hyper_v_puts_windows_beside_the_guests(self):
        """Hyper-V: Windows runs in the root partition, on the hypervisor, beside the VMs."""
        pc = Machine("pc", "desktop", Resources(8, "16 GiB", "512 GiB"), os="Windows 11")
        host = Hypervisor.named("Hyper-V").install_on(pc)
        host.create_vm("dev", "Ubuntu 24.04", Resources(1, "1 GiB"))
        rows = host.stack().rows
        assert rows[1][0].kind is LayerKind.HYPERVISOR
        assert [layer.label for layer in rows[2]] == [
            "Windows 11 (root partition)",
            "dev (Ubuntu 24.04)",
        ]

    def test_kvm_is_one_layer_with_the_host_kernel(self):
        """KVM: the host OS and the hypervisor are drawn as one layer."""
        box = Machine("box", "server", Resources(8, "16 GiB"), os="Ubuntu 24.04")
        host = Hypervisor.named("KVM").install_on(box)
        assert host.stack().rows[1][0].label == "Ubuntu 24.04 with KVM in its kernel"

    def test_no_vms_no_guest_row(self):
        """A host with no VMs has no guest row, and deleted VMs leave it."""
        host = esxi()
        host.create_vm("a", "Debian 12", Resources(1, "1 GiB")).delete()
        assert len(host.stack().rows) == 2
