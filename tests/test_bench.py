"""The benchmark harness runs end to end at a tiny scale: build, three servers, results, plot."""

from __future__ import annotations

import json
from pathlib import Path

from bench import run


def test_the_harness_runs_end_to_end(tmp_path: Path) -> None:
    results = tmp_path / "results"
    status = run.main(["--scales", "1000", "--seconds", "0.3", "--connections", "2",
                       "--work", str(tmp_path / "work"), "--results", str(results)])
    assert status == 0
    raw = json.loads((results / "results.json").read_text())
    [scale] = raw["scales"]
    assert scale["build"]["triples"] > 1000
    assert set(scale["build"]["phases"]) == {"parse", "enrich", "validate", "sort+id", "dumps", "store+void"}
    measured = {(row["server"], row["scenario"]) for row in scale["rows"] if row["available"]}
    for server in ("kg (embedded)", "oxigraph server", "rdflib-endpoint"):
        assert (server, "lookup, distinct IRIs") in measured
        assert (server, "aggregate") in measured
    assert all(row["errors"] == 0 for row in scale["rows"] if row["available"])
    text = (results / "RESULTS.md").read_text()
    assert "| lookup, same IRI | oxigraph server |" in text
    assert "ratio against the Oxigraph server" in text
    assert (results / "cost-by-size.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
