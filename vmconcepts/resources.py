"""Sizes in binary units ("8 GiB") and the `Resources` a machine has or a VM asks for.

Examples:
    >>> laptop = Resources(vcpus=8, memory="16 GiB", disk="512 GiB")
    >>> vm = Resources(vcpus=2, memory="4 GiB", disk="64 GiB")
    >>> vm.fits_in(laptop)
    True
    >>> laptop - vm
    Resources(vcpus=6, memory='12 GiB', disk='448 GiB')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import total_ordering

from vmconcepts.errors import InvalidValueError

__all__ = ["Resources", "Size", "as_size"]

# Binary units, largest first: 1 KiB is 1024 bytes, 1 MiB is 1024 KiB, and so on.
_UNITS: dict[str, int] = {"TiB": 1024**4, "GiB": 1024**3, "MiB": 1024**2, "KiB": 1024, "B": 1}

_SIZE_TEXT = re.compile(r"\s*(?P<number>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>[A-Za-z]+)\s*")
_DECIMAL_UNITS = {"KB": "KiB", "MB": "MiB", "GB": "GiB", "TB": "TiB"}


def _parse(text: str) -> int:
    """Turn text such as ``"1.5 GiB"`` into a whole number of bytes."""
    match = _SIZE_TEXT.fullmatch(text)
    if match is None:
        msg = f"cannot read {text!r} as a size; write a number and a unit, e.g. '8 GiB'"
        raise InvalidValueError(msg)
    number, unit = match["number"], match["unit"]
    if unit not in _UNITS:
        known = ", ".join(_UNITS)
        hint = ""
        by_lower = {name.lower(): name for name in _UNITS}
        if unit.upper() in _DECIMAL_UNITS:
            hint = f" (for {unit} write {_DECIMAL_UNITS[unit.upper()]}: sizes here are binary)"
        elif unit.lower() in by_lower:
            hint = f" (write {by_lower[unit.lower()]})"
        msg = f"unknown unit {unit!r} in {text!r}{hint}; known units: {known}"
        raise InvalidValueError(msg)
    exact = Fraction(number) * _UNITS[unit]
    if exact.denominator != 1:
        msg = f"{text!r} is not a whole number of bytes; use a smaller unit"
        raise InvalidValueError(msg)
    return int(exact)


def _format(count: int) -> str:
    """Write a byte count in the largest unit that shows it exactly with two decimals at most."""
    for unit, factor in _UNITS.items():
        if count >= factor and (count * 100) % factor == 0:
            hundredths = count * 100 // factor
            number = f"{hundredths // 100}.{hundredths % 100:02d}".rstrip("0").rstrip(".")
            return f"{number} {unit}"
    return f"{count} B"


@total_ordering
@dataclass(frozen=True, init=False, repr=False, eq=True)
class Size:
    """An amount of memory or disk, stored in bytes and written in binary units.

    Create one from text (``"8 GiB"``, ``"1.5 GiB"``, ``"512 MiB"``) or from a number of
    bytes. Sizes add, subtract and compare; a size is never negative.

    Args:
        value: Text with a number and a unit, or a whole number of bytes.

    Raises:
        InvalidValueError: The text has no unit or an unknown one, the size is negative or
            not a whole number of bytes, or the value is neither text nor an int.

    Examples:
        >>> Size("8 GiB")
        Size('8 GiB')
        >>> Size("1536 MiB")
        Size('1.5 GiB')
        >>> Size(1024).bytes
        1024
        >>> print(Size("4 GiB") + Size("512 MiB"))
        4.5 GiB
        >>> Size("8 GB")
        Traceback (most recent call last):
        ...
        vmconcepts.errors.InvalidValueError: unknown unit 'GB' in '8 GB' (for GB write GiB: sizes here are binary); known units: TiB, GiB, MiB, KiB, B
    """

    bytes: int

    def __init__(self, value: int | str) -> None:
        """Read ``value`` as text with a unit or as a number of bytes."""
        if isinstance(value, str):
            count = _parse(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            count = value
        else:
            msg = f"a size is text such as '8 GiB' or a number of bytes, not {value!r}"
            raise InvalidValueError(msg)
        if count < 0:
            msg = f"a size cannot be negative, got {count} bytes"
            raise InvalidValueError(msg)
        object.__setattr__(self, "bytes", count)

    def __repr__(self) -> str:
        """Show the size as the text that would create it."""
        return f"Size({str(self)!r})"

    def __str__(self) -> str:
        """Write the size in the largest unit that shows it exactly."""
        return _format(self.bytes)

    def __lt__(self, other: Size) -> bool:
        """Compare two sizes."""
        if not isinstance(other, Size):
            return NotImplemented
        return self.bytes < other.bytes

    def __add__(self, other: Size) -> Size:
        """Add two sizes."""
        if not isinstance(other, Size):
            return NotImplemented
        return Size(self.bytes + other.bytes)

    def __sub__(self, other: Size) -> Size:
        """Subtract a size; the result must not be negative."""
        if not isinstance(other, Size):
            return NotImplemented
        if other.bytes > self.bytes:
            msg = f"cannot take {other} from {self}: a size cannot be negative"
            raise InvalidValueError(msg)
        return Size(self.bytes - other.bytes)

    def __mul__(self, times: int) -> Size:
        """Multiply by a whole number, e.g. four VMs of 2 GiB each."""
        if not isinstance(times, int) or isinstance(times, bool):
            return NotImplemented
        return Size(self.bytes * times)

    __rmul__ = __mul__

    def __bool__(self) -> bool:
        """A size is false when it is zero."""
        return self.bytes > 0


def as_size(value: Size | str) -> Size:
    """Return ``value`` as a `Size`, reading text such as ``"8 GiB"``.

    A bare number is refused: ``8`` could mean bytes or gibibytes.

    Examples:
        >>> as_size("512 MiB")
        Size('512 MiB')
        >>> as_size(8)
        Traceback (most recent call last):
        ...
        vmconcepts.errors.InvalidValueError: give a size with its unit, e.g. '8 GiB', not 8
    """
    if isinstance(value, Size):
        return value
    if isinstance(value, str):
        return Size(value)
    msg = f"give a size with its unit, e.g. '8 GiB', not {value!r}"
    raise InvalidValueError(msg)


def _check_vcpus(vcpus: object) -> int:
    if not isinstance(vcpus, int) or isinstance(vcpus, bool) or vcpus < 0:
        msg = f"vCPUs are counted in whole numbers from 0 up, not {vcpus!r}"
        raise InvalidValueError(msg)
    return vcpus


@dataclass(frozen=True, init=False, repr=False)
class Resources:
    """Virtual CPUs, memory and disk: what a machine has, or what a VM asks for.

    Resources add and subtract (never below zero), and `fits_in` says whether one set fits in
    another.

    Args:
        vcpus: Number of virtual CPUs (on a physical machine: hardware threads).
        memory: Memory, as a `Size` or text such as ``"8 GiB"``.
        disk: Disk space, as a `Size` or text; none by default.

    Examples:
        >>> Resources(vcpus=2, memory="4 GiB")
        Resources(vcpus=2, memory='4 GiB', disk='0 B')
        >>> print(Resources(vcpus=4, memory="8 GiB", disk="64 GiB"))
        4 vCPUs, 8 GiB memory, 64 GiB disk
        >>> print(Resources(vcpus=4, memory="16 GiB"))
        4 vCPUs, 16 GiB memory
        >>> Resources(vcpus=-1, memory="4 GiB")
        Traceback (most recent call last):
        ...
        vmconcepts.errors.InvalidValueError: vCPUs are counted in whole numbers from 0 up, not -1
    """

    vcpus: int
    memory: Size
    disk: Size

    def __init__(self, vcpus: int, memory: Size | str, disk: Size | str = "0 B") -> None:
        """Check and store the three amounts."""
        object.__setattr__(self, "vcpus", _check_vcpus(vcpus))
        object.__setattr__(self, "memory", as_size(memory))
        object.__setattr__(self, "disk", as_size(disk))

    def __repr__(self) -> str:
        """Show the resources as the call that would create them."""
        return f"Resources(vcpus={self.vcpus}, memory='{self.memory}', disk='{self.disk}')"

    def __str__(self) -> str:
        """Describe the resources in words, leaving out the disk when there is none."""
        cpus = "vCPU" if self.vcpus == 1 else "vCPUs"
        text = f"{self.vcpus} {cpus}, {self.memory} memory"
        return f"{text}, {self.disk} disk" if self.disk else text

    def __add__(self, other: Resources) -> Resources:
        """Add two sets of resources."""
        if not isinstance(other, Resources):
            return NotImplemented
        return Resources(
            self.vcpus + other.vcpus, self.memory + other.memory, self.disk + other.disk
        )

    def __sub__(self, other: Resources) -> Resources:
        """Take resources away; refused if any amount would go below zero."""
        if not isinstance(other, Resources):
            return NotImplemented
        if not other.fits_in(self):
            msg = f"cannot take ({other}) from ({self}): {self.shortfall(other)}"
            raise InvalidValueError(msg)
        return Resources(
            self.vcpus - other.vcpus, self.memory - other.memory, self.disk - other.disk
        )

    def fits_in(self, other: Resources) -> bool:
        """Say whether every amount here is at most the same amount in ``other``.

        Examples:
            >>> small = Resources(vcpus=1, memory="512 MiB")
            >>> small.fits_in(Resources(vcpus=2, memory="1 GiB"))
            True
            >>> small.fits_in(Resources(vcpus=2, memory="256 MiB"))
            False
        """
        return self.vcpus <= other.vcpus and self.memory <= other.memory and self.disk <= other.disk

    def shortfall(self, need: Resources) -> str:
        """Describe in words what ``need`` asks for beyond these resources ("" if it fits).

        Examples:
            >>> free = Resources(vcpus=2, memory="6 GiB", disk="100 GiB")
            >>> free.shortfall(Resources(vcpus=4, memory="8 GiB", disk="64 GiB"))
            'needs 4 vCPUs but 2 are available; needs 8 GiB of memory but 6 GiB is available'
        """
        parts = []
        if need.vcpus > self.vcpus:
            parts.append(f"needs {need.vcpus} vCPUs but {self.vcpus} are available")
        if need.memory > self.memory:
            parts.append(f"needs {need.memory} of memory but {self.memory} is available")
        if need.disk > self.disk:
            parts.append(f"needs {need.disk} of disk but {self.disk} is available")
        return "; ".join(parts)
