"""Tests for the public API: everything public is exported from vmconcepts, and documented."""

import ast
import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import vmconcepts

MODULES = [
    importlib.import_module(f"vmconcepts.{info.name}")
    for info in pkgutil.iter_modules(vmconcepts.__path__)
    if not info.name.startswith("_") and not info.ispkg  # vmconcepts/*.py only
]
DEFINED = sorted(
    (module.__name__, name)
    for module in MODULES
    for name, value in vars(module).items()
    if not name.startswith("_")
    and (inspect.isclass(value) or inspect.isfunction(value))
    and value.__module__ == module.__name__
)


class TestExports:
    """The package's __all__ is the whole public API."""

    def test_modules_were_found(self):
        """The scan sees the package's modules, so an empty scan cannot pass silently."""
        assert {"vmconcepts.errors", "vmconcepts.resources"} <= {m.__name__ for m in MODULES}
        assert ("vmconcepts.resources", "Size") in DEFINED

    @pytest.mark.parametrize("name", vmconcepts.__all__)
    def test_every_exported_name_exists(self, name):
        """Each name in __all__ can be imported from vmconcepts."""
        assert hasattr(vmconcepts, name)

    def test_all_has_no_duplicates(self):
        """No name is listed twice."""
        assert len(vmconcepts.__all__) == len(set(vmconcepts.__all__))

    @pytest.mark.parametrize(("module", "name"), DEFINED, ids=[f"{m}.{n}" for m, n in DEFINED])
    def test_every_public_definition_is_exported(self, module, name):
        """Each public class and function of a module is re-exported as the same object."""
        assert name in vmconcepts.__all__, f"add {name} from {module} to vmconcepts.__all__"
        assert getattr(vmconcepts, name) is getattr(importlib.import_module(module), name)


# The table of names that load on first use; its shape is what these tests check.
LAZY_MODULES = vmconcepts._LAZY_MODULES  # noqa: SLF001


class TestLazyNames:
    """Names that load on first use are listed twice in vmconcepts/__init__.py: keep them equal."""

    def test_the_type_checkers_imports_are_the_lazy_names(self):
        """The ``if TYPE_CHECKING:`` imports, for type checkers, name what is loaded lazily."""
        tree = ast.parse(Path(vmconcepts.__file__).read_text(encoding="utf-8"))
        (block,) = [
            node
            for node in tree.body
            if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
        ]
        imported = {
            node.module: tuple(alias.name for alias in node.names)
            for node in block.body
            if isinstance(node, ast.ImportFrom)
        }
        assert imported == LAZY_MODULES

    @pytest.mark.parametrize("module", sorted(LAZY_MODULES))
    def test_each_lazy_name_is_public_in_its_module(self, module):
        """A lazy name is in its module's ``__all__``, so a typo cannot hide until first use."""
        names = set(LAZY_MODULES[module])
        assert names <= set(importlib.import_module(module).__all__)


class TestDocumentation:
    """Every exported name has a docstring with an example."""

    @pytest.mark.parametrize(
        "name",
        [n for n in vmconcepts.__all__ if inspect.isclass(getattr(vmconcepts, n, None))]
        + [n for n in vmconcepts.__all__ if inspect.isfunction(getattr(vmconcepts, n, None))],
    )
    def test_docstring_has_examples(self, name):
        """Each exported class and function has a docstring with an Examples: doctest.

        Constants and type aliases (such as `ARCHITECTURES`) cannot carry a docstring of
        their own; the docstrings of the functions that use them show them in use.
        """
        doc = inspect.getdoc(getattr(vmconcepts, name, None)) or ""
        assert doc.strip(), f"{name} has no docstring"
        assert "Examples:" in doc, f"{name}'s docstring has no Examples: section"
        assert ">>> " in doc.split("Examples:", 1)[1], f"{name}'s Examples: show no doctest"


class TestImportCost:
    """Importing the package stays cheap, because Pyodide pays for every module in the browser."""

    @pytest.mark.parametrize("slow", ["difflib", "html", "html.entities", "vmconcepts.exercises"])
    def test_slow_modules_wait_until_needed(self, slow):
        """A fresh interpreter that imports vmconcepts has not yet imported the slow module."""
        code = f"import sys, vmconcepts; print({slow!r} in sys.modules)"
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
            cwd=Path(vmconcepts.__file__).parents[1],
        )
        assert done.stdout.strip() == "False"

    def test_exercise_names_load_on_first_use(self):
        """An exercise name is importable from vmconcepts, loaded when first asked for."""
        code = (
            "import sys, vmconcepts; from vmconcepts import exercise; "
            "print('vmconcepts.exercises' in sys.modules, exercise.__module__)"
        )
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
            cwd=Path(vmconcepts.__file__).parents[1],
        )
        assert done.stdout.split()[0] == "True"

    def test_unknown_name_is_an_attribute_error(self):
        """A name that is neither defined nor an exercise raises AttributeError, as usual."""
        with pytest.raises(AttributeError, match="no attribute 'Nope'"):
            _ = vmconcepts.Nope
