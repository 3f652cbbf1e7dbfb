"""Tests for vmconcepts.comparison: sourced figures, density and the VM/container text."""

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vmconcepts import comparison
from vmconcepts.comparison import (
    DOCKER_CONTAINER,
    DOCKER_START_HDD,
    DOCKER_START_SSD,
    FIRECRACKER_BOOT,
    FIRECRACKER_MICROVM,
    FIRECRACKER_VMM_START,
    LIGHTVM_BOOT,
    NAMESPACE_SETUP,
    Comparison,
    Measurement,
    compare,
    instances_per_host,
)
from vmconcepts.errors import InvalidValueError, VMConceptsError
from vmconcepts.resources import Resources

APP = Resources(vcpus=1, memory="128 MiB")
HOST = Resources(vcpus=36, memory="64 GiB")

DEFAULT_FIGURES = [
    value for name, value in vars(comparison).items() if name.isupper() and not name.startswith("_")
]


class TestMeasurement:
    """Every figure carries its value, unit, source and conditions."""

    @pytest.mark.parametrize(
        "figure", [f for f in DEFAULT_FIGURES if isinstance(f, Measurement)], ids=str
    )
    def test_defaults_are_sourced_with_conditions(self, figure):
        """Each default measurement names its source and the conditions it holds under."""
        assert figure.source
        assert figure.conditions
        assert figure.source in figure.cite()
        assert figure.conditions in figure.cite()

    def test_firecracker_figures_match_facts(self):
        """Firecracker's boot is at most 125 ms and its overhead at most 5 MiB."""
        assert str(FIRECRACKER_BOOT) == "at most 125 ms"
        assert str(FIRECRACKER_MICROVM.memory_overhead) == "at most 5 MiB"
        assert "SPECIFICATION.md" in (FIRECRACKER_BOOT.source or "")

    def test_docker_start_is_one_measurement(self):
        """The Docker start figure says it is one measurement, not a norm."""
        assert DOCKER_START_SSD.value == 0.57
        assert "one measurement" in DOCKER_START_SSD.conditions
        assert "2602.15214" in (DOCKER_START_SSD.source or "")

    @pytest.mark.parametrize(
        "figure", [DOCKER_START_SSD, DOCKER_START_HDD, NAMESPACE_SETUP], ids=str
    )
    def test_preprint_figures_say_they_ran_in_cloud_vms(self, figure):
        """Each figure from the preprint says it was measured inside 2-vCPU cloud VMs, once."""
        assert "inside 2-vCPU cloud VMs" in figure.conditions
        assert "one measurement in one study" in figure.conditions

    def test_firecracker_boot_lists_all_its_conditions(self):
        """The 125 ms boot names every condition its source sets, and the missing firmware."""
        for condition in (
            "hyperthreading off",
            "serial console off",
            "Firecracker-tuned guest kernel",
            "minimal root filesystem",
            "1 vCPU, 128 MiB",
        ):
            assert condition in FIRECRACKER_BOOT.conditions
        assert "no BIOS or UEFI firmware" in FIRECRACKER_BOOT.caveat
        assert "hyperthreading off" in FIRECRACKER_VMM_START.conditions

    def test_firecracker_boot_starts_at_the_api_call(self):
        """The 125 ms runs from the InstanceStart API call; the VMM's own start is apart."""
        assert FIRECRACKER_BOOT.what == "InstanceStart API call to guest /sbin/init"
        assert "VMM process start" in FIRECRACKER_VMM_START.what

    def test_namespace_setup_is_a_range(self):
        """Namespace creation is 8-10 ms and its worst case is 10 ms."""
        assert str(NAMESPACE_SETUP) == "8-10 ms"
        assert NAMESPACE_SETUP.worst_case == 10

    def test_lightvm_warns_against_comparison(self):
        """LightVM's boot says it is not comparable with Firecracker's."""
        assert "not comparable with Firecracker" in LIGHTVM_BOOT.cite()

    def test_unsourced_assumption_is_marked(self):
        """A measurement without a source says so when cited."""
        guess = Measurement(1, "ms", "my guess", None, "nowhere", bound="assumed")
        assert not guess.is_sourced
        assert "none (an assumption)" in guess.cite()
        assert str(guess) == "assumed 1 ms"

    @pytest.mark.parametrize(("value", "upper"), [(-1, None), (5, 4), ("fast", None), (True, None)])
    def test_bad_values_are_refused(self, value, upper):
        """Negative values, upside-down ranges and non-numbers raise InvalidValueError."""
        with pytest.raises(InvalidValueError):
            Measurement(value, "ms", "x", None, "y", upper=upper)

    def test_time_is_not_a_size(self):
        """Reading a time as a memory size raises InvalidValueError."""
        with pytest.raises(InvalidValueError, match="cannot be read as a size"):
            FIRECRACKER_BOOT.as_size()


