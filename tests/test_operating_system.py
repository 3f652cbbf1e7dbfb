"""Tests for vmconcepts.operating_system: kernels, operating systems and the catalogue."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vmconcepts.errors import InvalidValueError, UnknownProductError
from vmconcepts.operating_system import KERNEL_FAMILIES, Kernel, OperatingSystem


class TestKernel:
    """A kernel has a known family and an optional version."""

    @pytest.mark.parametrize("family", KERNEL_FAMILIES)
    def test_known_families(self, family):
        """Each known family makes a kernel whose repr is the call."""
        assert repr(Kernel(family)) == f"Kernel({family!r})"

    def test_version_in_repr(self):
        """A version shows in the repr."""
        assert repr(Kernel("linux", "6.8")) == "Kernel('linux', '6.8')"

    @pytest.mark.parametrize("family", ["Linux", "nt", "", "solaris"])
    def test_unknown_family_is_refused(self, family):
        """Families are lower case and from the known list."""
        with pytest.raises(InvalidValueError, match="known families: linux"):
            Kernel(family)

    def test_version_must_be_text(self):
        """A float version such as 6.10 would lose its zero, so it is refused."""
        with pytest.raises(InvalidValueError, match="kernel version"):
            Kernel("linux", 6.1)  # type: ignore[arg-type]


class TestOperatingSystem:
    """An OS is a name and a kernel."""

    def test_str_is_the_name_and_family_comes_from_the_kernel(self):
        """The OS prints as its name and reports its kernel's family."""
        system = OperatingSystem("Alpine Linux", Kernel("linux"))
        assert str(system) == "Alpine Linux"
        assert system.family == "linux"

    @pytest.mark.parametrize(
        ("name", "kernel"),
        [("", Kernel("linux")), ("   ", Kernel("linux")), ("X", "linux"), (None, Kernel("linux"))],
    )
    def test_bad_parts_are_refused(self, name, kernel):
        """An empty name or a kernel that is not a Kernel is refused."""
        with pytest.raises(InvalidValueError):
            OperatingSystem(name, kernel)


class TestCatalogue:
    """Operating systems can be looked up by name."""

    @pytest.mark.parametrize(
        ("name", "family"),
        [("Windows 10", "windows"), ("macOS", "darwin"), ("Ubuntu 24.04", "linux")],
    )
    def test_seed_systems_are_there(self, name, family):
        """The systems the site's examples need are in the catalogue."""
        assert OperatingSystem.named(name).family == family

    def test_lookup_ignores_case_and_spaces(self):
        """Case and surrounding spaces do not matter."""
        assert OperatingSystem.named("  MACOS ") is OperatingSystem.named("macOS")

    def test_names_are_unique(self):
        """No two catalogue entries share a name, ignoring case."""
        names = [system.name.lower() for system in OperatingSystem.catalogue()]
        assert len(names) == len(set(names))

    def test_unknown_name_suggests(self):
        """A near miss suggests the right name."""
        with pytest.raises(UnknownProductError, match="did you mean 'Windows 10'"):
            OperatingSystem.named("Windos 10")

    @given(st.one_of(st.text(max_size=20), st.none(), st.integers()))
    def test_lookup_never_leaks_other_errors(self, name):
        """Any input either finds an OS or raises UnknownProductError."""
        try:
            system = OperatingSystem.named(name)
        except UnknownProductError:
            return
        assert system in OperatingSystem.catalogue()
