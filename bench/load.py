"""A bounded load test of the HTTP server on 127.0.0.1: mixed honest traffic, then the same with hostile queries.

    python bench/load.py [--out releases] [--requests 3000] [--concurrency 8]

Starts ``kg serve`` (worker processes, a short time limit) on a free port and sends a
fixed number of requests from keep-alive client threads: entity documents (Turtle,
JSON-LD, HTML), SPARQL point lookups, stored queries, reconciliation, label lookups and autocomplete. It prints throughput and
p50/p95/p99 latency, then runs the same honest traffic (4 workers: 3 for clients' queries, 1 kept for the
service's own) while two hostile clients send
runaway queries (cartesian products under ORDER BY, each stopped at the time limit),
SERVICE calls and absurd OFFSETs, and prints how much the honest traffic's p95 grows.

It also measures what the worker processes cost a simple lookup: lookups per second
through the server as it is, and through the same app whose backend queries the store
in-process (no deadline possible), in the same run.

Exit status 1 if any honest request failed or got a 5xx.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"

LOOKUP = "SELECT ?p ?o { <https://w3id.org/lwg/id/place/astana> ?p ?o } LIMIT 20"
RUNAWAY = "SELECT ?a { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER(CONCAT(STR(?c), STR(?f)) = STR(?i)) } ORDER BY ?a ?d ?g"
JSON = "application/sparql-results+json"

#: Honest requests: (path, Accept), drawn at random.
HONEST = [
    ("/id/person/gulzhan-irzhanova.ttl", "text/turtle"),
    ("/id/congress/wlic-2025.jsonld", "application/ld+json"),
    ("/id/place/astana.html", "text/html"),
    ("/id/person/gulzhan-irzhanova", "text/turtle"),  # the 303
    ("/sparql?" + urlencode({"query": LOOKUP}), JSON),
    ("/sparql?" + urlencode({"query": LOOKUP}), JSON),
    ("/queries/organising-committee.json", JSON),
    ("/queries/find-by-name.json?text=irzhanova", JSON),
    ("/health", "application/json"),
    ("/reconcile?" + urlencode({"queries": '{"q0": {"query": "Irzhanova"}, "q1": {"query": "Dulaty University", "type": "Organisation"}}'}), "application/json"),
    ("/label/" + "Astana", "application/json"),
    ("/autocomplete?q=irzh", "application/json"),
]
HOSTILE = [
    ("/sparql?" + urlencode({"query": RUNAWAY}), JSON),
    ("/sparql?" + urlencode({"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}), JSON),
    ("/sparql?" + urlencode({"query": "SELECT * { ?s ?p ?o } OFFSET 999999999"}), JSON),
]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int, seconds: float) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append(seconds)

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")

    @property
    def failed(self) -> int:
        return len(self.errors) + sum(n for status, n in self.statuses.items() if status >= 500)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server on port {port} did not start")


def client_loop(port: int, requests: list[tuple[str, str]], tally: Tally, stop: threading.Event | None = None) -> None:
    """Send ``requests`` in order on one keep-alive connection (until ``stop``, if given, cycling)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    index = 0
    while index < len(requests) or (stop is not None and not stop.is_set()):
        if stop is not None and stop.is_set():
            break
        path, accept = requests[index % len(requests)]
        index += 1
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Accept": accept})
            response = connection.getresponse()
            response.read()
            tally.add(response.status, time.perf_counter() - started)
        except (OSError, http.client.HTTPException) as exc:
            with tally.lock:
                tally.errors.append(f"{path}: {exc!r}")
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=60)
        if stop is None and index >= len(requests):
            break


