"""Exercise ``hypervisor-types``: type 1, type 2, or neither, and what lies under each.

The products come from the library's hypervisor catalogue, which cites a source for each
classification and marks the disputed ones. The solution installs each product on a
machine that suits it and describes the layers from the bottom up; a hint for a wrong
type shows what the library says when the product is put on the layer that type implies.

Examples:
    >>> problem = HypervisorTypesExercise(seed=2)
    >>> problem.check(["VMware ESXi"])
    Traceback (most recent call last):
    ...
    vmconcepts.errors.InvalidValueError: the answer should be a dict of product -> 1, 2 or None, such as {'VMware ESXi': 1}; got ['VMware ESXi']
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from vmconcepts._text import a_or_an
from vmconcepts.errors import InvalidValueError, UnknownProductError, WrongLayerError
from vmconcepts.exercises.problem import Exercise, Solution, read_choice, shape_error, wrap
from vmconcepts.hypervisor import Hypervisor
from vmconcepts.infrastructure import Machine
from vmconcepts.resources import Resources

__all__ = ["HypervisorTypesExercise"]

Types = dict[str, int | None]

# A host OS for each kernel family, on the kind of machine it usually runs on.
_HOSTS = (
    Machine("mac", "laptop", Resources(8, "16 GiB", "512 GiB"), os="macOS", architecture="arm64"),
    Machine("pc", "desktop", Resources(8, "32 GiB", "1 TiB"), os="Windows 11"),
    Machine("box", "server", Resources(16, "64 GiB", "2 TiB"), os="Ubuntu 24.04"),
    Machine("bsd", "server", Resources(16, "64 GiB", "2 TiB"), os="FreeBSD"),
)
_BARE = Machine("rack-1", "server", Resources(16, "64 GiB", "2 TiB"))
_NONE_WORDS = ("none", "neither", "disputed", "no type", "-", "")
_PRODUCTS = 4


def _machine_for(product: Hypervisor) -> Machine:
    """A machine the product installs on: bare metal, or a host OS it supports."""
    return next(machine for machine in (_BARE, *_HOSTS) if product.fits(machine))


def _catalogue_name(key: object) -> object:
    """The catalogue's name for ``key`` if it names a product ("ESXi"), else ``key`` itself."""
    if isinstance(key, str):
        try:
            return Hypervisor.named(key).name
        except UnknownProductError:
            return key
    return key


