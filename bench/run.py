"""Build and serve synthetic congresses at several scales; measure this server against the Oxigraph
server and rdflib-endpoint with the same data, the same requests and the same load client.

    python -m bench.run --scales 10000,100000,1000000 [--seconds 5] [--virtuoso-scale 1000000]

For each scale: ``kg synth`` data (cached under bench/work/), a measured ``kg build``
(seconds per phase, peak memory), then each server in turn (``kg serve`` on the
embedded store, ``oxigraph serve-read-only`` loaded with the same release, rdflib-endpoint
on the release's N-Triples dump, and optionally ``kg serve --endpoint`` over Virtuoso)
under the same scenarios. Writes bench/results/RESULTS.md, results.json and
cost-by-size.png, and prints ratios against the Oxigraph server of the same run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pyoxigraph import Store

from kg import synth
from kg.release import CURRENT, STORE_DIR, open_release

from . import client
from .client import Request

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SPARQL_JSON = "application/sparql-results+json"
PREFIXES = (
    "PREFIX lwg: <https://w3id.org/lwg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
)
#: The targets of issue 7, as (scenario, measure, bound, kind): "ratio-min" against the Oxigraph server's
#: throughput, "ratio-max" against its latency, "max" an absolute bound.
TARGETS = (
    ("lookup, same IRI", "rps", 0.5, "ratio-min"),
    ("lookup, distinct IRIs", "rps", 0.35, "ratio-min"),
    ("join, language-filtered", "p50_ms", 1.2, "ratio-max"),
    ("aggregate", "p50_ms", 1.2, "ratio-max"),
)


@dataclass
class Scenario:
    name: str
    requests: list[Request]
    headers: dict[str, str]
    connections: int


@dataclass
class Row:
    scenario: str
    server: str
    available: bool
    note: str = ""
    rps: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    connections: int = 0


@dataclass
class ScaleResult:
    scale: int
    build: dict[str, object]
    rows: list[Row] = field(default_factory=list)
    server_mb: dict[str, dict[str, int]] = field(default_factory=dict)
    loads: dict[str, float] = field(default_factory=dict)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def memory_mb(pid: int) -> dict[str, int]:
    """Resident and peak resident memory of a process (and its children), from /proc."""
    found = {"rss_mb": 0, "peak_mb": 0}
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                found["rss_mb"] += int(line.split()[1]) // 1024
            elif line.startswith("VmHWM:"):
                found["peak_mb"] += int(line.split()[1]) // 1024
    return found


class Process:
    """A server started as a child process, stopped at the end."""

    def __init__(self, name: str, command: list[str], ready: str, log_file: Path, cwd: Path = ROOT) -> None:
        self.name, self.ready = name, ready
        with log_file.open("ab") as handle:
            self.process = subprocess.Popen(
                command, cwd=cwd, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
            )
        deadline = time.monotonic() + 300
        import httpx

        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{name} exited ({self.process.returncode}); see {log_file}")
            try:
                if httpx.get(ready, timeout=5, trust_env=False).status_code < 500:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{name} did not answer at {ready}; see {log_file}")
            time.sleep(0.3)

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def measured_build(data: Path, releases: Path) -> dict[str, object]:
    if releases.exists():
        shutil.rmtree(releases)
    done = subprocess.run(
        [sys.executable, "-m", "bench.build", str(data), str(releases), str(ROOT / "ontology")],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"build failed:\n{done.stderr[-3000:]}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@dataclass
class Sample:
    """IRIs and names drawn from the release, the same for every server."""

    people: list[str]
    congress: str
    names: list[str]


def sample(releases: Path, count: int = 500) -> Sample:
    store = Store.read_only(str(open_release(releases / CURRENT).path / STORE_DIR))
    people = [
        str(row["p"].value)
        for row in store.query(  # type: ignore[union-attr]
            PREFIXES + "SELECT DISTINCT ?p WHERE { ?p a lwg:Person } LIMIT " + str(count * 20), use_default_graph_as_union=True
        )
    ][:: 20] or []
    congress = next(iter(store.query(PREFIXES + "SELECT ?c WHERE { ?c a lwg:Congress ; lwg:ordinal 2 } LIMIT 1", use_default_graph_as_union=True)))["c"].value  # type: ignore[index, call-overload]
    names = [
        str(row["n"].value)
        for row in store.query(  # type: ignore[union-attr]
            PREFIXES + 'SELECT ?n WHERE { ?p a lwg:Person ; skos:prefLabel ?n FILTER(lang(?n) = "en") } LIMIT 2000', use_default_graph_as_union=True
        )
    ][::20]
    del store
    return Sample(people=people, congress=congress, names=names)


def sparql(path: str, query: str) -> Request:
    return Request(f"{path}?{urllib.parse.urlencode({'query': query})}")


def scenarios(kind: str, sparql_path: str, s: Sample, connections: int) -> list[Scenario]:
    """The scenarios for one server; ``kind`` is "kg" (this server) or "sparql" (a bare SPARQL endpoint)."""
    lookup = "SELECT ?p ?o WHERE {{ <{}> ?p ?o }}"
    join = PREFIXES + (
        f"SELECT ?person ?name WHERE {{ ?d lwg:delegationTo <{s.congress}> ; lwg:delegate ?person . "
        '?person skos:prefLabel ?name FILTER(lang(?name) = "kk") }'
    )
    aggregate = PREFIXES + (
        "SELECT ?congress (COUNT(DISTINCT ?person) AS ?delegates) WHERE { ?d lwg:delegationTo ?congress ; "
        "lwg:delegate ?person } GROUP BY ?congress ORDER BY DESC(?delegates) LIMIT 10"
    )
    json_accept = {"Accept": SPARQL_JSON}
    out = [
        Scenario("lookup, same IRI", [sparql(sparql_path, lookup.format(s.people[0]))], json_accept, connections),
        Scenario("lookup, distinct IRIs", [sparql(sparql_path, lookup.format(p)) for p in s.people], json_accept, connections),
        Scenario("join, language-filtered", [sparql(sparql_path, join)], json_accept, 1),
        Scenario("aggregate", [sparql(sparql_path, aggregate)], json_accept, 1),
    ]
    if kind == "kg":
        paths = [urllib.parse.urlparse(p).path.removeprefix("/lwg") for p in s.people]
        for ext, media in (("ttl", "text/turtle"), ("jsonld", "application/ld+json"), ("html", "text/html")):
            out.append(Scenario(f"entity document, {ext}", [Request(f"{p}.{ext}") for p in paths], {"Accept": media}, connections))
        bodies = [
            "queries=" + urllib.parse.quote(json.dumps({"q0": {"query": name, "limit": 3}})) for name in s.names
        ]
        out.append(
            Scenario(
                "reconcile",
                [Request("/reconcile", "POST", b) for b in bodies],
                {"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"},
                connections,
            )
        )
    else:
        describe = "CONSTRUCT {{ <{0}> ?p ?o }} WHERE {{ <{0}> ?p ?o }}"
        out.append(
            Scenario("entity document, ttl", [sparql(sparql_path, describe.format(p)) for p in s.people], {"Accept": "text/turtle"}, connections)
        )
    return out


def measure(server: str, base: str, items: list[Scenario], seconds: float) -> list[Row]:
    rows = []
    for scenario in items:
        try:
            status, size = client.probe(base, scenario.requests[0], scenario.headers)
        except Exception as exc:  # noqa: BLE001 - any failure of a server is a row, not a crash
            rows.append(Row(scenario.name, server, False, f"no answer: {type(exc).__name__}"))
            continue
        if status >= 400 or size == 0:
            rows.append(Row(scenario.name, server, False, f"not available (HTTP {status})"))
            continue
        load = client.run(base, scenario.requests, scenario.headers, scenario.connections, seconds)
        rows.append(
            Row(scenario.name, server, True, "", round(load.rps, 1), round(load.p50_ms, 2), round(load.p95_ms, 2),
                round(load.p99_ms, 2), load.errors, scenario.connections)
        )
        log(f"    {server:22} {scenario.name:26} {load.rps:9.1f} req/s  p50 {load.p50_ms:8.2f} ms  p95 {load.p95_ms:8.2f} ms  errors {load.errors}")
    return rows


def serve_kg(releases: Path, work: Path, name: str, endpoint: str | None = None) -> tuple[Process, str]:
    port = free_port()
    command = [sys.executable, "-m", "kg", "serve", "--out", str(releases), "--host", HOST, "--port", str(port)]
    if endpoint:
        command += ["--endpoint", endpoint]
    base = f"http://{HOST}:{port}"
    return Process(name, command, f"{base}/health", work / f"{name}.log"), base


def run_scale(scale: int, args: argparse.Namespace, work: Path) -> ScaleResult:
    data = work / f"data-{scale}"
    if not (data / "dataset.toml").exists():
        shutil.rmtree(data, ignore_errors=True)
        log(f"kg synth --scale {scale}")
        synth.write(data, scale, seed=args.seed)
    releases = work / f"releases-{scale}"
    log(f"kg build ({scale} statements)")
    result = ScaleResult(scale, measured_build(data, releases))
    log(f"  {json.dumps(result.build)}")
    release = open_release(releases / CURRENT)
    s = sample(releases)
    servers: list[tuple[str, Callable[[], tuple[Process | None, str, list[Scenario], Callable[[], None]]]]] = []

    def this_server() -> tuple[Process | None, str, list[Scenario], Callable[[], None]]:
        process, base = serve_kg(releases, work, "kg-embedded")
        return process, base, scenarios("kg", "/sparql", s, args.connections), process.stop

    def oxigraph() -> tuple[Process | None, str, list[Scenario], Callable[[], None]]:
        sys.path.insert(0, str(ROOT))
        from tests.servers import OxigraphServer

        folder = work / f"oxigraph-{scale}"
        shutil.rmtree(folder, ignore_errors=True)
        server = OxigraphServer(folder)
        result.loads["oxigraph"] = round(server.load(release), 1)
        assert server.process is not None
        proc = server.process
        handle = Process.__new__(Process)
        handle.process = proc
        return handle, server.endpoint.removesuffix("/query"), scenarios("sparql", "/query", s, args.connections), server.stop

    def rdflib_endpoint() -> tuple[Process | None, str, list[Scenario], Callable[[], None]]:
        nt = work / f"union-{scale}.nt"
        with gzip.open(release.path / "dumps" / f"{release_name(release.path)}.nt.gz") as src, nt.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        port = free_port()
        program = str(Path(sys.executable).parent / "rdflib-endpoint")
        started = time.perf_counter()
        process = Process("rdflib-endpoint", [program, "serve", str(nt), "--host", HOST, "--port", str(port)],
                          f"http://{HOST}:{port}/?query=ASK%7B%7D", work / "rdflib-endpoint.log")
        result.loads["rdflib-endpoint"] = round(time.perf_counter() - started, 1)
        return process, f"http://{HOST}:{port}", scenarios("sparql", "/", s, args.connections), process.stop

    servers.append(("kg (embedded)", this_server))
    servers.append(("oxigraph server", oxigraph))
    if scale <= args.rdflib_max:
        servers.append(("rdflib-endpoint", rdflib_endpoint))
    else:
        result.rows.append(Row("*", "rdflib-endpoint", False, f"not run above {args.rdflib_max} statements (load time and memory)"))
    if args.virtuoso_scale == scale:

        def virtuoso() -> tuple[Process | None, str, list[Scenario], Callable[[], None]]:
            sys.path.insert(0, str(ROOT))
            from tests.servers import VirtuosoServer

            folder = work / f"virtuoso-{scale}"
            shutil.rmtree(folder, ignore_errors=True)
            store = VirtuosoServer(folder)
            result.loads["virtuoso"] = round(store.load(release), 1)
            process, base = serve_kg(releases, work, "kg-virtuoso", endpoint=store.endpoint)
            assert store.process is not None
            result.server_mb["virtuoso itself"] = memory_mb(store.process.pid)

            def stop() -> None:
                process.stop()
                store.stop()

            return process, base, scenarios("kg", "/sparql", s, args.connections), stop

        servers.append(("kg (remote: virtuoso)", virtuoso))

    for name, start in servers:
        log(f"  {name}")
        try:
            process, base, items, stop = start()
        except Exception as exc:  # noqa: BLE001 - a server that cannot start is a row, not a crash
            result.rows.append(Row("*", name, False, " ".join(f"could not start: {exc}".split())[:400]))
            continue
        try:
            result.rows.extend(measure(name, base, items, args.seconds))
            if process is not None:
                result.server_mb[name] = memory_mb(process.pid)
        finally:
            stop()
    return result


def release_name(path: Path) -> str:
    return str(json.loads((path / "release.json").read_text())["dumps"][0]["filename"]).split(".")[0]


def ratios(result: ScaleResult) -> list[tuple[str, str, float, str]]:
    """(scenario, server, ratio, how) for every server against the Oxigraph server."""
    ref = {r.scenario: r for r in result.rows if r.server == "oxigraph server" and r.available}
    out = []
    for row in result.rows:
        base = ref.get(row.scenario)
        if not row.available or base is None or row.server == "oxigraph server":
            continue
        if row.connections > 1:
            out.append((row.scenario, row.server, row.rps / base.rps if base.rps else 0.0, "throughput ratio"))
        else:
            out.append((row.scenario, row.server, row.p50_ms / base.p50_ms if base.p50_ms else 0.0, "latency ratio"))
    return out


def target_lines(result: ScaleResult) -> list[str]:
    lines = []
    found = {(r.scenario, r.server): r for r in result.rows if r.available}
    ref = {r.scenario: r for r in result.rows if r.server == "oxigraph server" and r.available}
    for scenario, measure_name, bound, kind in TARGETS:
        mine, theirs = found.get((scenario, "kg (embedded)")), ref.get(scenario)
        if mine is None or theirs is None:
            continue
        value = getattr(mine, measure_name) / max(getattr(theirs, measure_name), 1e-9)
        met = value >= bound if kind == "ratio-min" else value <= bound
        how = "at least" if kind == "ratio-min" else "at most"
        gap = "" if met else (f"; {bound / value:.1f}x short" if kind == "ratio-min" else f"; {value / bound:.1f}x over")
        lines.append(f"| {scenario} ({measure_name} vs the Oxigraph server) | {how} {bound} | {value:.2f} | {'met' if met else 'missed' + gap} |")
    for ext in ("ttl", "jsonld", "html"):
        row = found.get((f"entity document, {ext}", "kg (embedded)"))
        if row is not None:
            met = row.p95_ms < 20
            lines.append(f"| entity document, {ext}: p95 at {row.connections} connections | under 20 ms | {row.p95_ms:.1f} ms | {'met' if met else f'missed; {row.p95_ms / 20:.1f}x over'} |")
    build = result.build
    seconds, peak = float(str(build["seconds"])), int(str(build["peak_mb"])) + int(str(build["worker_peak_mb"]))
    lines.append(f"| build: total | under 180 s | {seconds:.0f} s | {'met' if seconds < 180 else f'missed; {seconds / 180:.1f}x over'} |")
    lines.append(f"| build: peak memory (main + largest worker) | under 2048 MB | {peak} MB | {'met' if peak < 2048 else f'missed; {peak / 2048:.1f}x over'} |")
    validate = float(str(dict(build["phases"])["validate"]))  # type: ignore[call-overload]
    lines.append(f"| validation alone ({build['quads']} quads) | under 60 s | {validate:.0f} s | {'met' if validate < 60 else f'missed; {validate / 60:.1f}x over'} |")
    mem = result.server_mb.get("kg (embedded)")
    if mem:
        lines.append(f"| server memory while serving | under 500 MB | {mem['rss_mb']} MB (peak {mem['peak_mb']}) | {'met' if mem['peak_mb'] < 500 else 'missed'} |")
    return lines


def markdown(results: list[ScaleResult], load_client: str) -> str:
    out = [
        "# Benchmark results",
        "",
        (f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}; load client: {load_client}. "
        "Each scenario ran for the same time against each server, one server at a time; lookups and documents "
        "with several connections (throughput), the join and the aggregate with one (latency). Scale = statements "
        "written by `kg synth`; the release holds more (inverse links, labels, romanizations, the ontology)."),
        "",
    ]
    for result in results:
        b = result.build
        phases = dict(b["phases"])  # type: ignore[call-overload]
        out += [
            f"## {result.scale:,} statements ({b['triples']:,} triples, {b['quads']:,} quads in the release)",
            "",
            "| build phase | " + " | ".join(phases) + " | total | peak MB (main / largest validation worker) |",
            "|---|" + "---|" * (len(phases) + 2),
            "| seconds | " + " | ".join(f"{v:.1f}" for v in phases.values()) + f" | {b['seconds']} | {b['peak_mb']} / {b['worker_peak_mb']} |",
            "",
            "| scenario | server | conns | req/s | p50 ms | p95 ms | p99 ms | errors | note |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for r in result.rows:
            if r.available:
                out.append(f"| {r.scenario} | {r.server} | {r.connections} | {r.rps:,.0f} | {r.p50_ms} | {r.p95_ms} | {r.p99_ms} | {r.errors} | |")
            else:
                out.append(f"| {r.scenario} | {r.server} | | | | | | | {r.note} |")
        out += ["", "| ratio against the Oxigraph server | server | value |", "|---|---|---|"]
        out += [f"| {scenario} ({how}) | {server} | {value:.2f} |" for scenario, server, value, how in ratios(result)]
        out += ["", "| server | RSS MB while serving | peak MB |", "|---|---|---|"]
        out += [f"| {name} | {m['rss_mb']} | {m['peak_mb']} |" for name, m in result.server_mb.items()]
        if result.loads:
            out += ["", "Load times (s): " + ", ".join(f"{k} {v}" for k, v in result.loads.items())]
        out += ["", "| target | bound | measured | verdict |", "|---|---|---|---|", *target_lines(result), ""]
    return "\n".join(out) + "\n"


def plot(results: list[ScaleResult], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scales = [r.scale for r in results]
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.8))
    phases = list(dict(results[0].build["phases"]))  # type: ignore[call-overload]
    for phase in phases:
        axes[0].plot(scales, [dict(r.build["phases"]).get(phase, 0) for r in results], marker="o", label=phase)  # type: ignore[call-overload]
    axes[0].plot(scales, [r.build["seconds"] for r in results], marker="o", color="black", label="total")
    axes[0].set_title("kg build: seconds per phase")
    servers = sorted({r.server for res in results for r in res.rows if r.available})
    for scenario, ax, measure_name, title in (
        ("lookup, distinct IRIs", axes[1], "rps", "lookups (distinct IRIs): requests/s"),
        ("aggregate", axes[2], "p50_ms", "aggregate: median latency, ms"),
    ):
        for server in servers:
            points = [
                (res.scale, getattr(r, measure_name))
                for res in results for r in res.rows if r.server == server and r.scenario == scenario and r.available
            ]
            if points:
                ax.plot(*zip(*points, strict=True), marker="o", label=server)
        ax.set_title(title)
    for ax in axes:
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("statements (kg synth --scale)")
        ax.legend(fontsize=8)
        ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="10000,100000,1000000", help="comma-separated statement counts")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per scenario and server (default 5)")
    parser.add_argument("--connections", type=int, default=8, help="connections for the throughput scenarios (default 8)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rdflib-max", type=int, default=1_000_000, help="largest scale to load into rdflib-endpoint")
    parser.add_argument("--virtuoso-scale", type=int, default=0, help="the scale at which to also serve through Virtuoso")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "work", help="synthetic data, releases, logs")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results", help="where RESULTS.md and the plot go")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    args.results.mkdir(parents=True, exist_ok=True)
    load_client = client.client_name(args.seconds)
    log(f"load client: {load_client}")
    results = [run_scale(int(s), args, args.work) for s in args.scales.split(",")]
    (args.results / "results.json").write_text(
        json.dumps({"client": load_client, "scales": [asdict(r) for r in results]}, indent=1) + "\n"
    )
    (args.results / "RESULTS.md").write_text(markdown(results, load_client))
    plot(results, args.results / "cost-by-size.png")
    for result in results:
        print(f"scale {result.scale}: build {result.build['seconds']} s, peak {result.build['peak_mb']} MB")
        for scenario, server, value, how in ratios(result):
            print(f"  {scenario:26} {server:24} {how}: {value:.2f}")
    print(f"wrote {args.results / 'RESULTS.md'} and {args.results / 'cost-by-size.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
