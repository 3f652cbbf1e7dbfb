"""Virtual machines, hypervisors and containers as small objects you can run."""

from typing import TYPE_CHECKING

from vmconcepts.architecture import (
    ARCHITECTURES,
    Architecture,
    check_architecture,
    describe_architecture,
)
from vmconcepts.cloud import (
    INSTANCE_TYPES_SOURCE,
    CloudProvider,
    DedicatedHost,
    Instance,
    InstanceType,
    Server,
    ServerState,
    Tenancy,
    Utilisation,
)
from vmconcepts.comparison import (
    DOCKER_CONTAINER,
    DOCKER_START_HDD,
    DOCKER_START_SSD,
    FELTER_2014,
    FIRECRACKER_BOOT,
    FIRECRACKER_CREATION_RATE,
    FIRECRACKER_MEMORY_OVERHEAD,
    FIRECRACKER_MICROVM,
    FIRECRACKER_VMM_START,
    FORK_EXEC,
    LIGHTVM_BOOT,
    NAMESPACE_SETUP,
    Comparison,
    Finding,
    InstanceProfile,
    Measurement,
    compare,
    instances_per_host,
)
from vmconcepts.container import (
    NAMESPACE_KINDS,
    CgroupLimits,
    Container,
    ContainerEngine,
    Image,
    Namespace,
    linux_vm_engine,
)
from vmconcepts.detect import Environment, detect, in_webassembly
from vmconcepts.diagram import Figure, Layer, LayerKind, Stack, side_by_side
from vmconcepts.errors import (
    IncompatibleArchitectureError,
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

if TYPE_CHECKING:
    from vmconcepts.exercises import (
        DensityExercise,
        Exercise,
        HypervisorTypesExercise,
        IsolationExercise,
        OvercommitExercise,
        PlacementExercise,
        Solution,
        Verdict,
        VMFitExercise,
        WhereAmIExercise,
        exercise,
        exercise_names,
    )
from vmconcepts.host import Host, Usage
from vmconcepts.hypervisor import Hypervisor
from vmconcepts.infrastructure import Machine
from vmconcepts.operating_system import Kernel, OperatingSystem
from vmconcepts.overcommit import GuestMemory, Overcommit, Pressure, reclaim
from vmconcepts.resources import Resources, Size, as_size
from vmconcepts.virtual_machine import VirtualMachine

__all__ = [
    "ARCHITECTURES",
    "DOCKER_CONTAINER",
    "DOCKER_START_HDD",
    "DOCKER_START_SSD",
    "FELTER_2014",
    "FIRECRACKER_BOOT",
    "FIRECRACKER_CREATION_RATE",
    "FIRECRACKER_MEMORY_OVERHEAD",
    "FIRECRACKER_MICROVM",
    "FIRECRACKER_VMM_START",
    "FORK_EXEC",
    "INSTANCE_TYPES_SOURCE",
    "LIGHTVM_BOOT",
    "NAMESPACE_KINDS",
    "NAMESPACE_SETUP",
    "Architecture",
    "CgroupLimits",
    "CloudProvider",
    "Comparison",
    "Container",
    "ContainerEngine",
    "DedicatedHost",
    "DensityExercise",
    "Environment",
    "Exercise",
    "Figure",
    "Finding",
    "GuestMemory",
    "Host",
    "Hypervisor",
    "HypervisorTypesExercise",
    "Image",
    "IncompatibleArchitectureError",
    "IncompatibleKernelError",
    "Instance",
    "InstanceProfile",
    "InstanceType",
    "InvalidStateError",
    "InvalidValueError",
    "IsolationError",
    "IsolationExercise",
    "Kernel",
    "Layer",
    "LayerKind",
    "Machine",
    "Measurement",
    "Namespace",
    "NoSuchFileError",
    "NotEnoughResourcesError",
    "OperatingSystem",
    "Overcommit",
    "OvercommitExercise",
    "PlacementExercise",
    "Pressure",
    "Resources",
    "Server",
    "ServerState",
    "Size",
    "Solution",
    "Stack",
    "Tenancy",
    "UnknownProductError",
    "Usage",
    "Utilisation",
    "VMConceptsError",
    "VMFitExercise",
    "Verdict",
    "VirtualMachine",
    "WhereAmIExercise",
    "WrongLayerError",
    "as_size",
    "check_architecture",
    "compare",
    "describe_architecture",
    "detect",
    "exercise",
    "exercise_names",
    "in_webassembly",
    "instances_per_host",
    "linux_vm_engine",
    "reclaim",
    "side_by_side",
]


# The exercises load on first use: importing them with the rest would double the
# time `import vmconcepts` takes, and most readers never open one.
_EXERCISE_NAMES = frozenset(
    {
        "DensityExercise",
        "Exercise",
        "HypervisorTypesExercise",
        "IsolationExercise",
        "OvercommitExercise",
        "PlacementExercise",
        "Pressure",
        "Solution",
        "Verdict",
        "VMFitExercise",
        "WhereAmIExercise",
        "exercise",
        "exercise_names",
    }
)


def __getattr__(name: str) -> object:
    """Import an exercise name from `vmconcepts.exercises` the first time it is asked for."""
    if name in _EXERCISE_NAMES:
        from vmconcepts import exercises  # noqa: PLC0415 - imported on first use, see above

        value = getattr(exercises, name)
        globals()[name] = value
        return value
    msg = f"module 'vmconcepts' has no attribute {name!r}"
    raise AttributeError(msg)
