"""CPU architectures: the instruction set a processor runs, and so the one a program is built for.

Two matter to readers today: ``x86_64`` (Intel and AMD processors, Intel Macs, most cloud
servers) and ``arm64`` (Apple silicon Macs, AWS Graviton, many phones and laptops). They are
named here as EC2 names them (``uname -m`` says ``aarch64`` on Linux and ``arm64`` on macOS).

A guest runs *natively* only on a processor of its own architecture. Code built for another
one runs only if something translates every instruction, which is *emulation*: QEMU's TCG
does it for a whole machine, and does it by default unless an accelerator such as KVM, HVF or
WHPX is chosen (QEMU docs, "System Emulation: Introduction"). Emulated code runs, but slower.

Examples:
    >>> check_architecture("arm64")
    'arm64'
    >>> describe_architecture("x86_64")
    'x86_64 (Intel or AMD)'
    >>> check_architecture("aarch64")
    Traceback (most recent call last):
    ...
    vmconcepts.errors.InvalidValueError: unknown architecture 'aarch64' (for aarch64 write 'arm64': names here are EC2's); known: x86_64, arm64
"""

from __future__ import annotations

from typing import Literal

from vmconcepts.errors import InvalidValueError

__all__ = ["ARCHITECTURES", "Architecture", "check_architecture", "describe_architecture"]

#: A CPU architecture's name, as EC2 writes it.
Architecture = Literal["x86_64", "arm64"]

#: The architectures the library knows, most common on servers first.
ARCHITECTURES: tuple[Architecture, ...] = ("x86_64", "arm64")

# Other names readers meet for the same two, and the name to write instead.
_OTHER_NAMES = {"amd64": "x86_64", "x86-64": "x86_64", "x64": "x86_64", "aarch64": "arm64"}

_WHO_MAKES = {"x86_64": "Intel or AMD", "arm64": "Apple silicon, AWS Graviton and others"}


def check_architecture(value: object, what: str = "") -> Architecture:
    """Return ``value`` if it names a known architecture, else raise a clear error.

    Args:
        value: The name to check, e.g. ``"arm64"``.
        what: What the architecture belongs to, for the message (e.g. ``"image 'nginx'"``).

    Raises:
        InvalidValueError: The name is not one of `ARCHITECTURES`; the message gives the
            library's name for a known alias such as ``aarch64`` or ``amd64``.

    Examples:
        >>> check_architecture("amd64", "machine 'pc'")
        Traceback (most recent call last):
        ...
        vmconcepts.errors.InvalidValueError: unknown architecture 'amd64' for machine 'pc' (for amd64 write 'x86_64': names here are EC2's); known: x86_64, arm64
    """
    for known in ARCHITECTURES:
        if value == known:
            return known
    hint = ""
    if isinstance(value, str) and value.lower() in _OTHER_NAMES:
        hint = f" (for {value} write {_OTHER_NAMES[value.lower()]!r}: names here are EC2's)"
    where = f" for {what}" if what else ""
    msg = f"unknown architecture {value!r}{where}{hint}; known: {', '.join(ARCHITECTURES)}"
    raise InvalidValueError(msg)


def describe_architecture(architecture: Architecture) -> str:
    """Name an architecture with the processors that have it, for messages and tables.

    Examples:
        >>> describe_architecture("arm64")
        'arm64 (Apple silicon, AWS Graviton and others)'
    """
    return f"{architecture} ({_WHO_MAKES[architecture]})"
