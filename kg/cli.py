"""The ``kg`` command: build, validate, query and serve the knowledge graph.

Exit statuses: 0 success; 1 the data does not conform (report printed); 2 an
input could not be read, a query is malformed, or no release exists yet.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import InputError, KGError, NoRelease, NotConforming, QueryError
from .queries import GRAPH_FORMATS, RESULT_FORMATS, load_queries, render, run
from .release import CURRENT, build, current_store, list_releases, open_release, prepare, release_prefixes, rollback
from .settings import Paths

EXIT_OK, EXIT_INVALID, EXIT_ERROR = 0, 1, 2


def _paths(args: argparse.Namespace) -> Paths:
    defaults = Paths()
    return Paths(
        data=getattr(args, "data", None) or defaults.data,
        ontology=getattr(args, "ontology", None) or defaults.ontology,
        out=getattr(args, "out", None) or defaults.out,
        queries=getattr(args, "queries", None) or defaults.queries,
    )


def cmd_build(args: argparse.Namespace) -> int:
    release = build(_paths(args))
    print(release.summary())
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    paths = _paths(args)
    prepared = prepare(paths, progress=lambda _message: None, data_paths=args.paths or None)
    print(prepared.report.text())
    return EXIT_OK


def cmd_query(args: argparse.Namespace) -> int:
    paths = _paths(args)
    values = dict(_split_param(p) for p in args.param)
    stored = load_queries(paths.queries)
    if args.query == "-":
        text, bindings = sys.stdin.read(), None
        if values:
            raise QueryError("parameters apply to stored queries only")
    elif args.query in stored:
        query = stored[args.query]
        text, bindings = query.text, query.bindings(values)
    elif Path(args.query).is_file():
        text, bindings = Path(args.query).read_text(encoding="utf-8"), None
    else:
        known = ", ".join(stored) or "none"
        raise InputError(f"no stored query or file named {args.query!r} (stored queries: {known})")
    results = run(current_store(paths.out), text, bindings)
    sys.stdout.buffer.write(render(results, args.format, release_prefixes(paths.out)))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .service import ServerConfig, Service
    from .web.app import create_app

    paths = _paths(args)
    config = ServerConfig(
        releases=paths.out,
        queries=paths.queries,
        endpoint=args.endpoint,
        host=args.host,
        port=args.port,
        timeout=args.timeout,
        workers=args.workers,
        max_rows=args.max_rows,
        per_client=args.per_client,
        worker_memory=args.worker_memory,
        cache_mb=args.cache,
    )
    if not args.endpoint and not (paths.out / CURRENT).is_symlink():
        print("kg serve: no release yet; building one first", file=sys.stderr)
        build(paths)
    service = Service.open(config)
    try:
        service.check()
        print(f"kg serve: release {service.release_id} on http://{config.host}:{config.port}/ ({service.backend.name} store)", file=sys.stderr)
        uvicorn.run(create_app(service), host=config.host, port=config.port, log_level="warning")
    finally:
        service.close()
    return EXIT_OK


def cmd_releases(args: argparse.Namespace) -> int:
    """List the releases, newest build first; the current one is marked with '*'."""
    import datetime as dt

    out = _paths(args).out
    releases = list_releases(out)
    if not releases:
        raise NoRelease(f"no release in {out}: run 'kg build' first")
    for listed in releases:
        built = dt.datetime.fromtimestamp(listed.built, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        print(f"{'*' if listed.current else ' '} {listed.id}  {built}  {listed.triples} triples")
    return EXIT_OK


def cmd_rollback(args: argparse.Namespace) -> int:
    chosen = rollback(_paths(args).out, args.release)
    print(f"kg rollback: current is now release {chosen.id} ({chosen.triples} triples); restart 'kg serve' to serve it")
    return EXIT_OK


def cmd_load(args: argparse.Namespace) -> int:
    """Load the current release into a remote store (Graph Store Protocol, or Virtuoso's bulk loader)."""
    import os
    import time

    from . import remote

    paths = _paths(args)
    release = open_release(paths.out / CURRENT)
    quads = remote.release_quads(release.path)
    graphs = remote.by_graph(quads)
    started = time.perf_counter()
    if args.virtuoso_isql:
        if args.load_dir is None:
            raise InputError("--virtuoso-isql needs --load-dir: a folder the Virtuoso server may read (in its DirsAllowed)")
        isql = [args.isql, args.virtuoso_isql, os.environ.get("KG_ISQL_USER", "dba"), os.environ.get("KG_ISQL_PASSWORD", "dba")]
        print(f"kg load: release {release.id}: {len(quads)} quads in {len(graphs)} graphs into Virtuoso at {args.virtuoso_isql} (bulk loader)")
        loaded = remote.load_virtuoso(quads, isql, args.load_dir, progress=print)
    else:
        store_url = args.store_url or remote.store_url_for(args.endpoint)
        print(f"kg load: release {release.id}: {len(quads)} quads in {len(graphs)} graphs into {store_url} (Graph Store Protocol)")
        loaded = remote.load_gsp(quads, store_url, timeout=args.timeout, progress=print)
    remote.verify(args.endpoint, loaded, timeout=args.timeout)
    total = sum(item.triples for item in loaded)
    print(f"kg load: {len(loaded)} graphs, {total} triples in the store, checked through {args.endpoint} ({time.perf_counter() - started:.1f} s)")
    return EXIT_OK


def cmd_synth(args: argparse.Namespace) -> int:
    """Write synthetic data of about N statements, in the shape of the real data."""
    from . import synth

    written = synth.write(args.out, args.scale, args.seed, progress=lambda message: print(message, file=sys.stderr))
    print(f"kg synth: {written.quads} statements, {written.congresses} congresses, {written.files} files in {written.folder}")
    return EXIT_OK


def _split_param(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep:
        raise QueryError(f"--param takes NAME=VALUE, not {text!r}")
    return name, value


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("give a number of seconds above 0")
    return value


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="kg", description=__doc__.splitlines()[0])
    commands = main.add_subparsers(dest="command", required=True)

    p = commands.add_parser("build", help="parse, enrich, validate and publish a release")
    p.add_argument("--data", type=Path, help="folder of curated data (default: data)")
    p.add_argument("--ontology", type=Path, help="folder of the ontology, shapes and context (default: ontology)")
    p.add_argument("--out", type=Path, help="folder of releases (default: releases)")
    p.set_defaults(run=cmd_build)

    p = commands.add_parser("validate", help="validate data files or folders against the shapes")
    p.add_argument("paths", nargs="*", type=Path, help="data files or folders (default: the data folder)")
    p.add_argument("--data", type=Path, help="folder holding dataset.toml (default: data)")
    p.add_argument("--ontology", type=Path, help="folder of the ontology and shapes (default: ontology)")
    p.set_defaults(run=cmd_validate)

    p = commands.add_parser("query", help="run a stored query (NAME), a query file, or a query on stdin (-)")
    p.add_argument("query", help="a name from queries/, a file, or - for standard input")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="a stored query's parameter")
    p.add_argument("--format", choices=sorted({*RESULT_FORMATS, *GRAPH_FORMATS}), help="output format (default: a table, or Turtle)")
    p.add_argument("--out", type=Path, help="folder of releases (default: releases)")
    p.add_argument("--queries", type=Path, help="folder of stored queries (default: queries)")
    p.set_defaults(run=cmd_query)

    p = commands.add_parser("serve", help="serve the current release over HTTP (building it first if none exists)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--endpoint", help="a remote SPARQL 1.1 endpoint holding the release, instead of the embedded store")
    p.add_argument("--timeout", type=_positive, default=30.0, help="seconds a query may run before it is stopped (default: 30)")
    p.add_argument("--workers", type=int, default=4, help="processes running queries on the embedded store; clients' queries may use all but one (default: 4)")
    p.add_argument("--max-rows", type=int, default=10_000, help="rows a SPARQL answer holds at most; a cut answer says so (default: 10000)")
    p.add_argument("--worker-memory", type=int, default=2048, metavar="MB", help="address space each query worker may use; 0 for no bound (default: 2048)")
    p.add_argument("--per-client", type=int, default=2, help="SPARQL queries one client address may run at once (default: 2)")
    p.add_argument("--cache", type=int, default=64, metavar="MB", help="memory for answers kept for repeated requests; 0 for none (default: 64)")
    p.add_argument("--data", type=Path, help="folder of curated data, for the first build (default: data)")
    p.add_argument("--ontology", type=Path, help="folder of the ontology (default: ontology)")
    p.add_argument("--out", type=Path, help="folder of releases (default: releases)")
    p.add_argument("--queries", type=Path, help="folder of stored queries (default: queries)")
    p.set_defaults(run=cmd_serve)

    p = commands.add_parser("releases", help="list the releases, newest first (* marks the current one)")
    p.add_argument("--out", type=Path, help="folder of releases (default: releases)")
    p.set_defaults(run=cmd_releases)

    p = commands.add_parser("rollback", help="point 'current' back at the release built before it (or at RELEASE)")
    p.add_argument("release", nargs="?", help="the id of the release to make current (default: the one before)")
    p.add_argument("--out", type=Path, help="folder of releases (default: releases)")
    p.set_defaults(run=cmd_rollback)

    p = commands.add_parser("load", help="load the current release into a remote SPARQL store, for 'kg serve --endpoint'")
    p.add_argument("--endpoint", required=True, help="the store's SPARQL endpoint (checked after loading)")
    p.add_argument("--store-url", help="its SPARQL 1.1 Graph Store Protocol URL (default: /store beside an Oxigraph /query endpoint)")
    p.add_argument("--virtuoso-isql", metavar="HOST:PORT", help="load into Virtuoso with its bulk loader through isql instead (user and password: KG_ISQL_USER, KG_ISQL_PASSWORD; default dba)")
    p.add_argument("--isql", default="isql-vt", help="Virtuoso's isql program (default: isql-vt)")
    p.add_argument("--load-dir", type=Path, help="with --virtuoso-isql: a folder the server may read (listed in its DirsAllowed)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for each request (default: 60)")
    p.add_argument("--out", type=Path, help="folder of releases (default: releases)")
    p.set_defaults(run=cmd_load)

    p = commands.add_parser("synth", help="write synthetic congresses of about N statements, for measuring builds and servers")
    p.add_argument("--scale", type=int, required=True, metavar="N", help="statements to write (1000 to 10 million or more)")
    p.add_argument("--seed", type=int, default=1, help="the same seed gives the same files (default: 1)")
    p.add_argument("--out", type=Path, required=True, help="a new or empty folder; build it with 'kg build --data FOLDER'")
    p.set_defaults(run=cmd_synth)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except NotConforming as exc:
        print(exc.report.text(), file=sys.stderr)  # type: ignore[attr-defined]
        print("kg: the data does not conform to the shapes; nothing was published.", file=sys.stderr)
        return EXIT_INVALID
    except (InputError, QueryError, NoRelease) as exc:
        print(f"kg: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KGError as exc:
        print(f"kg: {exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
