"""Small wording helpers shared by the messages and reprs of several modules."""

from __future__ import annotations

__all__ = ["a_or_an", "counted"]


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """Write a count with its noun in the right number: '1 server', '2 servers', '0 vCPUs'.

    Args:
        count: How many.
        noun: The noun for one.
        plural: The noun for any other count; ``noun + "s"`` by default.

    Examples:
        >>> counted(1, "server"), counted(0, "instance"), counted(2, "Dedicated Host")
        ('1 server', '0 instances', '2 Dedicated Hosts')
        >>> counted(3, "has room", "have room")
        '3 have room'
    """
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"


# Words that start with a vowel letter but a consonant sound, so take "a".
_CONSONANT_SOUNDS = ("us", "uni", "eu", "one")


def a_or_an(words: str) -> str:
    """Put "a" or "an" before ``words``, by how they sound: 'an emulator', 'a user-space API'.

    Examples:
        >>> a_or_an("emulator"), a_or_an("user-space API"), a_or_an("type 1 hypervisor")
        ('an emulator', 'a user-space API', 'a type 1 hypervisor')
    """
    lower = words.lower()
    vowel = lower[:1] in tuple("aeiou") and not lower.startswith(_CONSONANT_SOUNDS)
    return f"{'an' if vowel else 'a'} {words}"
