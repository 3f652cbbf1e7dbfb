"""Tests for vmconcepts.infrastructure: physical machines, bare metal or with a host OS."""

import pytest

from vmconcepts.errors import InvalidValueError, UnknownProductError
from vmconcepts.infrastructure import Machine
from vmconcepts.operating_system import Kernel, OperatingSystem
from vmconcepts.resources import Resources

RES = Resources(8, "16 GiB", "512 GiB")


class TestMachine:
    """A machine has a kind, resources and maybe an OS."""

    def test_bare_metal_has_no_os(self):
        """Without an OS a machine is bare metal."""
        server = Machine("rack-1", "server", RES)
        assert server.bare_metal
        assert str(server) == "server 'rack-1' with no OS (bare metal)"

    def test_label_names_the_machine_then_its_kind(self):
        """The label drawings use is the name with the kind in brackets."""
        assert Machine("mac", "laptop", RES, os="macOS").label == "mac (laptop)"

    def test_os_by_name_is_looked_up(self):
        """An OS given by name comes from the catalogue, installed with a kernel of its own."""
        mac = Machine("mac", "laptop", RES, os="macOS")
        assert mac.os == OperatingSystem.named("macOS")
        assert mac.os.kernel is not OperatingSystem.named("macOS").kernel
        assert not mac.bare_metal

    def test_repr_names_a_catalogue_os_by_name(self):
        """The repr stays short for catalogue systems and is valid code."""
        mac = Machine("mac", "laptop", RES, os="macOS", architecture="arm64")
        assert repr(mac).endswith("os='macOS', architecture='arm64')")
        assert eval(repr(mac)) == mac  # noqa: S307 - the repr of our own object

    def test_repr_shows_a_custom_os_in_full(self):
        """An OS outside the catalogue is shown whole."""
        custom = OperatingSystem("MyOS", Kernel("linux"))
        assert "OperatingSystem(name='MyOS'" in repr(Machine("m", "desktop", RES, os=custom))

    def test_architecture_is_x86_64_unless_given(self):
        """A machine is x86_64 by default; an alias such as aarch64 is refused, naming arm64."""
        assert Machine("pc", "desktop", RES).architecture == "x86_64"
        with pytest.raises(InvalidValueError, match="write 'arm64'"):
            Machine("pi", "desktop", RES, architecture="aarch64")

    def test_with_os_keeps_the_architecture(self):
        """Installing an OS does not change the CPU."""
        mac = Machine("mac", "laptop", RES, architecture="arm64")
        assert mac.with_os("macOS").architecture == "arm64"

    def test_with_os_returns_a_new_machine(self):
        """Installing an OS leaves the original machine unchanged."""
        server = Machine("rack-1", "server", RES)
        linux = server.with_os("Debian 12")
        assert server.bare_metal
        assert linux.os == OperatingSystem.named("Debian 12")
        assert linux.with_os(None).bare_metal

    @pytest.mark.parametrize(
        ("args", "fragment"),
        [
            (("", "server", RES), "needs a name"),
            (("m", "mainframe", RES), "known kinds: server, laptop, desktop, cloud instance"),
            (("m", "server", "8 GiB"), "resources must be Resources"),
            (("m", "server", RES, 42), "os must be an OperatingSystem"),
        ],
    )
    def test_bad_parts_are_refused(self, args, fragment):
        """Each bad part is refused with a message saying what would work."""
        with pytest.raises(InvalidValueError, match=fragment):
            Machine(*args)

    def test_unknown_os_name_suggests(self):
        """A misspelt OS name gets a suggestion."""
        with pytest.raises(UnknownProductError, match="did you mean 'macOS'"):
            Machine("m", "laptop", RES, os="macOs X")
