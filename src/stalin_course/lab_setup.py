"""JupyterLab settings for this environment: open on the start page, autosave, no news pop-up.

``install()`` merges them into the environment's own settings files (``<prefix>/etc/jupyter``
and ``<prefix>/share/jupyter/lab/settings/overrides.json``), keeping any settings already
there. Binder's ``postBuild`` and ``./run.sh setup`` both run it
(``python -m stalin_course lab-setup``).

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as prefix:
...     written = install(prefix)
...     overrides = json.loads(written[1].read_text())
>>> overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"]
'false'
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

START_PAGE = "notebooks/00_start_here.ipynb"

# Lab settings (plugin id -> values): autosave every 30 seconds, because a Binder session is
# temporary and "download my work" zips the notebooks as last saved; and no "get notified
# about news?" pop-up over the first lesson (nor any request to the news feed).
LAB_SETTINGS: dict[str, dict[str, object]] = {
    "@jupyterlab/docmanager-extension:plugin": {"autosave": True, "autosaveInterval": 30},
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def _merge(path: Path, changes: dict[str, dict[str, object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    for section, values in changes.items():
        data.setdefault(section, {}).update(values)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path


def install(prefix: str | Path = sys.prefix) -> tuple[Path, Path]:
    """Write the course's server and Lab settings under ``prefix``; return both files.

    The start page is set for every app that can start the server (only jpserver_extensions
    are read from ``jupyter_server_config.d``, hence the merge into the main file)."""
    prefix = Path(prefix)
    start = {"default_url": f"/lab/tree/{START_PAGE}"}
    server = _merge(
        prefix / "etc/jupyter/jupyter_server_config.json",
        {"ServerApp": start, "LabApp": start, "JupyterNotebookApp": start},
    )
    lab = _merge(prefix / "share/jupyter/lab/settings/overrides.json", LAB_SETTINGS)
    return server, lab
