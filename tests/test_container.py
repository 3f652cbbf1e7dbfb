"""Tests for vmconcepts.container: engines, images, namespaces, cgroups and kernels."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vmconcepts.architecture import Architecture
from vmconcepts.container import (
    NAMESPACE_KINDS,
    CgroupLimits,
    ContainerEngine,
    Image,
    Namespace,
    linux_vm_engine,
)
from vmconcepts.diagram import LayerKind
from vmconcepts.errors import (
    IncompatibleArchitectureError,
    IncompatibleKernelError,
    InvalidStateError,
    InvalidValueError,
    UnknownProductError,
    VMConceptsError,
)
from vmconcepts.hypervisor import Hypervisor
from vmconcepts.infrastructure import Machine
from vmconcepts.resources import Resources


def machine(
    os: str | None = "Ubuntu 24.04", name: str = "box", architecture: Architecture = "x86_64"
) -> Machine:
    """A desktop with the given OS and CPU."""
    return Machine(
        name, "desktop", Resources(8, "16 GiB", "512 GiB"), os=os, architecture=architecture
    )


class TestImage:
    """Images name the kernel and CPU they need."""

    def test_defaults_to_linux_x86_64(self):
        """An image with no details is a Linux x86_64 image."""
        assert Image("nginx") == Image("nginx", "linux", "x86_64")

    @pytest.mark.parametrize(
        ("name", "kernel", "arch"),
        [("", "linux", "x86_64"), ("a", "plan9", "x86_64"), ("a", "linux", "riscv")],
    )
    def test_bad_image_is_refused(self, name, kernel, arch):
        """Empty names, unknown kernels and unknown CPUs raise InvalidValueError."""
        with pytest.raises(InvalidValueError):
            Image(name, kernel, arch)

    def test_docker_platform_name_gets_a_hint(self):
        """Docker's name amd64 is refused with the library's name for it."""
        with pytest.raises(InvalidValueError, match="for amd64 write 'x86_64'"):
            Image("nginx", architecture="amd64")  # type: ignore[arg-type]


class TestSharedKernel:
    """Containers share their host's kernel."""

    def test_container_kernel_is_host_kernel(self):
        """Every container's kernel is the host OS's kernel object itself."""
        host = machine()
        engine = ContainerEngine(host)
        first = engine.run(Image("a"), "a")
        second = engine.run(Image("b"), "b")
        assert host.os is not None
        assert first.kernel is host.os.kernel
        assert second.kernel is first.kernel

    def test_bare_metal_has_no_kernel_for_an_engine(self):
        """Installing an engine on a machine without an OS raises IncompatibleKernelError."""
        with pytest.raises(IncompatibleKernelError, match="install a host OS first"):
            ContainerEngine(machine(os=None))

    @pytest.mark.parametrize("os", ["macOS", "Windows 11"])
    def test_linux_image_on_other_kernel_says_use_a_vm(self, os):
        """A Linux image on macOS or Windows is refused with advice to use a Linux VM."""
        engine = ContainerEngine(machine(os=os))
        with pytest.raises(IncompatibleKernelError, match="Linux VM"):
            engine.run(Image("nginx"), "web")
        assert engine.containers == ()

    def test_windows_image_runs_on_windows(self):
        """A Windows image runs on a Windows kernel and is refused on Linux."""
        assert ContainerEngine(machine("Windows 11")).run(Image("iis", "windows"), "iis")
        with pytest.raises(IncompatibleKernelError, match="windows kernel"):
            ContainerEngine(machine()).run(Image("iis", "windows"), "iis")


