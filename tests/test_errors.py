"""Tests for vmconcepts.errors: one base class, and messages that name the facts and the fix."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vmconcepts import errors
from vmconcepts.errors import (
    IncompatibleKernelError,
    InvalidStateError,
    InvalidValueError,
    IsolationError,
    NoSuchFileError,
    NotEnoughResourcesError,
    UnknownProductError,
    VMConceptsError,
    WrongLayerError,
)

ALL_ERRORS = [getattr(errors, name) for name in errors.__all__]


class TestHierarchy:
    """Every error shares one base class."""

    @pytest.mark.parametrize("error", ALL_ERRORS, ids=lambda e: e.__name__)
    def test_every_error_is_a_vmconcepts_error(self, error):
        """Catching VMConceptsError catches each error of the module."""
        assert issubclass(error, VMConceptsError)

    def test_builtin_bases_kept_for_callers(self):
        """Callers who expect ValueError, LookupError or FileNotFoundError still catch ours."""
        assert issubclass(InvalidValueError, ValueError)
        assert issubclass(UnknownProductError, LookupError)
        assert issubclass(NoSuchFileError, FileNotFoundError)

    def test_unknown_product_is_not_a_key_error(self):
        """A KeyError would quote its message; UnknownProductError must not be one."""
        assert not issubclass(UnknownProductError, KeyError)

    @pytest.mark.parametrize(
        "error", [NotEnoughResourcesError, IsolationError, IncompatibleKernelError]
    )
    def test_plain_errors_keep_their_message(self, error):
        """Errors built from a message show it unchanged."""
        assert str(error("the message")) == "the message"


class TestInvalidStateError:
    """The message names the state and what is possible from it."""

    def test_message_lists_allowed_actions(self):
        """The allowed actions appear in order."""
        error = InvalidStateError("VM 'a'", "stopped", "pause", ["start", "delete"])
        assert str(error) == (
            "cannot pause VM 'a': it is stopped; from stopped you can: start, delete"
        )
        assert error.allowed == ("start", "delete")

    def test_final_state_says_so(self):
        """A state with no way out says that nothing is possible."""
        error = InvalidStateError("VM 'a'", "deleted", "start", [])
        assert "nothing (this is final)" in str(error)

    def test_a_message_of_its_own_keeps_the_fields(self):
        """A caller may word the message itself; the state and actions stay readable."""
        error = InvalidStateError("host 'h'", "in use", "release", ["terminate"], message="busy")
        assert str(error) == "busy"
        assert (error.state, error.allowed) == ("in use", ("terminate",))


class TestUnknownProductError:
    """Unknown names come with a suggestion when one is close."""

    def test_suggests_the_closest_name(self):
        """A typo is matched to the name it was meant to be, ignoring case."""
        error = UnknownProductError("hypervisor", "virtualbx", ["VirtualBox", "Xen"])
        assert error.suggestion == "VirtualBox"
        assert "did you mean 'VirtualBox'?" in str(error)

    def test_no_suggestion_when_nothing_is_close(self):
        """A name far from all known ones gets the list but no guess."""
        error = UnknownProductError("hypervisor", "zzzzzz", ["VirtualBox", "Xen"])
        assert error.suggestion is None
        assert str(error) == "no hypervisor named 'zzzzzz'. Known: VirtualBox, Xen"

    @given(st.text(max_size=30), st.lists(st.text(max_size=20), max_size=5))
    def test_any_input_builds_a_message(self, name, known):
        """Whatever the name and catalogue, the error builds without failing."""
        error = UnknownProductError("thing", name, known)
        assert repr(name) in str(error)
        assert error.suggestion is None or error.suggestion in known


class TestWrongLayerError:
    """The message explains the two hypervisor types."""

    def test_type_2_on_bare_metal(self):
        """A hosted hypervisor on bare metal is told to get a host OS or a type 1."""
        error = WrongLayerError("VirtualBox", "a type 2 (hosted) hypervisor", "server 's'", None)
        assert "bare metal with no OS" in str(error)
        assert "type 1 hypervisor, which runs directly on the hardware" in str(error)

    def test_type_1_on_an_os(self):
        """A bare-metal hypervisor on a machine with an OS is told about type 2."""
        error = WrongLayerError("ESXi", "a type 1 hypervisor", "laptop 'm'", "macOS")
        assert "already runs macOS" in str(error)
        assert "type 2 hypervisor, which runs as an application on macOS" in str(error)

    def test_fix_replaces_the_usual_advice(self):
        """A product-specific fix is used instead of the generic one."""
        error = WrongLayerError("KVM", "a kernel module", "server 's'", None, "Install Linux.")
        assert str(error).endswith("Install Linux.")
        assert "choose a type 1" not in str(error)
