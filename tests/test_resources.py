"""Tests for vmconcepts.resources: sizes in binary units and Resources arithmetic."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vmconcepts.errors import InvalidValueError
from vmconcepts.resources import Resources, Size, as_size

UNITS = {"B": 1, "KiB": 1024, "MiB": 1024**2, "GiB": 1024**3, "TiB": 1024**4}

sizes = st.builds(Size, st.integers(min_value=0, max_value=2**60))
resources = st.builds(
    Resources,
    st.integers(min_value=0, max_value=512),
    sizes,
    sizes,
)


class TestSizeParsing:
    """Text such as '8 GiB' becomes a number of bytes."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("8 GiB", 8 * 1024**3),
            ("512 MiB", 512 * 1024**2),
            ("1.5 GiB", 1536 * 1024**2),
            ("4KiB", 4096),
            ("  2 TiB ", 2 * 1024**4),
            ("0 B", 0),
        ],
    )
    def test_reads_number_and_unit(self, text, expected):
        """Spaces are optional and decimals allowed when the bytes come out whole."""
        assert Size(text).bytes == expected

    @pytest.mark.parametrize(
        ("text", "fragment"),
        [
            ("8", "write a number and a unit"),
            ("-1 GiB", "write a number and a unit"),
            ("8 GB", "for GB write GiB"),
            ("8 gib", "write GiB"),
            ("8 parsecs", "known units: TiB, GiB, MiB, KiB, B"),
            ("1.1 GiB", "not a whole number of bytes"),
            ("", "write a number and a unit"),
        ],
    )
    def test_refuses_bad_text(self, text, fragment):
        """Bad text is refused with a message that says what would work."""
        with pytest.raises(InvalidValueError, match=fragment):
            Size(text)

    @pytest.mark.parametrize("value", [-1, 1.5, None, True, [1]])
    def test_refuses_wrong_types_and_negatives(self, value):
        """Only text and non-negative ints make a size."""
        with pytest.raises(InvalidValueError):
            Size(value)

    @given(st.integers(min_value=0, max_value=2**70), st.sampled_from(list(UNITS)))
    def test_any_whole_number_with_a_unit_parses(self, number, unit):
        """Every whole number with a known unit parses to number times the unit."""
        assert Size(f"{number} {unit}").bytes == number * UNITS[unit]

    @given(st.text(max_size=20))
    def test_any_text_parses_or_raises_our_error(self, text):
        """Arbitrary text either parses or raises InvalidValueError, never something else."""
        try:
            size = Size(text)
        except InvalidValueError:
            return
        assert size.bytes >= 0


class TestSizePrinting:
    """Sizes print in the largest exact unit, and print back to the same size."""

    @pytest.mark.parametrize(
        ("count", "text"),
        [
            (0, "0 B"),
            (1023, "1023 B"),
            (1024, "1 KiB"),
            (200 * 1024**3, "200 GiB"),
            (1536 * 1024**2, "1.5 GiB"),
            (1024**4, "1 TiB"),
            (1024**3 + 1, "1073741825 B"),
        ],
    )
    def test_str(self, count, text):
        """The printed form is short and exact."""
        assert str(Size(count)) == text

    def test_repr_is_the_call_that_creates_it(self):
        """The repr reads as code."""
        assert repr(Size("8 GiB")) == "Size('8 GiB')"

    @given(sizes)
    def test_str_round_trips(self, size):
        """Parsing the printed form gives the same size back."""
        assert Size(str(size)) == size

    @given(sizes)
    def test_repr_round_trips(self, size):
        """Evaluating the repr gives the same size back."""
        assert eval(repr(size)) == size  # noqa: S307 - the repr of our own object


