"""What a render tells its user: the engine, progress per report, and a closing summary."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

RENDERED, CACHED, FAILED = "renderad", "från cache", "misslyckades"
PDF_PRINTED = "utskriven"

ENGINE_TEXT = {
    "fast": "fast (ipykernels kernel i en egen process per rapport, startad med fork)",
    "kernel": "kernel (papermill med en ny Jupyter-kernel per rapport)",
}


@dataclass
class Outcome:
    """How one report went. ``cell`` is the 1-based position of the failing cell in the
    executed notebook and ``source`` its first line."""

    department: str
    year: int
    status: str  # RENDERED, CACHED or FAILED
    seconds: float = 0.0
    cpu: float | None = None  # CPU seconds of the report's own process (fast engine)
    cell: int | None = None
    source: str = ""
    error: str = ""
    executed: str = ""  # the executed notebook kept for a failed report
    stop: str = ""  # a problem with the output folder: the whole run stops with this message


@dataclass
class Summary:
    engine: str = ""
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    pdfs: list[Outcome] = field(default_factory=list)  # one per report whose PDF was handled
    pdf_skipped: str = ""  # why no PDF was printed ("Chromium saknas", "--no-pdf")
    pdf_seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == FAILED]

    @property
    def pdf_failed(self) -> list[Outcome]:
        return [o for o in self.pdfs if o.status == FAILED]


def describe_failure(o: Outcome) -> str:
    where = f"{o.year} {o.department}"
    if o.cell is not None:
        where += f", cell {o.cell}"
        if o.source:
            where += f" ({o.source})"
    return f"{where}: {o.error}"


def reporter(
    total: int, cached: int, progress: bool | None, stream, desc: str = "Renderar", label: str = ""
) -> Callable:
    """A tqdm bar in a terminal, plain lines otherwise; call with an Outcome, then None.
    ``label`` starts each plain line's report name (``PDF `` for the PDF step)."""
    if progress is None:
        progress = hasattr(stream, "isatty") and stream.isatty()
    state = {"n": cached}
    if progress:
        from tqdm import tqdm

        class Bar(tqdm):
            monitor_interval = 0  # no monitor thread: this process forks children

        bar = Bar(total=total, initial=cached, unit="rapport", file=stream, desc=desc, delay=0)

        def update(outcome: Outcome | None) -> None:
            if outcome is None:
                bar.close()
                return
            bar.set_postfix_str(f"{outcome.year} {outcome.department}: {outcome.status}")
            bar.update(1)

        return update

    def line(outcome: Outcome | None) -> None:
        if outcome is None:
            return
        state["n"] += 1
        extra = f" — {describe_failure(outcome)}" if outcome.status == FAILED else ""
        cpu = f", CPU {outcome.cpu:.1f} s" if outcome.cpu is not None else ""
        print(
            f"[{state['n']}/{total}] {label}{outcome.year} {outcome.department}: {outcome.status}"
            f" ({outcome.seconds:.1f} s{cpu}){extra}",
            file=stream,
            flush=True,
        )

    return line


def print_summary(summary: Summary, stream) -> None:
    print("\nSammanfattning", file=stream)
    print(f"  {'renderade':<12}{summary.count(RENDERED):>5}", file=stream)
    print(f"  {'från cache':<12}{summary.count(CACHED):>5}", file=stream)
    print(f"  {'misslyckade':<12}{summary.count(FAILED):>5}", file=stream)
    print(f"  {'sekunder':<12}{summary.seconds:>5.1f}", file=stream)
    if summary.engine:
        print(f"  {'motor':<12}{summary.engine:>5}", file=stream)
    if summary.pdf_skipped:
        print(f"  {'PDF':<12}hoppades över ({summary.pdf_skipped})", file=stream)
    elif summary.pdfs:
        counts = ", ".join(
            f"{sum(o.status == status for o in summary.pdfs)} {word}"
            for status, word in (
                (PDF_PRINTED, "utskrivna"),
                (CACHED, "från cache"),
                (FAILED, "misslyckade"),
            )
        )
        print(f"  {'PDF':<12}{counts} ({summary.pdf_seconds:.1f} s)", file=stream)
    for o in summary.failed:
        print(f"  MISSLYCKADES {describe_failure(o)}", file=stream)
        if o.executed:
            print(f"    körd notebook med felet: {o.executed}", file=stream)
    for o in summary.pdf_failed:
        print(f"  MISSLYCKADES {describe_failure(o)}", file=stream)
    print(file=stream, flush=True)
