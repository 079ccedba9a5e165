"""Jupyter Server settings of this project, used by ``make lab`` (via ``JUPYTER_CONFIG_PATH``).

Saving a notebook under ``notebooks/`` — by hand or by JupyterLab's autosave — writes it
in its committed form: no outputs, no execution counts, no widget state, and none of the
metadata a running kernel rewrites (the kernel's display name, ``language_info`` details,
timings). So the committed notebooks stay clean (``git status`` stays quiet) and a reopened
notebook never shows "Error displaying widget: model not found": widget views are saved
neither with nor without the widget state they need. The notebook open in the browser keeps
its outputs until it is closed; run the cells again after reopening.

Notebooks elsewhere (if the server's root is above ``notebooks/``) are saved unchanged.

Written by hand rather than with nbstripout: nbstripout is a git filter, and a pre-save
hook needs the few lines below on the in-memory notebook, with no dependency on the
project's package being importable by the server.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

#: the committed notebooks: <project>/notebooks (this file is <project>/.jupyter/…)
PROJECT_NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

#: cell metadata JupyterLab writes while you work (timings, collapsed/scrolled outputs)
VOLATILE_CELL_METADATA = ("execution", "collapsed", "scrolled", "trusted")


def _os_path(contents_manager, path: str) -> Path | None:
    root = getattr(contents_manager, "root_dir", None)
    return Path(root, path.strip("/")).resolve() if root else None


def _committed_kernelspec(os_path: Path) -> dict | None:
    try:
        return json.loads(os_path.read_text("utf-8")).get("metadata", {}).get("kernelspec")
    except (OSError, ValueError):
        return None


def strip_notebook(nb: dict, on_disk_kernelspec: dict | None = None) -> dict:
    """The notebook as it is committed: outputs, counts and volatile metadata removed."""
    meta = nb.setdefault("metadata", {})
    meta.pop("widgets", None)
    info = meta.get("language_info")
    if isinstance(info, dict) and "name" in info:
        meta["language_info"] = {"name": info["name"]}
    spec = meta.get("kernelspec")
    if (
        on_disk_kernelspec
        and isinstance(spec, dict)
        and spec.get("name") == on_disk_kernelspec.get("name")
    ):
        meta["kernelspec"] = on_disk_kernelspec  # the same kernel; keep its committed display name
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        cell_meta = cell.get("metadata", {})
        for key in VOLATILE_CELL_METADATA:
            cell_meta.pop(key, None)
        hidden = cell_meta.get("jupyter")
        if isinstance(hidden, dict):
            hidden.pop("outputs_hidden", None)
            if not hidden:
                cell_meta.pop("jupyter")
    return nb


def save_committed_form(model, path, contents_manager, **kwargs):
    """Pre-save hook: a notebook under the project's notebooks/ is saved in committed form."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    os_path = _os_path(contents_manager, path)
    if os_path is None or not os_path.is_relative_to(PROJECT_NOTEBOOKS.resolve()):
        return
    strip_notebook(model["content"], _committed_kernelspec(os_path))
    contents_manager.log.info("Sparar %s utan utdata (projektets notebooks/)", path)


c = get_config()  # noqa: F821 -- provided by Jupyter when it loads this file
c.ContentsManager.pre_save_hook = save_committed_form
# Jupyter Server applies the configuration twice (server, then each extension) and warns that
# the hook "overrides" itself; it is the same function.
warnings.filterwarnings(
    "ignore",
    message=r"Overriding existing pre_save_hook \(save_committed_form\)",
    category=UserWarning,
)