class TestSizeArithmetic:
    """Sizes add, subtract and compare, and never go negative."""

    @given(sizes, sizes)
    def test_add_then_subtract(self, a, b):
        """(a + b) - b is a."""
        assert (a + b) - b == a

    @given(sizes, sizes)
    def test_subtracting_more_is_refused(self, a, b):
        """Taking away more than there is raises instead of going negative."""
        if b > a:
            with pytest.raises(InvalidValueError, match="cannot be negative"):
                a - b
        else:
            assert (a - b).bytes == a.bytes - b.bytes

    def test_multiply_by_count(self):
        """Four VMs of 2 GiB take 8 GiB."""
        assert Size("2 GiB") * 4 == Size("8 GiB")
        assert 4 * Size("2 GiB") == Size("8 GiB")

    def test_ordering_and_truth(self):
        """Sizes compare by bytes and zero is false."""
        assert Size("1 GiB") > Size("1023 MiB")
        assert not Size(0)
        assert Size(1)

    def test_mixing_with_other_types_is_a_type_error(self):
        """Adding a number to a size is refused by Python, not silently accepted."""
        with pytest.raises(TypeError):
            Size("1 GiB") + 1  # type: ignore[operator]


class TestAsSize:
    """as_size takes a Size or text, never a bare number."""

    def test_passes_sizes_and_reads_text(self):
        """A Size is returned as is and text is parsed."""
        size = Size("1 GiB")
        assert as_size(size) is size
        assert as_size("1 GiB") == size

    @pytest.mark.parametrize("value", [8, 8.0, None])
    def test_refuses_bare_numbers(self, value):
        """A number without a unit is ambiguous and refused."""
        with pytest.raises(InvalidValueError, match="with its unit"):
            as_size(value)


class TestResources:
    """Resources hold vCPUs, memory and disk."""

    def test_text_and_sizes_are_both_accepted(self):
        """Memory and disk may be given as text or as Size."""
        assert Resources(2, "4 GiB", "1 TiB") == Resources(2, Size("4 GiB"), Size("1 TiB"))

    def test_repr_and_str(self):
        """The repr is code and the str is words."""
        res = Resources(1, "512 MiB")
        assert repr(res) == "Resources(vcpus=1, memory='512 MiB', disk='0 B')"
        assert str(res) == "1 vCPU, 512 MiB memory"

    def test_str_shows_disk_only_when_there_is_some(self):
        """The words leave out a zero disk and name any other."""
        assert str(Resources(4, "16 GiB")) == "4 vCPUs, 16 GiB memory"
        assert str(Resources(4, "16 GiB", "1 KiB")) == "4 vCPUs, 16 GiB memory, 1 KiB disk"

    @pytest.mark.parametrize("vcpus", [-1, 1.5, True, "2", None])
    def test_refuses_bad_vcpus(self, vcpus):
        """VCPUs are whole numbers from zero up."""
        with pytest.raises(InvalidValueError, match="vCPUs"):
            Resources(vcpus, "1 GiB")

    def test_refuses_bare_memory_number(self):
        """Memory without a unit is refused."""
        with pytest.raises(InvalidValueError, match="with its unit"):
            Resources(1, 1024)

    @given(resources, resources)
    def test_sum_fits_and_subtracts_back(self, a, b):
        """Each part fits in the sum, and the sum minus one part is the other."""
        assert a.fits_in(a + b)
        assert (a + b) - b == a

    @given(resources, resources)
    def test_subtraction_never_goes_negative(self, a, b):
        """Subtracting what does not fit raises, with a shortfall that names it."""
        if b.fits_in(a):
            assert a.shortfall(b) == ""
            assert (a - b).fits_in(a)
        else:
            assert a.shortfall(b)
            with pytest.raises(InvalidValueError, match="cannot take"):
                a - b

    @given(resources)
    def test_repr_round_trips(self, res):
        """Evaluating the repr gives the same resources back."""
        assert eval(repr(res)) == res  # noqa: S307 - the repr of our own object

    def test_shortfall_names_each_missing_amount(self):
        """Each amount that is short is named with both numbers."""
        free = Resources(2, "6 GiB", "10 GiB")
        text = free.shortfall(Resources(4, "8 GiB", "20 GiB"))
        assert "needs 4 vCPUs but 2 are available" in text
        assert "needs 8 GiB of memory but 6 GiB is available" in text
        assert "needs 20 GiB of disk but 10 GiB is available" in text
