"""Requests accepted before the chat platform was told they arrived (see commands.router:
accept hooks), so a process killed between that moment and doing the work loses nothing.

Each process appends to its own journal file: an "accepted" line when a request comes in, a
"done" line when its work is committed. Appending to an open file is cheap enough for the
acknowledgement path (no file created or renamed per request, no fsync): what is written is
in the kernel when the process is killed, so it survives `kill -9` (not a power cut, like
SQLite's synchronous=NORMAL). When a process has nothing outstanding its journal is emptied.
The journals of processes that are gone are read back by `orphans` after a restart.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

PREFIX = "journal"


@dataclass(frozen=True)
class Orphan:
    """A journal of a process that is gone, and what it accepted but never finished."""

    path: Path
    entries: dict[str, dict[str, Any]]  # key -> entry, in the order they were accepted


class IntakeJournal:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / f"{PREFIX}-{socket.gethostname()}-{os.getpid()}.jsonl"
        self._lock = threading.Lock()
        self._outstanding: dict[str, float] = {}  # key -> when it was accepted (time.monotonic)
        self._file: Any = None

    def accepted(self, key: str, entry: dict[str, Any]) -> None:
        self._append({"accepted": key, "entry": entry}, outstanding=key)

    def done(self, key: str) -> None:
        with self._lock:
            if key not in self._outstanding:
                return
        self._append({"done": key}, finished=key)

    def _append(self, record: dict[str, Any], *, outstanding: str | None = None, finished: str | None = None) -> None:
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self._lock:
            if self._file is None:
                self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
                descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)  # report texts: owner only
                self._file = os.fdopen(descriptor, "a", encoding="utf-8")
            self._file.write(line)
            self._file.flush()  # into the kernel: kept if the process is killed
            if outstanding:
                self._outstanding[outstanding] = time.monotonic()
            if finished:
                self._outstanding.pop(finished, None)
                if not self._outstanding:
                    self._file.truncate(0)  # nothing outstanding: start the journal afresh

    def outstanding(self, older_than: float = 0.0) -> list[str]:
        """Keys accepted by this process at least `older_than` seconds ago and not done yet."""
        cutoff = time.monotonic() - older_than
        with self._lock:
            return [key for key, accepted in self._outstanding.items() if accepted <= cutoff]

    def orphans(self) -> Iterator[Orphan]:
        """Journals of processes on this machine that no longer run, with their unfinished entries."""
        if not self.directory.is_dir():
            return
        host = socket.gethostname()
        for path in sorted(self.directory.glob(f"{PREFIX}-{host}-*.jsonl")):
            pid = path.stem.rsplit("-", 1)[-1]
            if path == self.path or not pid.isdigit() or _alive(int(pid)):
                continue
            yield Orphan(path, _unfinished(path))

    @staticmethod
    def forget(orphan: Orphan) -> None:
        orphan.path.unlink(missing_ok=True)


def _unfinished(path: Path) -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue  # a line cut off when the process was killed mid-write: its request was not acknowledged
        if "accepted" in record:
            entries[record["accepted"]] = record["entry"]
        elif "done" in record:
            entries.pop(record["done"], None)
    return entries


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@lru_cache(maxsize=8)
def journal(directory: Path) -> IntakeJournal:
    """The journal of this process for `directory` (one per process, shared by its threads)."""
    return IntakeJournal(directory)
