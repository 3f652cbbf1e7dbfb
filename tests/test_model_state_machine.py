"""A hypothesis state machine that drives hosts and VMs at random and checks the model's rules.

It keeps its own small record of what should be true (each VM's state, what each host has
handed out, which folders are shared) and, after every step, compares it with the library.
Every refusal must be a `VMConceptsError`; anything else (KeyError, AttributeError...) fails.
"""

import posixpath
from pathlib import PurePosixPath

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from vmconcepts.errors import (
    InvalidStateError,
    IsolationError,
    NoSuchFileError,
    NotEnoughResourcesError,
    VMConceptsError,
)
from vmconcepts.hypervisor import Hypervisor
from vmconcepts.infrastructure import Machine
from vmconcepts.resources import Resources, Size
from vmconcepts.virtual_machine import TRANSITIONS

GIB = 1024**3
NAMES = ("a", "b", "c", "d")
OS_NAMES = ("Windows 10", "Ubuntu 24.04", "Debian 12", "Windows 11")
ACTIONS = ("start", "pause", "resume", "stop", "delete")
FOLDERS = ("/data/shared", "/data/shared/sub", "/data", "/")
PATHS = (
    "/data/shared/a.txt",
    "/data/shared/sub/c.txt",
    "/data/shared/../secret.txt",
    "/data/sharedX/b.txt",
    "/data/secret.txt",
    "/data/shared/sub/../a.txt",
)
HOST_FILES = {
    "/data/shared/a.txt": "a",
    "/data/shared/sub/c.txt": "c",
    "/data/secret.txt": "secret",
    "/data/sharedX/b.txt": "b",
}


def attempt(action):
    """Run ``action``; return None on success or the VMConceptsError it raised."""
    try:
        action()
    except VMConceptsError as error:
        return error
    return None


def share_for(shares, path):
    """The mode of the innermost shared folder holding ``path``, worked out independently."""
    target = PurePosixPath(posixpath.normpath(path))
    holding = [folder for folder in shares if target.is_relative_to(folder)]
    return shares[max(holding, key=len)] if holding else None