class TestDensity:
    """How many instances fit on a host."""

    def test_scarcest_resource_decides(self):
        """Memory limits when vCPUs are plentiful."""
        host = Resources(vcpus=64, memory="1 GiB")
        assert instances_per_host(host, Resources(vcpus=1, memory="200 MiB")) == 5

    def test_needing_nothing_is_refused(self):
        """An instance that needs nothing raises InvalidValueError."""
        with pytest.raises(InvalidValueError):
            instances_per_host(HOST, Resources(vcpus=0, memory="0 B"))

    def test_vm_overhead_lowers_density(self):
        """The VMM's 5 MiB makes the eighth 128 MiB microVM miss a 1 GiB host."""
        result = compare(APP, Resources(vcpus=64, memory="1 GiB"))
        assert result.vm_count == 7
        assert result.container_count == 8

    def test_caller_can_override_figures(self):
        """A guest OS memory given by the caller is used in the count and listed as assumed."""
        guest = Measurement(128, "MiB", "guest kernel and OS", None, "my guess", bound="assumed")
        my_vm = replace(FIRECRACKER_MICROVM, guest_os_memory=guest)
        result = compare(APP, Resources(vcpus=64, memory="1 GiB"), vm=my_vm)
        assert result.vm_count == 3
        assert guest in result.assumptions()

    @given(
        app_cpus=st.integers(1, 8),
        app_mib=st.integers(1, 4096),
        host_cpus=st.integers(0, 256),
        host_gib=st.integers(0, 512),
    )
    def test_count_fits_and_one_more_does_not(self, app_cpus, app_mib, host_cpus, host_gib):
        """The counted instances fit on the host and one more would not."""
        host = Resources(vcpus=host_cpus, memory=f"{host_gib} GiB")
        app = Resources(vcpus=app_cpus, memory=f"{app_mib} MiB")
        result = compare(app, host)
        for profile, count in (
            (FIRECRACKER_MICROVM, result.vm_count),
            (DOCKER_CONTAINER, result.container_count),
        ):
            each = profile.per_instance(app)
            total = Resources(vcpus=each.vcpus * count, memory=each.memory * count)
            assert total.fits_in(host)
            more = Resources(vcpus=each.vcpus * (count + 1), memory=each.memory * (count + 1))
            assert not more.fits_in(host)
        assert result.vm_count <= result.container_count


class TestComparison:
    """The comparison as a whole."""

    def test_text_cites_every_start_figure(self):
        """The text cites each start-up figure with its source and warns against dividing."""
        text = compare(APP, HOST).to_text()
        for figure in (*FIRECRACKER_MICROVM.start, *DOCKER_CONTAINER.start):
            assert str(figure) in text
        assert "do not divide one by another" in text
        assert "Assumed, with no source" in text

    def test_kernel_boot_is_the_explained_difference(self):
        """The VM boots a guest kernel and the container does not."""
        assert FIRECRACKER_MICROVM.boots_guest_kernel
        assert not DOCKER_CONTAINER.boots_guest_kernel
        assert "the step a container skips" in compare(APP, HOST).to_text()

    def test_isolation_names_the_mechanisms(self):
        """The container's boundary names namespaces and cgroups, the VM's its own kernel."""
        assert "namespaces" in DOCKER_CONTAINER.isolation
        assert "cgroups" in DOCKER_CONTAINER.isolation
        assert "own guest kernel" in FIRECRACKER_MICROVM.isolation

    def test_vm_boundary_is_not_called_unbreakable(self):
        """The microVM's boundary is called smaller than a kernel's, not unbreakable."""
        assert "smaller surface" in FIRECRACKER_MICROVM.isolation
        assert "not an unbreakable one" in FIRECRACKER_MICROVM.isolation

    def test_no_guest_kernel_names_its_runtime_and_the_exceptions(self):
        """The 0 MiB guest kernel holds for runc, and gVisor and Kata are named as exceptions."""
        guest = DOCKER_CONTAINER.guest_os_memory
        assert "runc" in (guest.source or "")
        assert "gVisor" in guest.conditions
        assert "Kata Containers" in guest.conditions

    def test_wrong_types_are_refused(self):
        """Passing something other than Resources raises a VMConceptsError."""
        with pytest.raises(VMConceptsError):
            compare("1 GiB", HOST)  # type: ignore[arg-type]

    def test_repr_names_both_sides(self):
        """The repr gives both names and counts."""
        assert repr(compare(APP, HOST)) == (
            "<Comparison 'Firecracker microVM' vs 'Docker container': 36 vs 36 per host>"
        )
        assert isinstance(compare(APP, HOST), Comparison)
