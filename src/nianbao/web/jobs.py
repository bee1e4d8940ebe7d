"""Upload jobs: the files of one upload, read one after another in the background, so that a page
(or an API client) can poll each file's progress at ``/api/uploads/{job}``.

Jobs live in the server's memory, at most :data:`KEEP_SECONDS` and :data:`MOST` of them; a
check-only file keeps what was read of it (the ``Prepared`` rows) and its bytes for as long, so
that it can be stored afterwards, its original kept, without being read again."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from nianbao.store.rows import Prepared

KEEP_SECONDS = 3600
MOST = 20  # each holds at most one upload's bytes (NIANBAO_MAX_UPLOAD_MB)
Mode = Literal["check", "store"]
MODES: dict[str, str] = {"check": "仅核对（不入库）", "store": "核对并入库"}
# what became of a file, as the summary counts it
OUTCOMES = {
    "stored": "入库",
    "unchanged": "未变化",
    "checked": "仅核对",
    "pending": "新版本待确认",
    "unreadable": "无法读取",
}


@dataclass
class Item:
    """One file of an upload: ``waiting`` → ``reading`` → ``done`` with its ``result`` card."""

    file: str
    state: Literal["waiting", "reading", "done"] = "waiting"
    result: dict[str, Any] = field(default_factory=dict)
    prepared: Prepared | None = None  # a file only checked: what was read of it, and its bytes, until stored
    data: bytes | None = None
    cross: list[dict[str, Any]] = field(default_factory=list)  # its cross-report findings against the store

    @property
    def outcome(self) -> str:
        return self.result.get("outcome", "") if self.state == "done" else ""


@dataclass
class Job:
    id: str
    mode: Mode
    items: list[Item]
    who: str = ""  # the user who uploaded (for the audit log)
    scope: str | None = None  # and the region the user may store reports of (None: any)
    created: float = field(default_factory=time.monotonic)
    task: asyncio.Task | None = None

    @property
    def done(self) -> bool:
        return all(i.state == "done" for i in self.items)

    def summary(self) -> dict[str, Any]:
        """``{total, done, stored, unchanged, checked, pending, unreadable, reasons: [{file, error}]}``."""
        counts = Counter(i.outcome for i in self.items)
        return {
            "total": len(self.items),
            "done": sum(i.state == "done" for i in self.items),
            **{k: counts[k] for k in OUTCOMES},
            "reasons": [{"file": i.file, "error": i.result["error"]} for i in self.items if i.outcome == "unreadable"],
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "job": self.id,
            "mode": self.mode,
            "done": self.done,
            "summary": self.summary(),
            "files": [{"n": n, "file": i.file, "state": i.state} for n, i in enumerate(self.items)],
            "results": [i.result for i in self.items if i.state == "done"],
        }


class Jobs:
    """The server's upload jobs, by id; the oldest are forgotten past :data:`MOST` or :data:`KEEP_SECONDS`."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}

    def add(self, mode: Mode, files: list[str], who: str = "", scope: str | None = None) -> Job:
        now = time.monotonic()
        for old in [j for j in self._jobs.values() if now - j.created > KEEP_SECONDS]:
            del self._jobs[old.id]
        while len(self._jobs) >= MOST:
            del self._jobs[next(iter(self._jobs))]
        job = Job(secrets.token_urlsafe(12), mode, [Item(f) for f in files], who, scope)
        self._jobs[job.id] = job
        return job

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def item(self, job_id: str, n: int) -> Item | None:
        job = self.get(job_id)
        return job.items[n] if job is not None and 0 <= n < len(job.items) else None