def _read_type(value: object, product: str) -> int | None:
    """Read 1, 2, "type 1", "2" or None ("neither", "disputed") as 1, 2 or None."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value in (1, 2):
        return value
    if isinstance(value, str):
        text = value.strip().lower().removeprefix("type").strip()
        if text in ("1", "2"):
            return int(text)
        if text in _NONE_WORDS:
            return None
    msg = f"say 1, 2 or None for {product!r}, not {value!r}"
    raise InvalidValueError(msg)


class HypervisorTypesExercise(Exercise[Types]):
    """Type 1, type 2 or neither: classify four products from the hypervisor catalogue.

    The answer maps each product's name to 1, 2 or None; None stands for "neither": its
    type is disputed (KVM, bhyve, and the KVM-based Nitro, which AWS gives no type) or it is not a hypervisor type at all (QEMU, Firecracker).
    ``"type 1"``, ``"2"``, ``"neither"`` and ``"disputed"`` are read too, and a product
    may be named as `Hypervisor.named` takes it ("ESXi", "virtualbox").

    Args:
        seed: A whole number from 0 up; the same seed always gives the same problem.

    Examples:
        >>> problem = HypervisorTypesExercise(seed=0)
        >>> problem.solve()
        Solution(answer={'Microsoft Hyper-V': 1, 'AWS Nitro Hypervisor': None, 'Parallels Desktop for Mac': 2, 'Oracle VirtualBox': 2})
        >>> answer = {"nitro": 1, "Hyper-V": "type 1", "Parallels": 2, "VirtualBox": 2}
        >>> print(problem.check(answer))
        Not yet: AWS Nitro Hypervisor has no agreed type: it is disputed. "A lightweight hypervisor ...
    """

    name = "hypervisor-types"
    chapter = "how-vms-work.md"
    title = "type 1, type 2 or neither, and what lies under each?"
    shape = "a dict of product -> 1, 2 or None, such as {'VMware ESXi': 1}"

    def _build(self, rng: random.Random) -> None:
        catalogue = Hypervisor.catalogue()
        # One of each kind (type 1, type 2, neither), then any others.
        picked = [rng.choice([h for h in catalogue if h.type == kind]) for kind in (1, 2, None)]
        rest = [h for h in catalogue if h not in picked]
        picked += rng.sample(rest, _PRODUCTS - len(picked))
        rng.shuffle(picked)
        self.products = tuple(picked)

    def _question(self) -> str:
        intro = (
            "For each product, say whether it is a type 1 hypervisor (it runs directly on the"
            " hardware, with no OS under it), a type 2 hypervisor (an application on a host"
            " operating system), or neither (its type is disputed, or it is not classified as"
            " a hypervisor type at all)."
        )
        rows = "\n".join(f"  - {product.name}" for product in self.products)
        ask = wrap(
            "The solution also installs each one where it belongs and lists the layers"
            " from the hardware up."
        )
        return f"{wrap(intro)}\n\n{rows}\n\n{ask}"

    def _solve(self) -> Solution[Types]:
        """Read each product's type from the catalogue, and install it to show its layers.

        Examples:
            >>> print(HypervisorTypesExercise(seed=7).solve())
            Answer: {'VMware Fusion': 2, 'Apple Virtualization.framework': None, 'Cloud Hypervisor': None, 'Microsoft Hyper-V': 1}
            <BLANKLINE>
            VMware Fusion: type 2. The catalogue calls it a type 2 (hosted) hypervisor (source:
              unverified: by analogy with VMware Workstation). From the bottom up: mac (laptop)
              (hardware); then macOS (host OS); then VMware Fusion (hypervisor); then guest (Ubuntu
              24.04) (guest OS).
            Apple Virtualization.framework: neither. The catalogue calls it a user-space API to
              macOS's built-in hypervisor (source: Apple Developer Documentation, "Virtualization"
              and "Hypervisor"). From the bottom up: mac (laptop) (hardware); then macOS (host OS);
              then Apple Virtualization.framework (hypervisor); then guest (Ubuntu 24.04) (guest
              OS).
            Cloud Hypervisor: neither. The catalogue calls it a virtual machine monitor on KVM or
              MSHV (source: Cloud Hypervisor README). From the bottom up: box (server) (hardware);
              then Ubuntu 24.04 (host OS); then Cloud Hypervisor (hypervisor); then guest (Ubuntu
              24.04) (guest OS).
            Microsoft Hyper-V: type 1. The catalogue calls it a type 1 hypervisor (source: Hyper-V
              Top-Level Functional Specification (learn.microsoft.com, tlfs)). From the bottom up:
              pc (desktop) (hardware); then Microsoft Hyper-V (hypervisor); then 2 side by side:
              Windows 11 (root partition) (host OS), guest (Ubuntu 24.04) (guest OS).
        """
        answer: Types = {product.name: product.type for product in self.products}
        lines = []
        for product in self.products:
            host = product.install_on(_machine_for(product))
            host.create_vm("guest", "Ubuntu 24.04", Resources(1, "1 GiB"))
            kind = "neither" if product.type is None else f"type {product.type}"
            lines.append(
                wrap(
                    f"{product.name}: {kind}. The catalogue calls it"
                    f" {a_or_an(product.classification)} (source: {product.source})."
                    f" {host.stack().describe()}",
                    "",
                    "  ",
                )
            )
        return Solution(answer, repr(answer), "\n".join(lines))

    def _read(self, answer: object) -> Types:
        if not isinstance(answer, Mapping):
            raise shape_error(answer, self.shape)
        names = [product.name for product in self.products]
        given: Types = {}
        for key, value in answer.items():
            name = read_choice(_catalogue_name(key), names, "product")
            given[name] = _read_type(value, name)
        missing = [name for name in names if name not in given]
        if missing:
            msg = f"the answer says nothing about {', '.join(missing)}; give 1, 2 or None for each"
            raise InvalidValueError(msg)
        return {name: given[name] for name in names}

    def _mistake(self, given: Types) -> str:
        for product in self.products:
            said = given[product.name]
            if said != product.type:
                return _hint(product, said)
        return ""


def _hint(product: Hypervisor, said: int | None) -> str:
    """Why ``said`` is the wrong type for ``product``, in the library's own words."""
    if product.type is None:
        why = (
            "it is disputed."
            if product.disputed
            else f"it is classified as {a_or_an(product.classification)}, not by hypervisor type."
        )
        return f"{product.name} has no agreed type: {why} {product.note}"
    if said is None:
        return (
            f"{product.name} has a type: the catalogue calls it {a_or_an(product.classification)}"
            f" (source: {product.source}), and it installs {product.installs}. {product.note}"
        )
    # Put it where the wrong type would put it, and quote the library's refusal.
    wrong_place = _BARE
    if said != 1:  # type 2: on the first host OS whose CPU the product runs on
        wrong_place = next(m for m in _HOSTS if m.architecture in product.host_architectures)
    if product.installs in ("on the hardware", "on a host OS"):
        try:
            product.install_on(wrong_place)
        except WrongLayerError as error:
            return f"{product.name} is not type {said}: {error}"
    return (
        f"{product.name} is type {product.type} (source: {product.source}), though it"
        f" installs {product.installs}: {product.note}"
    )