def run_load(port: int, total: int, concurrency: int, hostile: int = 0, seed: int = 1) -> tuple[Tally, Tally, float]:
    """Honest traffic of ``total`` requests over ``concurrency`` clients, with ``hostile`` clients alongside."""
    chooser = random.Random(seed)
    honest, bad = Tally(), Tally()
    shares = [[chooser.choice(HONEST) for _ in range(total // concurrency)] for _ in range(concurrency)]
    stop = threading.Event()
    attackers = [threading.Thread(target=client_loop, args=(port, HOSTILE, bad, stop)) for _ in range(hostile)]
    for attacker in attackers:
        attacker.start()
    if hostile:
        time.sleep(0.5)  # the runaways hold their workers before honest traffic starts
    started = time.perf_counter()
    threads = [threading.Thread(target=client_loop, args=(port, share, honest)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    stop.set()
    for attacker in attackers:
        attacker.join()
    return honest, bad, elapsed


def report(title: str, tally: Tally, elapsed: float) -> None:
    done = len(tally.latencies)
    print(
        f"{title}: {done} requests in {elapsed:.1f} s = {done / elapsed:,.0f}/s; "
        f"p50 {tally.percentile(0.5) * 1000:.1f} ms, p95 {tally.percentile(0.95) * 1000:.1f} ms, "
        f"p99 {tally.percentile(0.99) * 1000:.1f} ms; statuses {dict(sorted(tally.statuses.items()))}; errors {len(tally.errors)}"
    )


def lookups_per_second(port: int, seconds: float, concurrency: int) -> float:
    tally = Tally()
    stop = threading.Event()
    request = [("/sparql?" + urlencode({"query": LOOKUP}), JSON)]
    threads = [threading.Thread(target=client_loop, args=(port, request, tally, stop)) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    assert not tally.failed, tally.errors[:3] or tally.statuses
    return len(tally.latencies) / (time.perf_counter() - started)


def start_server(args: list[str], port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_for(port)
    return process


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()


def serve_in_process(out: Path, port: int) -> None:
    """The app over a backend that queries the store in the request's thread (the reference without workers)."""
    import uvicorn
    from pyoxigraph import Store

    from kg.backends import Dataset, Results, guard
    from kg.queries import Bindings
    from kg.release import CURRENT, STORE_DIR
    from kg.service import ServerConfig, Service
    from kg.web.app import create_app

    EVERYTHING = Dataset()

    class InProcess:
        name = "in-process"

        def __init__(self, path: Path) -> None:
            self.store = Store.read_only(str(path))

        def query(self, text: str, dataset: Dataset = EVERYTHING, bindings: Bindings | None = None, base_iri: str | None = None) -> Results:
            shape = guard(text, dataset)
            return self.store.query(text, base_iri=base_iri, use_default_graph_as_union=not shape.has_dataset, substitutions=bindings or None)

        def triple_count(self) -> int:
            return 0

        def close(self) -> None:
            pass

    config = ServerConfig(releases=out, port=port, per_client=1000)
    service = Service.open(config)
    service.backend.close()
    service.backend = InProcess((out / CURRENT).resolve() / STORE_DIR)
    uvicorn.run(create_app(service), host=HOST, port=port, log_level="warning")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "releases", help="folder of releases (built first if empty)")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=2.0, help="the server's query time limit (s)")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each lookup-rate run")
    parser.add_argument("--serve-in-process", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    out = args.out.resolve()
    if args.serve_in_process:
        serve_in_process(out, args.serve_in_process)
        return 0
    if not (out / "current").exists():
        subprocess.run([sys.executable, "-m", "kg", "build", "--out", str(out)], cwd=ROOT, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})

    port = free_port()
    # All clients here are 127.0.0.1: one client for the per-client limit, so it is raised.
    serve = ["-m", "kg", "serve", "--out", str(out), "--timeout", str(args.timeout), "--workers", "4", "--per-client", "64", "--port", str(port)]
    server = start_server(serve, port)
    failed = 0
    try:
        client_loop(port, HONEST * 3, Tally())  # warm up
        honest, _bad, elapsed = run_load(port, args.requests, args.concurrency)
        report("honest traffic", honest, elapsed)
        failed += honest.failed
        under_attack, bad, elapsed_bad = run_load(port, args.requests, args.concurrency, hostile=2)
        report("honest traffic beside 2 hostile clients", under_attack, elapsed_bad)
        report("  the hostile requests", bad, elapsed_bad)
        failed += under_attack.failed
        base, attacked = honest.percentile(0.95), under_attack.percentile(0.95)
        print(f"honest p95: {base * 1000:.1f} ms alone, {attacked * 1000:.1f} ms beside hostile clients ({attacked / base:.2f}x)")
        with_workers = lookups_per_second(port, args.seconds, args.concurrency)
    finally:
        stop_server(server)

    port = free_port()
    reference = start_server([str(Path(__file__).resolve()), "--out", str(out), "--serve-in-process", str(port)], port)
    try:
        client_loop(port, HONEST * 3, Tally())
        in_process = lookups_per_second(port, args.seconds, args.concurrency)
    finally:
        stop_server(reference)
    print(
        f"SPARQL point lookups over HTTP, {args.concurrency} clients: {with_workers:,.0f}/s through worker processes, "
        f"{in_process:,.0f}/s querying in-process: the worker hop costs {(1 - with_workers / in_process) * 100:.0f}% "
        f"({1000 / with_workers * args.concurrency - 1000 / in_process * args.concurrency:+.2f} ms per lookup)"
    )
    if failed:
        print(f"FAILED: {failed} honest requests failed or got a 5xx", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
