"""Deadlines that stop work: queries on the embedded store run in worker processes, killed at the deadline.

The runaway is a cartesian product under ORDER BY whose filter keeps nothing: it would
run for minutes, in little memory, holding its thread the whole time if run in-process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, QueryBoolean, QuerySolutions, Store

from kg.backends import EmbeddedBackend, row_limit
from kg.errors import BackendUnavailable, QueryError, QueryTimeout
from kg.workers import Job, WorkerPool

EX = "http://example.org/"
RUNAWAY = "SELECT ?a { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER(CONCAT(STR(?c), STR(?f)) = STR(?i)) } ORDER BY ?a ?d ?g"
LOOKUP = f"SELECT ?o {{ <{EX}7> <{EX}p> ?o }}"
TIMEOUT = 2.0
#: How long a lookup may take while a runaway runs: prompt, not "after the runaway".
PROMPT = 2.0


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("workers") / "store"
    store = Store(str(path))
    store.bulk_extend([Quad(NamedNode(f"{EX}{i}"), NamedNode(f"{EX}p"), Literal(str(i)), NamedNode(f"{EX}g")) for i in range(1000)])
    store.flush()
    del store
    return path


@pytest.fixture
def backend(store_path: Path) -> Iterator[EmbeddedBackend]:
    embedded = EmbeddedBackend(store_path, timeout=TIMEOUT, workers=2)
    embedded.start()
    yield embedded
    embedded.close()


def lookup(backend: EmbeddedBackend) -> str:
    results = backend.query(LOOKUP)
    assert isinstance(results, QuerySolutions)
    return str(next(iter(results))["o"].value)  # type: ignore[union-attr]


def test_a_runaway_is_stopped_at_the_deadline_and_its_worker_really_dies(backend: EmbeddedBackend) -> None:
    before = {worker.process.pid for worker in backend.pool._workers}
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="time limit"):
        backend.query(RUNAWAY)
    assert TIMEOUT <= time.monotonic() - started < TIMEOUT + 3
    after = {worker.process.pid for worker in backend.pool._workers}
    assert len(after) == 2 and after != before  # one worker was replaced
    killed = before - after
    assert killed and all(not _alive(pid) for pid in killed)  # its work really stopped
    assert lookup(backend) == "7"  # and the pool is whole again


def _alive(pid: int | None) -> bool:
    assert pid is not None
    try:
        with open(f"/proc/{pid}/status") as status:
            return "zombie" not in status.read()
    except FileNotFoundError:
        return False


def test_lookups_answer_promptly_while_a_runaway_runs(backend: EmbeddedBackend) -> None:
    outcome: list[BaseException] = []

    def run_away() -> None:
        try:
            backend.query(RUNAWAY)
        except QueryTimeout as exc:
            outcome.append(exc)

    runaway = threading.Thread(target=run_away)
    runaway.start()
    time.sleep(0.3)  # the runaway holds a worker now
    for _ in range(20):
        started = time.monotonic()
        assert lookup(backend) == "7"
        assert time.monotonic() - started < PROMPT
    runaway.join(TIMEOUT + 5)
    assert len(outcome) == 1
    assert lookup(backend) == "7"


def test_answers_are_cut_at_the_row_limit_and_the_cut_is_noted(backend: EmbeddedBackend) -> None:
    assert len(list(backend.query("SELECT ?s { ?s ?p ?o }"))) == 1000  # type: ignore[arg-type]
    with row_limit(50) as notes:
        results = backend.query("SELECT ?s { ?s ?p ?o }")
        assert isinstance(results, QuerySolutions)
        assert len(list(results)) == 50
    assert notes.truncated_at == 50
    with row_limit(50) as notes:
        triples = backend.query("CONSTRUCT WHERE { ?s ?p ?o }")
        assert len(list(triples)) == 50
    assert notes.truncated_at == 50
    with row_limit(50) as notes:
        assert len(list(backend.query("SELECT ?s { ?s ?p ?o } LIMIT 50"))) == 50  # type: ignore[arg-type]
    assert notes.truncated_at is None  # exactly the limit: nothing was left out


def test_every_kind_of_answer_comes_back_whole(backend: EmbeddedBackend) -> None:
    boolean = backend.query(f"ASK {{ <{EX}1> ?p ?o }}")
    assert isinstance(boolean, QueryBoolean) and bool(boolean)
    tricky = 'SELECT ?x { BIND("tab\\there \\"quoted\\" new\\nline" AS ?x) }'
    results = backend.query(tricky)
    assert isinstance(results, QuerySolutions)
    assert next(iter(results))["x"] == Literal('tab\there "quoted" new\nline')  # type: ignore[index]
    with pytest.raises(QueryError):
        backend.query("SELECT ?x { ")


def test_a_worker_that_dies_mid_query_is_replaced(store_path: Path) -> None:
    pool = WorkerPool(store_path, size=1, timeout=10)
    try:
        pool.start()
        victim = pool._workers[0].process
        killer = threading.Timer(0.5, victim.kill)
        killer.start()
        with pytest.raises(BackendUnavailable, match="replaced"):
            pool.run(Job(RUNAWAY))
        assert pool.run(Job(LOOKUP)).payload.count(b"\n") == 2  # header and one row
    finally:
        pool.close()


def test_a_missing_or_damaged_store_is_found_at_start(tmp_path: Path) -> None:
    with pytest.raises(BackendUnavailable, match="no store"):
        EmbeddedBackend(tmp_path / "nothing")
    broken = tmp_path / "store"
    broken.mkdir()
    (broken / "CURRENT").write_text("MANIFEST-000999\n")
    backend = EmbeddedBackend(broken)
    with pytest.raises(BackendUnavailable, match="cannot open"):
        backend.start()
    backend.close()


def test_a_query_that_needs_too_much_memory_ends_only_its_worker(store_path: Path) -> None:
    """A cartesian product under ORDER BY with nothing filtered out: it would take gigabytes."""
    pool = WorkerPool(store_path, size=1, timeout=60, memory=1536 * 2**20)
    try:
        started = time.monotonic()
        with pytest.raises(BackendUnavailable, match="out of memory"):
            pool.run(Job("SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g"))
        assert time.monotonic() - started < 60
        assert pool.run(Job(LOOKUP)).payload.count(b"\n") == 2  # a fresh worker answers
    finally:
        pool.close()


def test_open_queries_leave_a_worker_for_the_service_own(backend: EmbeddedBackend) -> None:
    """Two workers: clients' runaways may hold one; the service's lookups keep the other."""
    outcomes: list[str] = []

    def run_away() -> None:
        with row_limit(None, open_queries=True):
            try:
                backend.query(RUNAWAY)
            except QueryTimeout as exc:
                outcomes.append(str(exc))

    runaways = [threading.Thread(target=run_away) for _ in range(2)]
    for thread in runaways:
        thread.start()
    time.sleep(0.3)
    for _ in range(10):
        started = time.monotonic()
        assert lookup(backend) == "7"
        assert time.monotonic() - started < PROMPT
    for thread in runaways:
        thread.join(TIMEOUT + 5)
    assert len(outcomes) == 2  # one stopped at its time limit, the other waited for a worker as long
    assert any("stayed busy" in outcome for outcome in outcomes)
