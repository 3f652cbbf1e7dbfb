"""Virtual machines, hypervisors and containers as small objects you can run."""

import importlib
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
    from vmconcepts.cpu import (
        OPERATIONS,
        PAGE_SIZE,
        GuestProgram,
        NestedPaging,
        Operation,
        OperationKind,
        RunCounts,
        Technique,
        Translation,
        technique_for,
    )
    from vmconcepts.exercises import (
        ChooseIsolationExercise,
        DensityExercise,
        Exercise,
        ExitsExercise,
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
    from vmconcepts.isolation import (
        DEFAULT_HOST_KERNEL,
        ESCAPES,
        Escape,
        IsolationKind,
        Placement,
        Power,
        Shared,
        Workload,
        fitting,
        place,
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
    "DEFAULT_HOST_KERNEL",
    "DOCKER_CONTAINER",
    "DOCKER_START_HDD",
    "DOCKER_START_SSD",
    "ESCAPES",
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
    "OPERATIONS",
    "PAGE_SIZE",
    "Architecture",
    "CgroupLimits",
    "ChooseIsolationExercise",
    "CloudProvider",
    "Comparison",
    "Container",
    "ContainerEngine",
    "DedicatedHost",
    "DensityExercise",
    "Environment",
    "Escape",
    "Exercise",
    "ExitsExercise",
    "Figure",
    "Finding",
    "GuestMemory",
    "GuestProgram",
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
    "IsolationKind",
    "Kernel",
    "Layer",
    "LayerKind",
    "Machine",
    "Measurement",
    "Namespace",
    "NestedPaging",
    "NoSuchFileError",
    "NotEnoughResourcesError",
    "OperatingSystem",
    "Operation",
    "OperationKind",
    "Overcommit",
    "OvercommitExercise",
    "Placement",
    "PlacementExercise",
    "Power",
    "Pressure",
    "Resources",
    "RunCounts",
    "Server",
    "ServerState",
    "Shared",
    "Size",
    "Solution",
    "Stack",
    "Technique",
    "Tenancy",
    "Translation",
    "UnknownProductError",
    "Usage",
    "Utilisation",
    "VMConceptsError",
    "VMFitExercise",
    "Verdict",
    "VirtualMachine",
    "WhereAmIExercise",
    "Workload",
    "WrongLayerError",
    "as_size",
    "check_architecture",
    "compare",
    "describe_architecture",
    "detect",
    "exercise",
    "exercise_names",
    "fitting",
    "in_webassembly",
    "instances_per_host",
    "linux_vm_engine",
    "place",
    "reclaim",
    "side_by_side",
    "technique_for",
]


# These load on first use: importing them with the rest would double the time
# `import vmconcepts` takes, and most pages never use them.
_LAZY_MODULES = {
    "vmconcepts.exercises": (
        "ChooseIsolationExercise",
        "DensityExercise",
        "Exercise",
        "ExitsExercise",
        "HypervisorTypesExercise",
        "IsolationExercise",
        "OvercommitExercise",
        "PlacementExercise",
        "Solution",
        "Verdict",
        "VMFitExercise",
        "WhereAmIExercise",
        "exercise",
        "exercise_names",
    ),
    "vmconcepts.cpu": (
        "OPERATIONS",
        "PAGE_SIZE",
        "GuestProgram",
        "NestedPaging",
        "Operation",
        "OperationKind",
        "RunCounts",
        "Technique",
        "Translation",
        "technique_for",
    ),
    "vmconcepts.isolation": (
        "DEFAULT_HOST_KERNEL",
        "ESCAPES",
        "Escape",
        "IsolationKind",
        "Placement",
        "Power",
        "Shared",
        "Workload",
        "fitting",
        "place",
    ),
}
_LAZY = {name: module for module, names in _LAZY_MODULES.items() for name in names}


def __getattr__(name: str) -> object:
    """Import a name from its module the first time it is asked for (see `_LAZY_MODULES`)."""
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    msg = f"module 'vmconcepts' has no attribute {name!r}"
    raise AttributeError(msg)
