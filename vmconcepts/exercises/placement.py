"""Exercise ``placement``: place tenants' instances on a fleet, first fit, and give the use.

The fleet is the library's `CloudProvider`: the answer is where its ``launch`` puts each
instance (first fit in server order, with the tenancy and the CPU architecture
respected) and what its ``utilisation`` reports.

Examples:
    >>> problem = PlacementExercise(seed=4)
    >>> problem.check({"i-0001": "server-1"})
    Traceback (most recent call last):
    ...
    vmconcepts.errors.InvalidValueError: the answer should be a pair: a dict of instance id -> server name, and the vCPU utilisation of the servers in use in percent, such as ({'i-0001': 'server-1'}, 25); got {'i-0001': 'server-1'}
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from vmconcepts._text import counted
from vmconcepts.cloud import (
    INSTANCE_TYPES_SOURCE,
    CloudProvider,
    InstanceType,
    Server,
    Tenancy,
)
from vmconcepts.errors import InvalidValueError, NotEnoughResourcesError
from vmconcepts.exercises.problem import (
    Exercise,
    Solution,
    read_choice,
    read_collection,
    shape_error,
    wrap,
)
from vmconcepts.resources import Resources

__all__ = ["PlacementExercise"]

Placement = tuple[dict[str, str], Fraction]

_SERVER_SIZES = (
    Resources(8, "32 GiB"),
    Resources(16, "32 GiB"),
    Resources(8, "16 GiB"),
)
_TENANTS = ("netflix", "reddit", "shop")
_TENANCY_WORDS: dict[Tenancy, str] = {
    "default": "shared",
    "dedicated": "dedicated",
    "host": "dedicated host",
}
_LAUNCHES = 6
_TRIES = 50
_TOLERANCE = Fraction(1, 2)  # percentage points: rounding to a whole percent is right


@dataclass(frozen=True)
class _Launch:
    tenant: str
    type: str
    tenancy: Tenancy


def _percent(value: object, shape: str) -> Fraction:
    """Read a percentage: a number, or text such as "37.5" or "37.5%"."""
    if isinstance(value, str):
        text = value.strip().removesuffix("%").strip()
        try:
            return Fraction(Decimal(text))
        except (InvalidOperation, ValueError):
            raise shape_error(value, shape) from None
    if isinstance(value, bool) or not isinstance(value, int | float | Fraction | Decimal):
        raise shape_error(value, shape)
    try:
        return Fraction(value)
    except (ValueError, OverflowError):
        raise shape_error(value, shape) from None


def _share(share: Fraction) -> str:
    """A share as a percentage with up to one decimal, e.g. '37.5'."""
    tenths = round(share * 1000)
    return f"{tenths // 10}.{tenths % 10}".removesuffix(".0")


class PlacementExercise(Exercise[Placement]):
    """Place tenants' instances on a small EC2-like fleet, first fit, and give the vCPU use.

    The answer is a pair: a dict of instance id -> server name, and the share of the vCPUs
    of the servers in use that the instances hold, in percent (within half a percentage
    point, so a whole percent rounded to the nearest is right).

    Args:
        seed: A whole number from 0 up; the same seed always gives the same problem.

    Examples:
        >>> problem = PlacementExercise(seed=40)
        >>> placement, percent = problem.solve().answer
        >>> placement
        {'i-0001': 'server-1', 'i-0002': 'server-1', 'i-0003': 'server-2', 'i-0004': 'server-3', 'i-0005': 'server-1', 'i-0006': 'server-1'}
        >>> percent
        Fraction(75, 2)
        >>> print(problem.check((placement, "37.5%")))
        Right.
        >>> print(problem.check((placement, 80)))
        Not yet: add up the vCPUs the instances hold and divide by the vCPUs of the 3 servers in use (16 each); you gave 80%.
    """

    name = "placement"
    chapter = "cloud.md"
    title = "where does each instance land, and how full are the servers?"
    shape = (
        "a pair: a dict of instance id -> server name, and the vCPU utilisation of the"
        " servers in use in percent, such as ({'i-0001': 'server-1'}, 25)"
    )

    def _build(self, rng: random.Random) -> None:
        self.size = rng.choice(_SERVER_SIZES)
        self.arm = rng.randrange(3) == 0  # one Graviton (arm64) server in three fleets
        types = [t.name for t in InstanceType.catalogue() if not t.metal]
        if not self.arm:
            types = [name for name in types if InstanceType.named(name).architecture != "arm64"]
        for _ in range(_TRIES):
            drawn = [
                _Launch(
                    rng.choice(_TENANTS),
                    rng.choice(types),
                    "dedicated" if rng.randrange(4) == 0 else "default",
                )
                for _ in range(_LAUNCHES)
            ]
            # Keep only the launches the fleet accepts: a refused one changes nothing.
            cloud = self._fleet()
            kept = []
            for launch in drawn:
                try:
                    cloud.launch(launch.tenant, launch.type, launch.tenancy)
                except NotEnoughResourcesError:
                    continue
                kept.append(launch)
            self.launches = tuple(kept)
            # The fleet after the launches kept: the model's answer, read by `_solve`.
            self._final = cloud
            if len(kept) >= _LAUNCHES - 1:
                break

    def _fleet(self) -> CloudProvider:
        """A fresh fleet: three servers, the last an arm64 one in some problems."""
        cloud = CloudProvider()
        cloud.add_servers(2 if self.arm else 3, self.size)
        if self.arm:
            cloud.add_servers(1, self.size, architecture="arm64")
        return cloud

    def _question(self) -> str:
        hardware = f"{self.size.vcpus} vCPUs and {self.size.memory} of memory"
        fleet = f"A cloud has three servers, server-1 to server-3, each with {hardware}" + (
            ": server-1 and server-2 are x86_64, server-3 is arm64 (Graviton)."
            if self.arm
            else ", all x86_64."
        )
        rules = (
            "Instances are launched in this order. Each goes on the first server, in server"
            " order, that has the CPU architecture, the instance family, the free vCPUs and"
            " memory, and the tenancy it needs."
        )
        family = (
            "A server runs one instance family at a time (the part of the type's name before"
            " the dot, such as m5), the family of its first instance: the EC2 User Guide's"
            " rule for Dedicated Hosts, which this model applies to every server."
        )
        tenancy = (
            "A shared instance may go on any server not reserved for one account, and on one"
            " reserved for its own account's Dedicated Instances; a dedicated one only on an"
            " empty server, which is then reserved for its account until its last Dedicated"
            " Instance ends, or on one already reserved for its account (tenancy as the EC2"
            " User Guide describes it, simplified)."
        )
        rows = []
        for number, launch in enumerate(self.launches, start=1):
            kind = InstanceType.named(launch.type)
            rows.append(
                f"  i-{number:04d}  {launch.tenant:<7}  {kind.name:<11}  {kind.vcpus} vCPUs"
                f"  {kind.resources.memory!s:>6}  {kind.architecture:<6}"
                f"  {_TENANCY_WORDS[launch.tenancy]}"
            )
        ask = (
            "Which server does each instance land on? Then: what share of the vCPUs of the"
            " servers in use do the instances hold, in percent?"
        )
        sizes = f"Instance sizes: {INSTANCE_TYPES_SOURCE}."
        table = "\n".join(rows)
        paragraphs = [wrap(fleet), wrap(f"{rules} {family}"), wrap(tenancy), table]
        return "\n\n".join([*paragraphs, wrap(sizes), wrap(ask)])

    def _launched(self, upto: int | None = None) -> CloudProvider:
        """The fleet after the first ``upto`` launches (all of them by default)."""
        cloud = self._fleet()
        for launch in self.launches[:upto]:
            cloud.launch(launch.tenant, launch.type, launch.tenancy)
        return cloud

    def _solve(self) -> Solution[Placement]:
        """Launch the instances on the library's cloud and read where they went.

        Examples:
            >>> print(PlacementExercise(seed=7).solve())
            Answer: ...
            <BLANKLINE>
            Where each instance went, and the servers afterwards:
            ...
        """
        cloud = self._final
        placement = {
            instance.id: instance.server
            for tenant in dict.fromkeys(launch.tenant for launch in self.launches)
            for instance in cloud.instances(tenant)
        }
        placement = dict(sorted(placement.items()))
        use = cloud.utilisation()
        lone = cloud.utilisation_one_tenant_per_server()
        lines = ["Where each instance went, and the servers afterwards:"]
        lines += [f"  {server!r}" for server in cloud.servers]
        lines += [
            "",
            wrap(f"Utilisation: {use}."),
            wrap(f"With one tenant per server, the same instances would give: {lone}."),
        ]
        saved = lone.servers - use.servers
        if saved > 0:
            lines.append(f"Sharing servers between tenants saves {counted(saved, 'server')} here.")
        elif saved == 0:
            lines.append("Here sharing saves no server.")
        else:
            lines.append(
                wrap(
                    f"Here packing tenant by tenant would use {counted(-saved, 'server')} fewer: it"
                    " puts each account's dedicated and shared instances together."
                )
            )
        answer = (placement, use.vcpu_share * 100)
        shown = f"({placement!r}, {_share(use.vcpu_share)})"
        return Solution(answer, shown, "\n".join(lines))

    def _read(self, answer: object) -> Placement:
        pair = read_collection(answer, self.shape)
        if len(pair) != 2 or not isinstance(pair[0], Mapping):  # noqa: PLR2004 - a pair
            raise shape_error(answer, self.shape)
        ids = [f"i-{number:04d}" for number in range(1, len(self.launches) + 1)]
        servers = [server.name for server in self._fleet().servers]
        given = {
            read_choice(key, ids, "instance"): read_choice(value, servers, "server")
            for key, value in pair[0].items()
        }
        missing = [instance for instance in ids if instance not in given]
        if missing:
            msg = f"the answer places no {', '.join(missing)}; give a server for each instance"
            raise InvalidValueError(msg)
        return {instance: given[instance] for instance in ids}, _percent(pair[1], self.shape)

    def _mistake(self, given: Placement) -> str:
        placement, percent = given
        expected, share = self.solve().answer
        for number, instance in enumerate(expected, start=1):
            if placement[instance] != expected[instance]:
                return self._misplaced(number, placement[instance], expected[instance])
        if abs(percent - share) <= _TOLERANCE:
            return ""
        return self._misjudged(percent)

    def _misplaced(self, number: int, chosen: str, right: str) -> str:
        """Why launch ``number`` does not go on ``chosen``, from the fleet just before it."""
        launch = self.launches[number - 1]
        kind = InstanceType.named(launch.type)
        instance = f"i-{number:04d} ({launch.tenant}'s {kind.name})"
        server = next(s for s in self._launched(number - 1).servers if s.name == chosen)
        if server.can_take(launch.tenant, kind, launch.tenancy):
            return (
                f"{instance} could go on {chosen}, but placement is first fit: it goes on the"
                f" first server in order that can take it, and {right} comes first."
            )
        return f"{instance} cannot go on {chosen}: {_refusal(server, launch, kind)}"

    def _misjudged(self, percent: Fraction) -> str:
        cloud = self._final
        use = cloud.utilisation()
        fleet_vcpus = len(cloud.servers) * self.size.vcpus
        near = {
            "all": Fraction(use.vcpus_used * 100, fleet_vcpus),
            "memory": use.memory_share * 100,
            "lone": cloud.utilisation_one_tenant_per_server().vcpu_share * 100,
        }
        if use.servers < len(cloud.servers) and abs(percent - near["all"]) <= _TOLERANCE:
            return (
                f"count only the servers in use: {use.servers} of the {len(cloud.servers)}"
                " run instances, and an empty server is not part of the utilisation."
            )
        if abs(percent - near["memory"]) <= _TOLERANCE:
            return "that is the share of memory in use; the question asks about vCPUs."
        if abs(percent - near["lone"]) <= _TOLERANCE:
            return (
                "that is the share with one tenant per server; here tenants share servers"
                " unless an instance is dedicated."
            )
        return (
            f"add up the vCPUs the instances hold and divide by the vCPUs of the"
            f" {use.servers} servers in use ({self.size.vcpus} each); you gave"
            f" {_share(percent / 100)}%."
        )


def _refusal(server: Server, launch: _Launch, kind: InstanceType) -> str:
    """Why ``server`` cannot take the launch, from the server's own state."""
    if kind.architecture != server.architecture:
        return (
            f"the {kind.name} type is built for {kind.architecture}, and {server.name} is"
            f" {server.architecture}."
        )
    if not server.allows(launch.tenant, launch.tenancy):
        if launch.tenancy == "dedicated":
            others = sorted({i.tenant for i in server.instances} - {launch.tenant})
            if others:
                return (
                    "a dedicated instance needs a server that runs no other account's"
                    f" instances, and {server.name} already runs instances of"
                    f" {', '.join(map(repr, others))}."
                )
            return (
                "a dedicated instance goes only on an empty server or on one already dedicated"
                f" to its account, and {server.name} is in shared use."
            )
        return (
            f"{server.name} is reserved for {server.account!r}, and this instance belongs to"
            f" {launch.tenant!r}."
        )
    if server.family not in (None, kind.family):
        return (
            f"{server.name} already runs {server.family} instances, and the {kind.name} is"
            " of another family: a server runs one instance family at a time."
        )
    return f"it has no room left: the instance {server.free.shortfall(kind.resources)}."
