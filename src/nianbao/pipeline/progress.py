"""The ingest progress bar: counts and the current file (Rich; one final line when not a terminal)."""

from __future__ import annotations

from collections import Counter
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from nianbao.pipeline.ingest import Outcome

_WORDS = {"loaded": "新入库", "new_version": "新版本", "unchanged": "未变化", "unreadable": "无法读取"}


class IngestProgress:
    """Use as ``with IngestProgress(total) as bar: ingest(..., on_file=bar.advance)``."""

    def __init__(self, total: int, console: Console | None = None) -> None:
        self.counts: Counter[str] = Counter()
        self.progress = Progress(
            TextColumn("入库"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[counts]}"),
            TimeElapsedColumn(),
            TextColumn("{task.fields[file]}", style="dim"),
            console=console or Console(stderr=True),
            transient=False,
        )
        self.task = self.progress.add_task("ingest", total=total, counts="", file="")

    def __enter__(self) -> IngestProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.progress.update(self.task, file="")
        self.progress.stop()

    def advance(self, o: Outcome) -> None:
        self.counts[o.status] += 1
        counts = " ".join(f"{w}{self.counts[k]}" for k, w in _WORDS.items() if self.counts[k])
        self.progress.update(self.task, advance=1, counts=counts, file=_short(o.file))


def _short(name: str, width: int = 40) -> str:
    return name if len(name) <= width else "…" + name[-(width - 1) :]