class TestArchitecture:
    """An engine runs images for its host's CPU natively, and others only under emulation."""

    @pytest.mark.parametrize("arch", ["x86_64", "arm64"])
    def test_engine_has_its_machines_cpu(self, arch):
        """An engine on a machine takes the machine's architecture, and runs its images natively."""
        engine = ContainerEngine(machine(architecture=arch))
        assert engine.architecture == arch
        box = engine.run(Image("app", architecture=arch), "app")
        assert not box.emulated
        assert "emulated" not in repr(box)

    def test_engine_in_a_vm_has_the_guests_cpu(self):
        """In a VM the engine takes the guest's architecture, even when QEMU emulates it."""
        host = Hypervisor.named("QEMU").install_on(machine())
        vm = host.create_vm("arm-vm", "Debian 12", Resources(2, "4 GiB"), architecture="arm64")
        vm.start()
        engine = ContainerEngine(vm)
        assert vm.emulated
        assert engine.architecture == "arm64"
        assert not engine.run(Image("app", architecture="arm64"), "app").emulated

    def test_foreign_image_without_emulator_is_refused_with_what_works(self):
        """With no emulator registered, an arm64 image on x86_64 is refused, naming three fixes."""
        engine = ContainerEngine(machine())
        with pytest.raises(IncompatibleArchitectureError, match="built for arm64") as caught:
            engine.run(Image("app", architecture="arm64"), "app")
        message = str(caught.value)
        assert "an image built for x86_64" in message
        assert "multi-platform image" in message
        assert "binfmt_misc" in message
        assert engine.containers == ()

    def test_foreign_image_runs_emulated_with_an_emulator(self):
        """With an emulator registered, a foreign image runs, marked emulated in repr and stack."""
        engine = ContainerEngine(machine(), emulation=True)
        box = engine.run(Image("app", architecture="arm64"), "app")
        assert box.emulated
        assert repr(box).endswith(", emulated=True)")
        assert [layer.label for layer in engine.stack().rows[-1]] == ["app (arm64, emulated)"]

    def test_emulation_needs_a_linux_kernel(self):
        """Asking a Windows kernel for binfmt_misc emulation raises IncompatibleKernelError."""
        with pytest.raises(IncompatibleKernelError, match="binfmt_misc"):
            ContainerEngine(machine("Windows 11"), emulation=True)

    def test_emulation_is_true_or_false(self):
        """An emulation flag that is not a bool raises InvalidValueError."""
        with pytest.raises(InvalidValueError, match="True or False"):
            ContainerEngine(machine(), emulation="qemu")  # type: ignore[arg-type]

    def test_docker_desktop_emulates_amd64_on_apple_silicon(self):
        """On an arm64 Mac, linux_vm_engine runs arm64 images natively and x86_64 ones emulated."""
        engine = linux_vm_engine(machine("macOS", architecture="arm64"))
        assert engine.architecture == "arm64"
        assert not engine.run(Image("web", architecture="arm64"), "web").emulated
        assert engine.run(Image("old", architecture="x86_64"), "old").emulated

    def test_docker_desktop_without_emulation_refuses_foreign_images(self):
        """linux_vm_engine(emulation=False) refuses an image for another CPU."""
        engine = linux_vm_engine(machine("macOS", architecture="arm64"), emulation=False)
        with pytest.raises(IncompatibleArchitectureError, match="no emulator registered"):
            engine.run(Image("old", architecture="x86_64"), "old")


class TestNamespaces:
    """Each container gets its own namespaces."""

    def test_one_namespace_of_each_kind(self):
        """A container holds one namespace of every kind, all its own."""
        web = ContainerEngine(machine()).run(Image("nginx"), "web")
        assert [ns.kind for ns in web.namespaces] == list(NAMESPACE_KINDS)
        assert all(ns.owner == "web" for ns in web.namespaces)

    def test_two_containers_share_no_namespace(self):
        """Two containers share no namespace, though they share a kernel."""
        engine = ContainerEngine(machine())
        a = engine.run(Image("a"), "a")
        b = engine.run(Image("b"), "b")
        for kind in NAMESPACE_KINDS:
            assert not a.shares_namespace_with(b, kind)
            assert a.shares_namespace_with(a, kind)

    def test_unknown_kind_suggests_one(self):
        """An unknown namespace kind raises UnknownProductError with a suggestion."""
        with pytest.raises(UnknownProductError, match="did you mean 'net'"):
            Namespace("nett", "web")


class TestCgroupLimits:
    """A cgroup limits CPU, memory and processes."""

    def test_files_hold_the_limits(self):
        """The cgroup v2 files hold the quota, the bytes and the process count."""
        files = CgroupLimits(cpus=2, memory="1 GiB", pids=64).files()
        assert files == {
            "cpu.max": "200000 100000",
            "memory.max": str(1024**3),
            "pids.max": "64",
        }

    @pytest.mark.parametrize(
        "kwargs",
        [{"cpus": 0}, {"cpus": -1}, {"cpus": True}, {"memory": "0 B"}, {"pids": 0}, {"memory": 5}],
    )
    def test_bad_limits_are_refused(self, kwargs):
        """Zero, negative or wrongly typed limits raise InvalidValueError."""
        with pytest.raises(InvalidValueError):
            CgroupLimits(**kwargs)

    def test_run_keeps_the_limits(self):
        """A container keeps the limits it was started with."""
        limits = CgroupLimits(memory="256 MiB")
        web = ContainerEngine(machine()).run(Image("nginx"), "web", limits)
        assert web.limits is limits


