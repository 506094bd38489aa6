"""Real SPARQL servers for the tests, started on 127.0.0.1 (free ports) and stopped afterwards.

- ``OxigraphServer``: the Oxigraph server from the ``oxigraph`` package (its ``oxigraph``
  program), on a store in a temporary folder, serving the union of the named graphs as
  its default graph. Loaded read-write through the Graph Store Protocol (``kg load``),
  then served read-only.
- ``VirtuosoServer``: Debian's ``virtuoso-t`` with a private ``virtuoso.ini`` (its own
  database folder, HTTP and isql ports on 127.0.0.1), loaded with the bulk loader
  through ``isql-vt`` (``kg load --virtuoso-isql``).

A server that cannot start raises ``ServerError`` with what its log says: the tests that
need it fail, never skip. Each server can be stopped and started again on the same port
(its data kept), for the tests of an outage.
"""

from __future__ import annotations

import atexit
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from kg.release import Release

from .conftest import run_kg

HOST = "127.0.0.1"

#: How long a server may take to answer its first query.
START_SECONDS = 60.0


class ServerError(RuntimeError):
    """A test server could not be started or loaded."""


def free_port() -> int:
    """A TCP port nobody listens on at 127.0.0.1 now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def program(name: str, *, beside_python: bool = False) -> str:
    """The path of a program, or ServerError saying how to install it."""
    if beside_python:
        candidate = Path(sys.executable).parent / name
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        hint = "pip install oxigraph (the 'test' extra)" if beside_python else "apt-get install virtuoso-opensource"
        raise ServerError(f"the program {name!r} is not installed: {hint}")
    return found


def answers(endpoint: str, timeout: float = 2.0) -> bool:
    """Whether a SPARQL endpoint answers ASK {} with 200."""
    body = urllib.parse.urlencode({"query": "ASK {}"}).encode()
    request = urllib.request.Request(endpoint, data=body, headers={"Accept": "application/sparql-results+json"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


class Server:
    """A server process with a log file, that answers SPARQL at ``endpoint``."""

    name = "server"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.log = folder / f"{self.name}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.started_in = 0.0

    @property
    def endpoint(self) -> str:
        raise NotImplementedError

    def command(self) -> list[str]:
        raise NotImplementedError

    def load(self, release: Release) -> float:
        """Start the server holding ``release``; seconds the load took."""
        raise NotImplementedError

    def start(self) -> None:
        if self.process is not None and self.process.poll() is None:
            return
        started = time.perf_counter()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command(), cwd=self.folder, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
            )
        atexit.register(self.kill)  # never outlive the test run, whatever happens to the fixtures
        deadline = time.monotonic() + START_SECONDS
        while not answers(self.endpoint):
            if self.process.poll() is not None:
                raise ServerError(f"{self.name} exited with status {self.process.returncode} while starting:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                self.kill()
                raise ServerError(f"{self.name} did not answer at {self.endpoint} within {START_SECONDS:g} s:\n{self.log_tail()}")
            time.sleep(0.1)
        self.started_in = time.perf_counter() - started

    def stop(self) -> None:
        """Stop the server (gracefully, then by force) and wait until its port is free."""
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


class OxigraphServer(Server):
    """``oxigraph serve`` on a store folder, the union of the named graphs as its default graph."""

    name = "oxigraph"

    def __init__(self, folder: Path, port: int | None = None, read_only: bool = True, in_memory: bool = False) -> None:
        super().__init__(folder)
        self.binary = program("oxigraph", beside_python=True)
        self.port = port or free_port()
        self.location = None if in_memory else folder / "store"
        self.read_only = read_only and not in_memory

    @property
    def endpoint(self) -> str:
        return f"http://{HOST}:{self.port}/query"

    @property
    def store_url(self) -> str:
        return f"http://{HOST}:{self.port}/store"

    def command(self) -> list[str]:
        mode = "serve-read-only" if self.read_only else "serve"
        location = [] if self.location is None else ["--location", str(self.location)]
        return [self.binary, mode, *location, "--bind", f"{HOST}:{self.port}", "--union-default-graph"]

    def load(self, release: Release) -> float:
        """Load the release with ``kg load`` (Graph Store Protocol) into a read-write server, then serve
        it read-only, as a published store would be; seconds taken."""
        started = time.perf_counter()
        read_only, self.read_only = self.read_only, False
        self.stop()
        self.start()
        try:
            done = run_kg("load", "--endpoint", self.endpoint, "--out", str(release.path.parent), cwd=self.folder)
            if done.returncode != 0:
                raise ServerError(f"kg load into {self.name} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        finally:
            self.stop()
            self.read_only = read_only
        self.start()
        return time.perf_counter() - started


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = {host}:{isql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
AllowOSCalls = 0
DirsAllowed = ., {load}
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

[HTTPServer]
ServerPort = {host}:{http_port}
ServerRoot = {www}
MaxClientConnections = 10
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
HTTPThreadSize = 280000
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxConstructTriples = 1000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 60
DefaultQuery = ASK {{}}
"""


class VirtuosoServer(Server):
    """Debian's ``virtuoso-t`` in the foreground with its own ``virtuoso.ini``, database and ports."""

    name = "virtuoso"

    def __init__(self, folder: Path, http_port: int | None = None, isql_port: int | None = None) -> None:
        super().__init__(folder)
        self.binary = program("virtuoso-t")
        self.isql_program = program("isql-vt")
        self.http_port = http_port or free_port()
        self.isql_port = isql_port or free_port()
        self.db = folder / "db"
        self.load_dir = folder / "load"
        self.www = folder / "www"
        for path in (self.db, self.load_dir, self.www):
            path.mkdir(parents=True, exist_ok=True)
        self.ini = folder / "virtuoso.ini"
        self.ini.write_text(
            VIRTUOSO_INI.format(
                db=self.db, load=self.load_dir, www=self.www, host=HOST, http_port=self.http_port, isql_port=self.isql_port
            )
        )

    @property
    def endpoint(self) -> str:
        return f"http://{HOST}:{self.http_port}/sparql"

    @property
    def isql_address(self) -> str:
        return f"{HOST}:{self.isql_port}"

    def command(self) -> list[str]:
        return [self.binary, "+foreground", "+configfile", str(self.ini)]

    def isql(self, script: str, timeout: float = 120.0) -> str:
        done = subprocess.run(
            [self.isql_program, self.isql_address, "dba", "dba"],
            input=script,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        output = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in output:
            raise ServerError(f"isql on {self.name} failed ({done.returncode}):\n{output[-3000:]}")
        return output

    def load(self, release: Release) -> float:
        """Start the server if need be and load the release with ``kg load --virtuoso-isql`` (the bulk
        loader); seconds taken by the load."""
        self.start()
        started = time.perf_counter()
        done = run_kg(
            "load", "--endpoint", self.endpoint, "--virtuoso-isql", self.isql_address, "--isql", self.isql_program,
            "--load-dir", str(self.load_dir), "--out", str(release.path.parent),
            cwd=self.folder,
        )
        if done.returncode != 0:
            raise ServerError(f"kg load into {self.name} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}\n{self.log_tail()}")
        return time.perf_counter() - started

    def stop(self) -> None:
        """Shut down through isql (a checkpoint, then exit); terminate it if that does not work."""
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            try:
                subprocess.run(
                    [self.isql_program, self.isql_address, "dba", "dba"], input="shutdown;\n",
                    capture_output=True, text=True, timeout=30, check=False,
                )
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        super().stop()

