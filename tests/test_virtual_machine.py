"""Tests for vmconcepts.virtual_machine: the lifecycle and the isolation of guests."""

import pytest

from vmconcepts.errors import (
    InvalidStateError,
    InvalidValueError,
    IsolationError,
    NoSuchFileError,
)
from vmconcepts.hypervisor import Hypervisor
from vmconcepts.infrastructure import Machine
from vmconcepts.resources import Resources
from vmconcepts.virtual_machine import TRANSITIONS

ACTIONS = ("start", "pause", "resume", "stop", "delete")
STATES = ("created", "running", "paused", "stopped", "deleted")


def mac_host():
    """A Mac with VirtualBox and some host files: the seed example's setting."""
    mac = Machine("mac", "laptop", Resources(8, "16 GiB", "512 GiB"), os="macOS")
    host = Hypervisor.named("VirtualBox").install_on(mac)
    host.files["/Users/ada/notes.txt"] = "buy milk"
    host.files["/Users/ada/Shared/readme.txt"] = "hello"
    host.files["/Users/ada/secret.txt"] = "hunter2"
    return host


def running_vm(host, name="win10", system="Windows 10"):
    """A started VM on ``host``."""
    vm = host.create_vm(name, system, Resources(2, "4 GiB", "64 GiB"))
    vm.start()
    return vm


def vm_in(state):
    """A VM brought to ``state`` along the shortest legal path."""
    host = mac_host()
    vm = host.create_vm("vm", "Windows 10", Resources(1, "1 GiB"))
    path = {
        "created": [],
        "running": ["start"],
        "paused": ["start", "pause"],
        "stopped": ["start", "stop"],
        "deleted": ["delete"],
    }[state]
    for action in path:
        getattr(vm, action)()
    assert vm.state == state
    return vm


class TestLifecycle:
    """A VM moves between states only along the transition table."""

    def test_seed_example(self):
        """Windows 10 runs as a guest on a Mac, in a type 2 hypervisor."""
        host = mac_host()
        vm = running_vm(host)
        assert host.hypervisor.type == 2
        assert vm.guest_os.family == "windows"
        assert host.machine.os.family == "darwin"
        assert repr(vm) == "<VirtualMachine 'win10': Windows 10 on Oracle VirtualBox, running>"

    @pytest.mark.parametrize("state", STATES)
    @pytest.mark.parametrize("action", ACTIONS)
    def test_every_state_and_action(self, state, action):
        """Each action works exactly when the table allows it; otherwise the error lists options."""
        vm = vm_in(state)
        if (state, action) in TRANSITIONS:
            getattr(vm, action)()
            assert vm.state == TRANSITIONS[state, action]
        else:
            with pytest.raises(InvalidStateError) as caught:
                getattr(vm, action)()
            assert vm.state == state
            assert caught.value.allowed == vm.allowed_actions
            for allowed in vm.allowed_actions:
                assert allowed in str(caught.value)

    def test_deleted_is_final(self):
        """Nothing is possible once a VM is deleted."""
        vm = vm_in("deleted")
        assert vm.allowed_actions == ()
        assert vm not in vm.host.vms

    def test_stop_loses_memory_but_keeps_disk(self):
        """Memory is volatile; the virtual disk is not."""
        vm = running_vm(mac_host())
        vm.write_memory("draft", "unsaved")
        vm.write_file("C:/saved.txt", "saved")
        vm.stop()
        vm.start()
        assert vm.read_file("C:/saved.txt") == "saved"
        with pytest.raises(InvalidValueError, match="holds nothing called 'draft'"):
            vm.read_memory("draft")

    def test_pause_keeps_memory(self):
        """A paused VM resumes with its memory intact."""
        vm = running_vm(mac_host())
        vm.write_memory("draft", "unsaved")
        vm.pause()
        vm.resume()
        assert vm.read_memory("draft") == "unsaved"

    @pytest.mark.parametrize("state", ["created", "paused", "stopped", "deleted"])
    def test_guest_work_needs_a_running_vm(self, state):
        """Files and memory are used only while the VM runs."""
        vm = vm_in(state)
        with pytest.raises(InvalidStateError, match=f"it is {state}"):
            vm.write_file("a", "b")
        with pytest.raises(InvalidStateError):
            vm.read_memory("a")


