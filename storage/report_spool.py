"""Reports waiting for the database: one JSON file each, so none is lost while it is down.

Each file is written to a temporary name, flushed to disk and renamed, so a process killed
mid-write leaves no half entry. The file name is the filing id; the register refuses a
second report with the same filing id, so replaying twice (two processes, or a crash
between filing and deleting the file) still files each report once.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

SUFFIX = ".json"


def spool(directory: Path, filing_id: str, entry: dict[str, Any]) -> None:
    data = json.dumps(entry, ensure_ascii=False)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = directory / f"{filing_id}{SUFFIX}"
    temporary = directory / f".{filing_id}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # report texts: owner only
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)


def waiting(directory: Path) -> list[Path]:
    """Spooled entries, oldest first."""
    if not directory.is_dir():
        return []
    return sorted(directory.glob(f"*{SUFFIX}"), key=lambda path: path.stat().st_mtime_ns)


def read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def remove(path: Path) -> None:
    path.unlink(missing_ok=True)


def discard(directory: Path, filing_id: str) -> None:
    """Remove the entry for this filing id, if there is one."""
    remove(directory / f"{filing_id}{SUFFIX}")
