"""Tests for vmconcepts.host: sharing a machine's resources among VMs, and its diagram."""

import pytest

from vmconcepts.diagram import LayerKind
from vmconcepts.errors import InvalidValueError, NotEnoughResourcesError, UnknownProductError
from vmconcepts.host import Usage
from vmconcepts.hypervisor import Hypervisor
from vmconcepts.infrastructure import Machine
from vmconcepts.resources import Resources

SERVER = Machine("rack-1", "server", Resources(8, "16 GiB", "512 GiB"))
MAC = Machine("mac", "laptop", Resources(8, "16 GiB", "512 GiB"), os="macOS")


def esxi(**ratios):
    """A fresh ESXi host on SERVER."""
    return Hypervisor.named("ESXi").install_on(SERVER, **ratios)


class TestCreating:
    """Creating a VM checks its name, OS and resources, and reserves its disk."""

    def test_create_reserves_disk_only(self):
        """A created VM holds disk but no vCPUs or memory."""
        host = esxi()
        host.create_vm("a", "Debian 12", Resources(2, "4 GiB", "100 GiB"))
        assert host.used == Resources(0, "0 B", "100 GiB")

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
        ("res", "fragment"),
        [
            (Resources(9, "1 GiB"), "asks for 9 vCPUs but the host can hand out 8 in all"),
            (Resources(1, "17 GiB"), "asks for 17 GiB of memory but the host has 16 GiB in all"),
            (Resources(1, "1 GiB", "1 TiB"), "needs 1 TiB of disk but the host has 512 GiB free"),
        ],
    )
    def test_vm_that_could_never_fit_is_refused(self, res, fragment):
        """A VM bigger than the whole host is refused at once, with the numbers."""
        with pytest.raises(NotEnoughResourcesError, match=fragment):
            esxi().create_vm("big", "Debian 12", res)

    def test_vm_lookup(self):
        """VMs are found by name, with a suggestion for a near miss."""
        host = esxi()
        web = host.create_vm("web", "Debian 12", Resources(1, "1 GiB"))
        assert host.vm("web") is web
        assert host.vms == (web,)
        with pytest.raises(UnknownProductError, match="did you mean 'web'"):
            host.vm("wbe")


class TestSharing:
    """Running VMs share vCPUs and memory; memory is not overcommitted by default."""

    def test_seed_message(self):
        """The refusal names the need, the free amount, the total and the fix."""
        host = esxi()
        host.create_vm("linux", "Debian 12", Resources(2, "10 GiB")).start()
        win10 = host.create_vm("win10", "Windows 10", Resources(2, "8 GiB"))
        with pytest.raises(NotEnoughResourcesError) as caught:
            win10.start()
        assert str(caught.value) == (
            "VM 'win10' needs 8 GiB of memory but the host has 6 GiB free of 16 GiB;"
            " stop a VM or give it less memory."
        )
        assert win10.state == "created"

    def test_stopping_frees_memory(self):
        """After one VM stops, another can take its memory."""
        host = esxi()
        first = host.create_vm("a", "Debian 12", Resources(1, "12 GiB"))
        second = host.create_vm("b", "Debian 12", Resources(1, "12 GiB"))
        first.start()
        with pytest.raises(NotEnoughResourcesError):
            second.start()
        first.stop()
        second.start()
        assert host.used.memory == second.resources.memory

    def test_paused_vm_keeps_its_memory(self):
        """A paused VM still holds its memory and vCPUs."""
        host = esxi()
        vm = host.create_vm("a", "Debian 12", Resources(2, "4 GiB"))
        vm.start()
        vm.pause()
        assert host.used == Resources(2, "4 GiB")

    def test_vcpus_follow_the_ratio(self):
        """With vcpu_ratio 2, an 8-thread host runs 16 vCPUs and refuses the 17th."""
        host = esxi(vcpu_ratio=2)
        for index in range(4):
            host.create_vm(f"vm{index}", "Debian 12", Resources(4, "1 GiB")).start()
        extra = host.create_vm("extra", "Debian 12", Resources(1, "1 GiB"))
        with pytest.raises(NotEnoughResourcesError, match=r"0 free of 16 \(8 hardware threads"):
            extra.start()

    def test_vcpus_not_overcommitted_by_default(self):
        """At ratio 1, vCPUs of running VMs never exceed hardware threads."""
        host = esxi()
        host.create_vm("a", "Debian 12", Resources(8, "1 GiB")).start()
        with pytest.raises(NotEnoughResourcesError, match="needs 1 vCPU but the host has 0 free"):
            host.create_vm("b", "Debian 12", Resources(1, "1 GiB")).start()

    def test_memory_ratio_allows_overcommit(self):
        """With memory_ratio 1.5, 24 GiB can be promised on 16 GiB."""
        host = esxi(memory_ratio=1.5)
        assert host.capacity.memory.bytes == 24 * 1024**3
        host.create_vm("a", "Debian 12", Resources(1, "20 GiB")).start()

    def test_disk_is_freed_by_delete_only(self):
        """Stopping keeps the disk; deleting frees it."""
        host = esxi()
        vm = host.create_vm("a", "Debian 12", Resources(1, "1 GiB", "500 GiB"))
        vm.start()
        vm.stop()
        with pytest.raises(NotEnoughResourcesError, match="delete a VM or give it a smaller disk"):
            host.create_vm("b", "Debian 12", Resources(1, "1 GiB", "100 GiB"))
        vm.delete()
        host.create_vm("b", "Debian 12", Resources(1, "1 GiB", "100 GiB"))


class TestUsage:
    """The usage report adds up."""

    def test_report_numbers(self):
        """Used plus free is the total."""
        host = esxi()
        host.create_vm("a", "Debian 12", Resources(2, "4 GiB", "64 GiB")).start()
        usage = host.usage()
        assert usage == Usage(Resources(8, "16 GiB", "512 GiB"), Resources(2, "4 GiB", "64 GiB"))
        assert usage.used + usage.free == usage.total

    def test_report_text(self):
        """The report prints as a table with one row per resource."""
        lines = str(esxi().usage()).splitlines()
        assert lines[0].split() == ["used", "free", "total"]
        assert lines[2].split() == ["memory", "0", "B", "16", "GiB", "16", "GiB"]


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