class TestIsolation:
    """A guest sees its own disk and memory, and nothing else unless a folder is shared."""

    def test_host_files_are_hidden(self):
        """Without a shared folder the host's files cannot be read or written."""
        host = mac_host()
        vm = running_vm(host)
        with pytest.raises(IsolationError, match="sees only its own virtual disk"):
            vm.read_host_file("/Users/ada/notes.txt")
        with pytest.raises(IsolationError, match="no folder holding it is shared"):
            vm.write_host_file("/Users/ada/notes.txt", "x")
        assert host.files["/Users/ada/notes.txt"] == "buy milk"

    def test_read_only_share(self):
        """A read-only share lets the guest read inside it and write nowhere."""
        host = mac_host()
        vm = running_vm(host)
        vm.share_folder("/Users/ada/Shared")
        assert vm.read_host_file("/Users/ada/Shared/readme.txt") == "hello"
        with pytest.raises(IsolationError, match="shared read-only"):
            vm.write_host_file("/Users/ada/Shared/readme.txt", "changed")
        with pytest.raises(IsolationError):
            vm.read_host_file("/Users/ada/secret.txt")

    def test_read_write_share(self):
        """A read-write share lets the guest change host files inside it."""
        host = mac_host()
        vm = running_vm(host)
        vm.share_folder("/Users/ada/Shared", "read-write")
        vm.write_host_file("/Users/ada/Shared/new.txt", "from the guest")
        assert host.files["/Users/ada/Shared/new.txt"] == "from the guest"

    @pytest.mark.parametrize(
        "path",
        [
            "/Users/ada/Shared/../secret.txt",
            "/Users/ada/SharedStuff/x",
            "/Users/ada",
            "/Users/ada/Shared/./../secret.txt",
        ],
    )
    def test_paths_cannot_climb_out_of_a_share(self, path):
        """'..' and look-alike prefixes do not reach outside the shared folder."""
        vm = running_vm(mac_host())
        vm.share_folder("/Users/ada/Shared/", "read-write")
        with pytest.raises(IsolationError):
            vm.read_host_file(path)

    def test_innermost_share_decides(self):
        """A read-write folder inside a read-only one can be written."""
        host = mac_host()
        vm = running_vm(host)
        vm.share_folder("/Users")
        vm.share_folder("/Users/ada/Shared", "read-write")
        vm.write_host_file("/Users/ada/Shared/x", "ok")
        with pytest.raises(IsolationError, match="shared read-only"):
            vm.write_host_file("/Users/ada/x", "no")

    def test_share_is_per_vm(self):
        """Sharing a folder with one VM does not share it with another."""
        host = mac_host()
        first, second = running_vm(host, "a"), running_vm(host, "b")
        first.share_folder("/Users/ada")
        assert first.read_host_file("/Users/ada/notes.txt") == "buy milk"
        with pytest.raises(IsolationError):
            second.read_host_file("/Users/ada/notes.txt")

    def test_missing_file_in_share(self):
        """A shared path with no file raises NoSuchFileError."""
        vm = running_vm(mac_host())
        vm.share_folder("/Users/ada")
        with pytest.raises(NoSuchFileError, match="has no file '/Users/ada/none"):
            vm.read_host_file("/Users/ada/none.txt")

    @pytest.mark.parametrize(
        ("path", "mode"), [("relative/path", "read-only"), ("/ok", "rw"), (None, "read-only")]
    )
    def test_bad_share_requests(self, path, mode):
        """Relative paths and unknown modes are refused."""
        vm = running_vm(mac_host())
        with pytest.raises(InvalidValueError):
            vm.share_folder(path, mode)

    def test_cannot_share_with_deleted_vm(self):
        """A deleted VM cannot be given a shared folder."""
        with pytest.raises(InvalidStateError, match="share a folder"):
            vm_in("deleted").share_folder("/Users")

    def test_guests_cannot_touch_each_others_memory(self):
        """One guest can neither read nor write another guest's memory."""
        host = mac_host()
        alice, mallory = running_vm(host, "alice"), running_vm(host, "mallory")
        alice.write_memory("password", "hunter2")
        with pytest.raises(IsolationError, match="cannot read from the memory of VM 'alice'"):
            mallory.read_memory("password", of=alice)
        with pytest.raises(IsolationError, match="cannot write to the memory of VM 'alice'"):
            mallory.write_memory("password", "pwned", of=alice)
        assert alice.read_memory("password") == "hunter2"
        assert alice.read_memory("password", of=alice) == "hunter2"

    def test_disks_are_separate(self):
        """A file written in one guest does not appear in another."""
        host = mac_host()
        first, second = running_vm(host, "a"), running_vm(host, "b")
        first.write_file("C:/x", "mine")
        with pytest.raises(NoSuchFileError):
            second.read_file("C:/x")
