"""A short run of the load test (``bench/load.py``) against ``kg serve`` on 127.0.0.1: no 5xx, no errors.

Mixed honest traffic alone, then beside two hostile clients sending runaway queries,
SERVICE calls and absurd OFFSETs. The figures are the benchmark's business; here only
the outcome counts: every honest request answered, none with a 5xx, and the hostile
ones refused (400, 403) or stopped at the time limit (503).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from types import ModuleType

import pytest

from kg.release import Release

from .conftest import ROOT


@pytest.fixture(scope="module")
def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_load"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def port(load: ModuleType, release: Release) -> Iterator[int]:
    free = load.free_port()
    server = load.start_server(
        ["-m", "kg", "serve", "--out", str(release.path.parent), "--timeout", "2", "--workers", "4", "--per-client", "64", "--port", str(free)], free
    )
    yield free
    load.stop_server(server)


def test_mixed_traffic_gets_no_5xx(load: ModuleType, port: int) -> None:
    honest, _bad, _elapsed = load.run_load(port, total=240, concurrency=4)
    assert len(honest.latencies) == 240
    assert honest.failed == 0, (honest.errors[:3], honest.statuses)
    assert set(honest.statuses) <= {200, 303}, honest.statuses


def test_hostile_clients_do_not_break_honest_traffic(load: ModuleType, port: int) -> None:
    honest, bad, _elapsed = load.run_load(port, total=160, concurrency=4, hostile=2)
    assert honest.failed == 0, (honest.errors[:3], honest.statuses)
    assert set(honest.statuses) <= {200, 303}, honest.statuses
    assert bad.statuses and set(bad.statuses) <= {400, 403, 503}
    assert not bad.errors
