"""Tests for vmconcepts.container: engines, images, namespaces, cgroups and kernels."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


def machine(os: str | None = "Ubuntu 24.04", name: str = "box") -> Machine:
    """A desktop with the given OS."""
    return Machine(name, "desktop", Resources(8, "16 GiB", "512 GiB"), os=os)


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

    def test_wrong_architecture_is_refused(self):
        """An arm64 image on an x86_64 host raises IncompatibleArchitectureError."""
        engine = ContainerEngine(machine())
        with pytest.raises(IncompatibleArchitectureError, match="built for arm64"):
            engine.run(Image("app", architecture="arm64"), "app")
        arm = ContainerEngine(machine(), architecture="arm64")
        assert arm.run(Image("app", architecture="arm64"), "app").image.architecture == "arm64"


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
