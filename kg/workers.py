"""Queries on the embedded store, in worker processes that can be stopped at a deadline.

pyoxigraph cannot cancel a query from Python, and a runaway (a cartesian product under
ORDER BY) holds its thread for as long as it runs. So queries run in a small pool of
persistent worker processes, each holding the store open read-only and running one
query at a time. A worker sends back the whole answer, serialized (SPARQL TSV results,
N-Triples, or a boolean) and cut at the row limit, in one message: the caller gets all
of it or nothing, never half an answer. A worker past the deadline is killed and
replaced, so its work really stops and the pool is whole again.

Processes are started with "spawn", never forked from a threaded server.
"""

from __future__ import annotations

import multiprocessing
import queue
import resource
import threading
import time
import weakref
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    parse,
    parse_query_results,
)

from .errors import BackendUnavailable, QueryError, QueryTimeout
from .queries import Bindings

#: How long a new worker may take to open the store.
START_SECONDS = 30.0

#: How RocksDB's errors start when the store itself is damaged (pyoxigraph raises them as RuntimeError).
STORE_DAMAGE = ("Corruption", "IO error")

Term = NamedNode | BlankNode | Literal | Triple


@dataclass(frozen=True)
class Job:
    """One query, as the worker runs it."""

    text: str
    base_iri: str | None = None
    union: bool = True
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    bindings: Bindings | None = None
    max_rows: int | None = None


@dataclass(frozen=True)
class Answer:
    """A query's whole answer: its kind ("solutions", "boolean", "graph"), serialized, and whether it was cut."""

    kind: str
    payload: bytes
    truncated: bool = False

    def results(self) -> QuerySolutions | QueryBoolean | list[Triple]:
        """The answer as pyoxigraph results, read back from the serialization."""
        if self.kind == "boolean":
            json = b'{"head": {}, "boolean": %s}' % (b"true" if self.payload == b"true" else b"false")
            boolean = parse_query_results(json, format=QueryResultsFormat.JSON)
            assert isinstance(boolean, QueryBoolean)
            return boolean
        if self.kind == "graph":
            return [quad.triple for quad in parse(self.payload, format=RdfFormat.N_TRIPLES)]
        solutions = parse_query_results(self.payload, format=QueryResultsFormat.TSV)
        assert isinstance(solutions, QuerySolutions)
        return solutions


# --- serialization, shared with the remote backend --------------------------------------


def tsv_term(term: Term | None) -> str:
    """A term as SPARQL TSV writes it (N-Triples syntax, escapes included; triple terms as <<( )>>)."""
    if term is None:
        return ""
    if isinstance(term, Triple):
        return f"<<( {tsv_term(term.subject)} {tsv_term(term.predicate)} {tsv_term(term.object)} )>>"
    return str(term)


def serialize_results(results: QuerySolutions | QueryBoolean | QueryTriples | list[Triple], max_rows: int | None) -> Answer:
    """Results serialized whole, at most ``max_rows`` rows or triples (``truncated`` says if more were left)."""
    if isinstance(results, QueryBoolean):
        return Answer("boolean", b"true" if bool(results) else b"false")
    limit = max_rows if max_rows is not None else -1
    truncated = False
    if isinstance(results, QuerySolutions):
        variables = [v.value for v in results.variables]
        lines = ["\t".join(f"?{name}" for name in variables)]
        for count, solution in enumerate(results):
            if count == limit:
                truncated = True
                break
            lines.append("\t".join(tsv_term(solution[name]) for name in variables))
        return Answer("solutions", ("\n".join(lines) + "\n").encode("utf-8"), truncated)
    triples: list[str] = []
    for count, triple in enumerate(results):
        if count == limit:
            truncated = True
            break
        triples.append(f"{tsv_term(triple.subject)} {tsv_term(triple.predicate)} {tsv_term(triple.object)} .\n")
    return Answer("graph", "".join(triples).encode("utf-8"), truncated)


# --- the worker's side ----------------------------------------------------------------------


def run_job(store: Store, job: Job) -> Answer | tuple[str, str]:
    """Run one job; errors come back as ("query" | "store", message), never raised across the pipe."""
    try:
        results = store.query(
            job.text,
            base_iri=job.base_iri,
            use_default_graph_as_union=job.union,
            default_graph=[NamedNode(iri) for iri in job.default_graphs] or None,
            named_graphs=[NamedNode(iri) for iri in job.named_graphs] or None,
            substitutions=job.bindings or None,
        )
        return serialize_results(results, job.max_rows)
    except SyntaxError as exc:
        return ("query", str(exc))
    except RuntimeError as exc:
        if str(exc).startswith(STORE_DAMAGE):
            return ("store", f"the store failed: {exc}")
        return ("query", f"cannot run the query: {exc}")
    except OSError as exc:
        return ("store", f"the store failed: {exc}")