class HostsAndVMs(RuleBasedStateMachine):
    """Two hosts, one type 1 with overcommitted vCPUs and one type 2 on a Mac."""

    def __init__(self):
        """Build the two hosts and empty records."""
        super().__init__()
        server = Machine("rack", "server", Resources(4, "8 GiB", "100 GiB"))
        mac = Machine("mac", "laptop", Resources(2, "4 GiB", "50 GiB"), os="macOS")
        self.hosts = [
            Hypervisor.named("ESXi").install_on(server, vcpu_ratio=2),
            Hypervisor.named("VirtualBox").install_on(mac),
        ]
        for host in self.hosts:
            host.files.update(HOST_FILES)
        # (host index, vm, expected state, shared folders) for every VM ever created.
        self.vms = []
        # What each host's files should hold.
        self.files = [dict(HOST_FILES), dict(HOST_FILES)]

    def pick(self, index):
        """One of the VMs created so far, deleted ones included."""
        return self.vms[index % len(self.vms)]

    def held(self, host_index):
        """What the record says a host has handed out: vCPUs, memory bytes, disk bytes."""
        vcpus = memory = disk = 0
        for where, vm, state, _ in self.vms:
            if where != host_index or state == "deleted":
                continue
            disk += vm.resources.disk.bytes
            if state in ("running", "paused"):
                vcpus += vm.resources.vcpus
                memory += vm.resources.memory.bytes
        return vcpus, memory, disk

    @rule(
        host_index=st.sampled_from((0, 1)),
        name=st.sampled_from(NAMES),
        os_name=st.sampled_from((*OS_NAMES, "Windoze")),
        size=st.tuples(
            st.integers(min_value=0, max_value=9),
            st.sampled_from((0, 1, 2, 3, 4, 6, 9)),
            st.sampled_from((0, 10, 40, 60)),
        ),
    )
    def create(self, host_index, name, os_name, size):
        """Create a VM; it is refused if its disk does not fit, and a refusal changes nothing."""
        host = self.hosts[host_index]
        vcpus, memory_gib, disk_gib = size
        before = host.used
        _, _, disk = self.held(host_index)
        request = Resources(vcpus, Size(memory_gib * GIB), Size(disk_gib * GIB))
        result = []
        error = attempt(lambda: result.append(host.create_vm(name, os_name, request)))
        if error is None:
            self.vms.append([host_index, result[0], "created", {}])
        else:
            assert host.used == before
        if disk + disk_gib * GIB > host.machine.resources.disk.bytes:
            assert error is not None

    @precondition(lambda self: self.vms)
    @rule(index=st.integers(min_value=0, max_value=50), action=st.sampled_from(ACTIONS))
    def act(self, index, action):
        """Apply a lifecycle action; it succeeds exactly when the table and resources allow."""
        record = self.pick(index)
        host_index, vm, state, _ = record
        host = self.hosts[host_index]
        vcpus, memory, _ = self.held(host_index)
        error = attempt(getattr(vm, action))
        if (state, action) not in TRANSITIONS:
            assert isinstance(error, InvalidStateError)
            assert set(error.allowed) == {a for (s, a) in TRANSITIONS if s == state}
            return
        if action == "start":
            fits = (
                memory + vm.resources.memory.bytes <= host.capacity.memory.bytes
                and vcpus + vm.resources.vcpus <= host.capacity.vcpus
            )
            if not fits:
                assert isinstance(error, NotEnoughResourcesError)
                assert str(vm.resources.memory) in str(error) or "vCPU" in str(error)
                return
        assert error is None
        record[2] = TRANSITIONS[state, action]

    @precondition(lambda self: self.vms)
    @rule(
        index=st.integers(min_value=0, max_value=50),
        folder=st.sampled_from((*FOLDERS, "relative")),
        mode=st.sampled_from(("read-only", "read-write", "bogus")),
    )
    def share(self, index, folder, mode):
        """Share a folder; bad folders, bad modes and deleted VMs are refused."""
        record = self.pick(index)
        error = attempt(lambda: record[1].share_folder(folder, mode))
        ok = record[2] != "deleted" and folder.startswith("/") and mode != "bogus"
        assert (error is None) == ok
        if ok:
            record[3][folder] = mode

    @precondition(lambda self: self.vms)
    @rule(index=st.integers(min_value=0, max_value=50), path=st.sampled_from(PATHS))
    def read_host_file(self, index, path):
        """Reading a host file works only while running and inside a shared folder."""
        host_index, vm, state, shares = self.pick(index)
        result = []
        error = attempt(lambda: result.append(vm.read_host_file(path)))
        if state != "running":
            assert isinstance(error, InvalidStateError)
        elif share_for(shares, path) is None:
            assert isinstance(error, IsolationError)
        elif posixpath.normpath(path) not in self.hosts[host_index].files:
            assert isinstance(error, NoSuchFileError)
        else:
            assert error is None
            assert result == [self.hosts[host_index].files[posixpath.normpath(path)]]

    @precondition(lambda self: self.vms)
    @rule(index=st.integers(min_value=0, max_value=50), path=st.sampled_from(PATHS))
    def write_host_file(self, index, path):
        """Writing a host file works only while running and inside a read-write folder."""
        host_index, vm, state, shares = self.pick(index)
        expected = self.files[host_index]
        error = attempt(lambda: vm.write_host_file(path, f"by {vm.name}"))
        if state != "running":
            assert isinstance(error, InvalidStateError)
        elif share_for(shares, path) != "read-write":
            assert isinstance(error, IsolationError)
        else:
            assert error is None
            expected[posixpath.normpath(path)] = f"by {vm.name}"

    @precondition(lambda self: len(self.vms) > 1)
    @rule(
        reader=st.integers(min_value=0, max_value=50),
        owner=st.integers(min_value=0, max_value=50),
        write=st.booleans(),
    )
    def touch_memory(self, reader, owner, write):
        """No guest reads or writes another guest's memory."""
        _, vm, state, _ = self.pick(reader)
        other = self.pick(owner)[1]
        if write:
            error = attempt(lambda: vm.write_memory("k", vm.name, of=other))
        else:
            error = attempt(lambda: vm.read_memory("k", of=other))
        if state != "running":
            assert isinstance(error, InvalidStateError)
        elif other is not vm:
            assert isinstance(error, IsolationError)

    @invariant()
    def states_match_the_record(self):
        """Every VM is in the state the record expects."""
        for _, vm, state, _ in self.vms:
            assert vm.state == state

    @invariant()
    def resources_add_up(self):
        """What each host reports as used is what the record holds, and never beyond capacity."""
        for host_index, host in enumerate(self.hosts):
            vcpus, memory, disk = self.held(host_index)
            assert host.used == Resources(vcpus, Size(memory), Size(disk))
            assert host.used.fits_in(host.capacity)
            assert host.usage().used + host.usage().free == host.capacity

    @invariant()
    def host_files_change_only_through_read_write_shares(self):
        """Each host's files are exactly what permitted writes made them."""
        for host, expected in zip(self.hosts, self.files, strict=True):
            assert host.files == expected


HostsAndVMs.TestCase.settings = settings(
    max_examples=500, stateful_step_count=20, deadline=None, derandomize=True
)
TestHostsAndVMs = HostsAndVMs.TestCase
