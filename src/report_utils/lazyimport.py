"""Deferring a costly import that rendering never uses: :func:`deferred`.

nbformat (imported by papermill and nbconvert) validates notebooks with jsonschema, and
importing jsonschema imports every format checker it finds installed. One of them,
rfc3987_syntax (installed for jupyter-events), builds an Earley parser from the grammar
of RFC 3987 when it is imported: about 1 s of CPU in every process that renders, a fifth
of a cold single-report render, for the "iri" string formats that no notebook schema uses.

``with deferred("rfc3987_syntax", forwarders=("is_valid_syntax",)): import nbformat``
imports the package as a module whose own code runs on first use instead: the first
attribute it does not have yet, or the first call of a forwarder. The module object is
the same before and after, so everything that imported it ends up with the real package,
and a Jupyter cell that validates an IRI gets the answer it gets in a kernel of its own.

Written here because importlib's own :class:`importlib.util.LazyLoader`, which defers a
module the same way, runs the module on *any* attribute access, and jsonschema's
``from rfc3987_syntax import is_valid_syntax`` is one: the parser would be built at once.
A forwarder is a stand-in for a function the importer takes by name at import time.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import sys
import threading
import types
from collections.abc import Iterable, Iterator

_lock = threading.RLock()


class _DeferredModule(types.ModuleType):
    """A module whose code has not run yet; runs it on the first missing attribute."""

    def __getattr__(self, attr: str):
        _execute(self)
        return getattr(self, attr)


def _execute(module: types.ModuleType) -> None:
    """Run the module's own code in the module object (once), as an import would have."""
    with _lock:
        if type(module) is not _DeferredModule:
            return
        spec = module.__spec__
        real = spec.loader.real
        spec.loader = module.__loader__ = real
        module.__class__ = types.ModuleType
        real.exec_module(module)


def _forwarder(module: types.ModuleType, name: str):
    def forward(*args, **kwargs):
        _execute(module)
        return getattr(module, name)(*args, **kwargs)

    forward.__name__ = forward.__qualname__ = name
    forward.__doc__ = f"Runs {module.__name__} on first use, then calls its {name}."
    return forward


class _DeferringLoader(importlib.abc.Loader):
    def __init__(self, real: importlib.abc.Loader, forwarders: tuple[str, ...]):
        self.real = real
        self.forwarders = forwarders

    def create_module(self, spec):
        return None  # a plain module, which the import system fills in (__spec__, __path__ …)

    def exec_module(self, module):
        # instead of running the code: the forwarders, and the class that runs it later
        for name in self.forwarders:
            setattr(module, name, _forwarder(module, name))
        module.__class__ = _DeferredModule


class _Finder(importlib.abc.MetaPathFinder):
    def __init__(self, name: str, forwarders: tuple[str, ...]):
        self.name = name
        self.forwarders = forwarders

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None  # not installed: the import fails as it would have
        spec.loader = _DeferringLoader(spec.loader, self.forwarders)
        return spec


@contextlib.contextmanager
def deferred(name: str, forwarders: Iterable[str] = ()) -> Iterator[None]:
    """Inside the block, an import of the top-level module ``name`` that is not imported
    yet gives a module whose code runs on first use; ``forwarders``: functions an importer
    takes from it by name at import time. Nothing is left in the import system afterwards.
    """
    finder = _Finder(name, tuple(forwarders))
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


def import_nbformat() -> None:
    """Import nbformat (papermill's, nbconvert's) without building rfc3987_syntax's parser
    before anything checks an IRI (see the module's docstring)."""
    with deferred("rfc3987_syntax", forwarders=("is_valid_syntax",)):
        import nbformat  # noqa: F401