class TestEngine:
    """The engine runs, lists, removes and draws containers."""

    def test_duplicate_name_is_refused(self):
        """A second container with the same name raises InvalidValueError."""
        engine = ContainerEngine(machine())
        engine.run(Image("nginx"), "web")
        with pytest.raises(InvalidValueError, match="already runs"):
            engine.run(Image("nginx"), "web")

    def test_remove_unknown_is_refused(self):
        """Removing a container that does not exist raises UnknownProductError."""
        with pytest.raises(UnknownProductError):
            ContainerEngine(machine()).remove("ghost")

    def test_stack_puts_containers_on_top(self):
        """The stack runs hardware, host OS, engine, then the containers side by side."""
        engine = ContainerEngine(machine())
        for name in ("a", "b", "c"):
            engine.run(Image(name), name)
        rows = engine.stack().rows
        assert [row[0].kind for row in rows] == [
            LayerKind.HARDWARE,
            LayerKind.HOST_OS,
            LayerKind.CONTAINER_ENGINE,
            LayerKind.CONTAINER,
        ]
        assert [layer.label for layer in rows[-1]] == ["a", "b", "c"]

    def test_hardware_is_labelled_as_a_hypervisor_host_labels_it(self):
        """The container drawing names the hardware exactly as a hypervisor host's drawing does."""
        box = machine()
        engine_hardware = ContainerEngine(box).stack().rows[0][0].label
        host_hardware = Hypervisor.named("VirtualBox").install_on(box).stack().rows[0][0].label
        assert engine_hardware == host_hardware == "box (desktop)"

    @pytest.mark.parametrize(
        "call",
        [
            lambda e: e.run("nginx", "web"),
            lambda e: e.run(Image("nginx"), ""),
            lambda e: e.run(Image("nginx"), "web", {"memory": "1 GiB"}),
        ],
    )
    def test_wrong_arguments_raise_library_errors(self, call):
        """Wrongly typed arguments raise a VMConceptsError, never a TypeError."""
        with pytest.raises(VMConceptsError):
            call(ContainerEngine(machine()))

    @given(st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=12))
    def test_run_and_remove_keep_names_unique(self, names):
        """Running and removing in any order leaves each name at most once."""
        engine = ContainerEngine(machine())
        expected: list[str] = []
        for name in names:
            if name in expected:
                engine.remove(name)
                expected.remove(name)
            else:
                engine.run(Image(name), name)
                expected.append(name)
        assert [c.name for c in engine.containers] == expected


class TestLinuxVm:
    """A Linux VM underneath, as Docker Desktop sets up, makes Linux images run anywhere."""

    @pytest.mark.parametrize(("os", "hypervisor"), [("macOS", "Apple"), ("Windows 11", "Hyper-V")])
    def test_linux_image_runs_in_the_vm(self, os, hypervisor):
        """On macOS and Windows the container runs on the VM's Linux kernel, not the host's."""
        host = machine(os)
        engine = linux_vm_engine(host)
        web = engine.run(Image("nginx"), "web")
        assert host.os is not None
        assert web.kernel is not host.os.kernel
        assert web.kernel.family == "linux"
        assert web.kernel is engine.os.kernel
        assert any(hypervisor in layer.label for layer in engine.stack().layers)

    def test_default_guest_is_built_with_linuxkit(self):
        """The VM's default guest is a LinuxKit Linux, as Docker Desktop's is."""
        engine = linux_vm_engine(machine("macOS"))
        assert engine.os.name == "LinuxKit Linux"
        assert engine.os.family == "linux"

    def test_mac_stack_draws_the_framework_above_macos(self):
        """On a Mac the drawing has macOS, then Apple's Virtualization.framework, as two rows."""
        engine = linux_vm_engine(machine("macOS", architecture="arm64"))
        labels = [row[0].label for row in engine.stack().rows]
        assert labels[1:3] == ["macOS", "Apple Virtualization.framework"]
        assert not any("in its kernel" in label for label in labels)

    def test_stack_shows_vm_between_hypervisor_and_engine(self):
        """The drawing goes hardware, host OS and hypervisor, guest OS, engine, containers."""
        engine = linux_vm_engine(machine("Windows 11"))
        engine.run(Image("a"), "a")
        kinds = [row[0].kind for row in engine.stack().rows]
        assert kinds[-3:] == [LayerKind.GUEST_OS, LayerKind.CONTAINER_ENGINE, LayerKind.CONTAINER]
        assert kinds[0] == LayerKind.HARDWARE

    def test_guest_must_be_linux(self):
        """A VM with a non-Linux guest is refused: it would not provide a Linux kernel."""
        with pytest.raises(IncompatibleKernelError, match="not a Linux"):
            linux_vm_engine(machine("macOS"), guest_os="Windows 11")

    def test_stopped_vm_runs_no_containers(self):
        """Once its VM is stopped, the engine refuses to run containers."""
        engine = linux_vm_engine(machine("macOS"))
        assert not isinstance(engine.host, Machine)
        engine.host.stop()
        with pytest.raises(InvalidStateError, match="run containers in"):
            engine.run(Image("nginx"), "web")

    def test_too_small_machine_is_refused(self):
        """A VM bigger than the machine raises a VMConceptsError."""
        with pytest.raises(VMConceptsError):
            linux_vm_engine(machine("macOS"), resources=Resources(64, "1 TiB"))