def serve(conn: Connection, store_path: str, memory: int | None = None) -> None:
    """A worker's life: open the store read-only, say so, then answer jobs until the pipe closes.

    ``memory`` bounds the process's address space (bytes): a query that needs more ends
    its worker (pyoxigraph aborts on a failed allocation), not the machine.
    """
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        store = Store.read_only(store_path)
    except (OSError, RuntimeError, ValueError) as exc:  # RocksDB reports damage as RuntimeError
        conn.send(("store", f"cannot open the store at {store_path}: {exc}"))
        return
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(run_job(store, job))


# --- the server's side ---------------------------------------------------------------------


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


def _stop_all(workers: list[_Worker]) -> None:
    for worker in list(workers):
        worker.stop()
    workers.clear()


class WorkerPool:
    """``size`` worker processes over the store at ``store_path``; ``run`` gives each job ``timeout`` seconds.

    Each worker may use ``memory`` bytes of address space (None: no bound).

    The time counts from the call: waiting for a free worker, running, and sending the
    answer back. Workers start on the first job (or ``start()``), and are stopped by
    ``close()`` or when the pool is collected.
    """

    def __init__(self, store_path: Path, size: int = 3, timeout: float = 30.0, memory: int | None = None) -> None:
        if size < 1:
            raise ValueError("a pool needs at least one worker")
        self.store_path = str(store_path)
        self.memory = memory
        self.size = size
        self.timeout = float(timeout)
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: list[_Worker] = []
        self._missing = 0  # workers that died and could not be replaced yet
        #: Open queries (from the public endpoint) may hold all workers but one: the last one
        #: stays free for the service's own queries (entity documents, stored queries, lookups).
        self._open_slots = threading.BoundedSemaphore(max(1, size - 1))
        self._lock = threading.Lock()
        self._started = False
        self._finalizer = weakref.finalize(self, _stop_all, self._workers)

    # --- life ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start the workers now (each opens the store); ``BackendUnavailable`` if the store cannot be opened."""
        with self._lock:
            if self._started:
                return
            for _ in range(self.size):
                self._idle.put(self._spawn())
            self._started = True

    def close(self) -> None:
        with self._lock:
            _stop_all(self._workers)
            self._started = False
            self._idle = queue.Queue()

    def _spawn(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(target=serve, args=(theirs, self.store_path, self.memory), daemon=True, name="kg-query-worker")
        process.start()
        theirs.close()
        worker = _Worker(process, ours)
        if not ours.poll(START_SECONDS):
            worker.stop()
            raise BackendUnavailable(f"a query worker did not open the store at {self.store_path} within {START_SECONDS:g} s")
        try:
            hello = ours.recv()
        except (EOFError, OSError) as exc:
            worker.stop()
            raise BackendUnavailable(f"a query worker died opening the store at {self.store_path}") from exc
        if hello != "ready":
            worker.stop()
            raise BackendUnavailable(str(hello[1]) if isinstance(hello, tuple) else str(hello))
        self._workers.append(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker (stopping whatever it runs) and put a fresh one in its place."""
        worker.stop()
        with self._lock:
            if worker in self._workers:
                self._workers.remove(worker)
            try:
                self._idle.put(self._spawn())
            except BackendUnavailable:
                self._missing += 1

    def _refill(self) -> None:
        with self._lock:
            while self._missing:
                try:
                    self._idle.put(self._spawn())
                except BackendUnavailable:
                    return
                self._missing -= 1

    # --- work ---------------------------------------------------------------------------

    def run(self, job: Job, timeout: float | None = None, open_query: bool = False) -> Answer:
        """The job's answer, or ``QueryTimeout`` at the deadline (the worker then killed), ``QueryError``, ``BackendUnavailable``.

        An ``open_query`` (one written by a client) waits for one of the workers open
        queries may use; the time waited counts against its deadline.
        """
        self.start()
        if self._missing:
            self._refill()
        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        if not open_query:
            return self._run(job, limit, deadline)
        if not self._open_slots.acquire(timeout=limit):
            raise QueryTimeout(f"the workers for open queries stayed busy past the time limit of {limit:g} s; try again later")
        try:
            return self._run(job, limit, deadline)
        finally:
            self._open_slots.release()

    def _run(self, job: Job, limit: float, deadline: float) -> Answer:
        try:
            worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise QueryTimeout(f"every query worker stayed busy past the time limit of {limit:g} s; try again later") from None
        try:
            worker.conn.send(job)
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace(worker)
                raise QueryTimeout(f"the query ran past its time limit of {limit:g} s and was stopped")
            outcome: Any = worker.conn.recv()
        except (EOFError, OSError) as exc:
            self._replace(worker)
            raise BackendUnavailable("the query ended its worker process (out of memory, or killed); it was replaced") from exc
        self._idle.put(worker)
        if isinstance(outcome, tuple):
            kind, message = outcome
            if kind == "query":
                raise QueryError(message)
            raise BackendUnavailable(message)
        assert isinstance(outcome, Answer)
        return outcome
