"""One measured build, in its own process: seconds per phase and peak memory, as JSON on stdout.

The phases are read from the build's own progress messages, so the build runs
exactly as ``kg build`` runs it. Peak memory is the process's maximum resident
set; the validation workers' largest is reported beside it.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from kg.release import build
from kg.settings import Paths

#: (phase, the progress message that starts it)
PHASES = (
    ("parse", "parsing"),
    ("enrich", "read "),
    ("validate", "validating"),
    ("sort+id", "validation:"),
    ("dumps", "writing release"),
    ("store+void", "  loading the embedded store"),
)


def measure(data: Path, out: Path, ontology: Path) -> dict[str, object]:
    marks: list[tuple[str, float]] = []
    started = time.perf_counter()

    def progress(message: str) -> None:
        text = message.split("] ", 1)[-1] if message.startswith("[") else message
        for phase, start in PHASES:
            if text.startswith(start) and phase not in dict(marks):
                marks.append((phase, time.perf_counter() - started))

    release = build(Paths(data=data, ontology=ontology, out=out), progress=progress)
    total = time.perf_counter() - started
    ends = [t for _, t in marks[1:]] + [total]
    phases = {phase: round(end - begin, 2) for (phase, begin), end in zip(marks, ends, strict=True)}
    return {
        "release": release.id,
        "triples": release.triples,
        "quads": release.quads,
        "seconds": round(total, 2),
        "phases": phases,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
    }


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))))
