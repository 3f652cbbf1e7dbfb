"""A hypothesis state machine that drives hosts and VMs at random and checks the model's rules.

It keeps its own small record of what should be true (each VM's state, what each host has
promised, what the guests wrote to their disks and memory, which folders are shared) and,
after every step, compares it with the library. Every refusal must be a `VMConceptsError`;
anything else (KeyError, AttributeError...) fails. Overcommit is covered on purpose: one host
has a cautious policy, the others the default with no limit, and guests use memory and disk
at random, so the hosts come under pressure.
"""

import posixpath
from pathlib import PurePosixPath

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from vmconcepts.errors import (
    IncompatibleArchitectureError,
    InvalidStateError,
    InvalidValueError,
    IsolationError,
    NoSuchFileError,
    NotEnoughResourcesError,
    VMConceptsError,
)
from vmconcepts.hypervisor import Hypervisor
from vmconcepts.infrastructure import Machine
from vmconcepts.overcommit import Overcommit
from vmconcepts.resources import Resources, Size
from vmconcepts.virtual_machine import TRANSITIONS

GIB = 1024**3
NAMES = ("a", "b", "c", "d")
OS_NAMES = ("Windows 10", "Ubuntu 24.04", "Debian 12", "Windows 11")
# Start comes twice so that runs reach hosts with several guests, and memory pressure.
ACTIONS = ("start", "start", "pause", "resume", "stop", "delete")
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
    """Three hosts: type 1 with a cautious policy, type 2 on an Intel Mac and on an Arm Mac."""

    def __init__(self):
        """Build the three hosts and empty records."""
        super().__init__()
        server = Machine("rack", "server", Resources(4, "8 GiB", "100 GiB"))
        mac = Machine("mac", "laptop", Resources(2, "3 GiB", "50 GiB"), os="macOS")
        arm = Machine(
            "arm", "laptop", Resources(2, "3 GiB", "50 GiB"), os="macOS", architecture="arm64"
        )
        self.hosts = [
            Hypervisor.named("ESXi").install_on(
                server, overcommit=Overcommit(vcpu_ratio=2, memory_ratio=1)
            ),
            Hypervisor.named("VirtualBox").install_on(mac),
            Hypervisor.named("Parallels").install_on(arm),
        ]
        for host in self.hosts:
            host.files.update(HOST_FILES)
        # For every VM ever created: host index, vm, expected state, shared folders, what its
        # guest keeps in memory, whether its disk is thick, and what its guest wrote to disk.
        self.vms = []
        # What each host's files should hold.
        self.files = [dict(HOST_FILES) for _ in self.hosts]

    def pick(self, index):
        """One of the VMs created so far, deleted ones included."""
        return self.vms[index % len(self.vms)]

    def held(self, host_index):
        """What the record says a host has promised (vCPUs, memory bytes) and disk taken."""
        vcpus = memory = disk = 0
        for where, vm, state, _, _, thick, written in self.vms:
            if where != host_index or state == "deleted":
                continue
            disk += vm.resources.disk.bytes if thick else written
            if state in ("running", "paused"):
                vcpus += vm.resources.vcpus
                memory += vm.resources.memory.bytes
        return vcpus, memory, disk

    @rule(
        host_index=st.sampled_from((0, 1, 2)),
        name=st.sampled_from(NAMES),
        os_name=st.sampled_from((*OS_NAMES, "Windoze")),
        size=st.tuples(
            st.sampled_from((0, 1, 1, 2, 2, 9)),
            st.sampled_from((0, 1, 2, 2, 3, 9)),
            st.sampled_from((0, 10, 40, 60)),
        ),
        thick=st.booleans(),
    )
    def create(self, host_index, name, os_name, size, thick):
        """Create a VM; it is refused if it could never run here, and a refusal changes nothing."""
        host = self.hosts[host_index]
        vcpus, memory_gib, disk_gib = size
        before = host.usage()
        _, _, disk = self.held(host_index)
        request = Resources(vcpus, Size(memory_gib * GIB), Size(disk_gib * GIB))
        provisioning = "thick" if thick else "thin"
        result = []
        error = attempt(
            lambda: result.append(host.create_vm(name, os_name, request, disk=provisioning))
        )
        if error is None:
            self.vms.append([host_index, result[0], "created", {}, {}, thick, 0])
        else:
            assert host.usage() == before
        hardware = host.machine.resources
        if thick and disk + disk_gib * GIB > hardware.disk.bytes:
            assert error is not None
        if vcpus > hardware.vcpus or memory_gib * GIB > hardware.memory.bytes:
            assert error is not None
        x86_only_on_arm = os_name == "Windows 10" and host.machine.architecture == "arm64"
        if x86_only_on_arm:
            assert error is not None
        if isinstance(error, IncompatibleArchitectureError):
            assert x86_only_on_arm

    @precondition(lambda self: self.vms)
    @rule(index=st.integers(min_value=0, max_value=50), action=st.sampled_from(ACTIONS))
    def act(self, index, action):
        """Apply a lifecycle action; it succeeds exactly when the table and resources allow."""
        record = self.pick(index)
        host_index, vm, state = record[:3]
        host = self.hosts[host_index]
        vcpus, memory, _ = self.held(host_index)
        error = attempt(getattr(vm, action))
        if (state, action) not in TRANSITIONS:
            assert isinstance(error, InvalidStateError)
            assert set(error.allowed) == {a for (s, a) in TRANSITIONS if s == state}
            return
        if action == "start":
            vcpu_limit, memory_limit = host.overcommit.limit(host.machine.resources)
            fits = (
                memory_limit is None or memory + vm.resources.memory.bytes <= memory_limit.bytes
            ) and (vcpu_limit is None or vcpus + vm.resources.vcpus <= vcpu_limit)
            if not fits:
                assert isinstance(error, NotEnoughResourcesError)
                assert str(vm.resources.memory) in str(error) or "vCPU" in str(error)
                return
        assert error is None
        record[2] = TRANSITIONS[state, action]
        if action == "stop":
            record[4].clear()  # powering off loses what was in memory
        if action == "delete":
            record[6] = 0

    @precondition(lambda self: self.vms)
    @rule(index=st.integers(min_value=0, max_value=50), gib=st.sampled_from((0, 1, 2, 3, 5)))
    def use_memory(self, index, gib):
        """A running guest uses any amount of memory up to what it was given."""
        _, vm, state = self.pick(index)[:3]
        error = attempt(lambda: vm.use_memory(Size(gib * GIB)))
        if state != "running":
            assert isinstance(error, InvalidStateError)
        elif gib * GIB > vm.resources.memory.bytes:
            assert isinstance(error, InvalidValueError)
        else:
            assert error is None

    @precondition(lambda self: self.vms)
    @rule(index=st.integers(min_value=0, max_value=50), gib=st.sampled_from((0, 5, 20, 45)))
    def use_disk(self, index, gib):
        """A thin disk grows as the guest writes, and is refused past what the host has free."""
        record = self.pick(index)
        host_index, vm, state, _, _, thick, written = record
        _, _, taken = self.held(host_index)
        error = attempt(lambda: vm.use_disk(Size(gib * GIB)))
        if state != "running":
            assert isinstance(error, InvalidStateError)
        elif gib * GIB > vm.resources.disk.bytes:
            assert isinstance(error, InvalidValueError)
        elif (
            not thick
            and taken - written + gib * GIB > self.hosts[host_index].machine.resources.disk.bytes
        ):
            assert isinstance(error, NotEnoughResourcesError)
        else:
            assert error is None
            if not thick:
                record[6] = gib * GIB

    @precondition(lambda self: self.vms)
    @rule(index=st.integers(min_value=0, max_value=50), key=st.sampled_from(("x", "y")))
    def keep_in_memory(self, index, key):
        """A running guest writes to its own memory."""
        record = self.pick(index)
        vm, state = record[1], record[2]
        error = attempt(lambda: vm.write_memory(key, f"{vm.name}:{key}"))
        if state != "running":
            assert isinstance(error, InvalidStateError)
        else:
            assert error is None
            record[4][key] = f"{vm.name}:{key}"

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
        host_index, vm, state, shares = self.pick(index)[:4]
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
        host_index, vm, state, shares = self.pick(index)[:4]
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
        _, vm, state = self.pick(reader)[:3]
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
        for _, vm, state, *_ in self.vms:
            assert vm.state == state

    @invariant()
    def resources_add_up(self):
        """What each host reports is what the record holds, within its policy and its disk."""
        for host_index, host in enumerate(self.hosts):
            vcpus, memory, disk = self.held(host_index)
            usage = host.usage()
            assert (usage.promised.vcpus, usage.promised.memory.bytes) == (vcpus, memory)
            assert usage.in_use.disk.bytes == disk <= host.machine.resources.disk.bytes
            vcpu_limit, memory_limit = host.overcommit.limit(host.machine.resources)
            assert vcpu_limit is None or vcpus <= vcpu_limit
            assert memory_limit is None or memory <= memory_limit.bytes

    @invariant()
    def pressure_takes_back_exactly_the_excess(self):
        """Memory taken back is never negative, never more than a guest uses, and is the excess."""
        for host in self.hosts:
            pressure = host.pressure()
            excess = pressure.uses.bytes - host.machine.resources.memory.bytes
            assert pressure.reclaimed.bytes == max(excess, 0)
            for row in pressure.guests:
                assert row.reclaimed <= row.uses <= row.given
                assert row.slowed == bool(row.reclaimed)

    @invariant()
    def overcommit_never_loses_a_guest_state(self):
        """Whatever a running guest wrote to its memory reads back, however much was taken."""
        for _, vm, state, _, memory, *_ in self.vms:
            if state == "running":
                for key, value in memory.items():
                    assert vm.read_memory(key) == value

    @invariant()
    def host_files_change_only_through_read_write_shares(self):
        """Each host's files are exactly what permitted writes made them."""
        for host, expected in zip(self.hosts, self.files, strict=True):
            assert host.files == expected


HostsAndVMs.TestCase.settings = settings(
    max_examples=500, stateful_step_count=20, deadline=None, derandomize=True
)
TestHostsAndVMs = HostsAndVMs.TestCase
