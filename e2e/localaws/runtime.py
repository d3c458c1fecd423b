"""A local Lambda service: runs each packaged function.zip in AWS's own runtime interface client
(from Maven Central) against a small implementation of the Lambda Runtime API, one process per
function and account (more with max_concurrency: Lambda's scaling out), with that account's credentials.

The function code is exactly what `sam deploy` uploads; only the host differs.
"""
from __future__ import annotations

import json
import os
import queue
import resource
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

API = "/2018-06-01/runtime"
JVM_HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"
RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda"
# The client unpacks its JNI library to one fixed file in /tmp at every start, so processes starting
# together load each other's half-written copy and crash; unpack it once and name it instead.
JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI"


@dataclass
class Invocation:
    request_id: str
    payload: bytes
    done: threading.Event = field(default_factory=threading.Event)
    ok: bool = False
    body: bytes = b""
    started: float = 0.0
    finished: float = 0.0


@dataclass
class Stats:
    invocations: int = 0
    errors: int = 0
    cold_start_s: float | None = None      # process start to first response
    durations_s: list[float] = field(default_factory=list)
    rss_kib: int | None = None


class Environment:
    """One execution environment of a function: a Runtime API endpoint and the process that polls it (one
    invocation at a time, as in Lambda). It takes its invocations from the function's shared queue."""

    def __init__(self, fn: "LocalFunction"):
        self.fn = fn
        self.process: subprocess.Popen | None = None
        self.started = 0.0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _handler(self):
        env, fn = self, self.fn

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_):
                pass

            def do_GET(self):
                if self.path != f"{API}/invocation/next":
                    self.send_error(404)
                    return
                process = env.process  # the poll belongs to this process (update_environment replaces it)
                while True:  # hold the poll open while idle (an error status would stop the client)
                    try:
                        inv = fn.pending.get(timeout=1)
                    except queue.Empty:
                        inv = None
                    if env.process is not process or process is None or process.poll() is not None:
                        if inv:
                            fn.pending.put(inv)  # for another environment, or the process that replaced this one
                        return
                    if inv:
                        break
                inv.started = time.monotonic()
                fn.inflight[inv.request_id] = inv
                self.send_response(200)
                self.send_header("Lambda-Runtime-Aws-Request-Id", inv.request_id)
                self.send_header("Lambda-Runtime-Deadline-Ms", str(int((time.time() + fn.timeout_s) * 1000)))
                self.send_header("Lambda-Runtime-Invoked-Function-Arn", fn.arn())
                self.send_header("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(inv.payload)))
                self.end_headers()
                self.wfile.write(inv.payload)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                parts = self.path[len(API):].strip("/").split("/")
                if parts[:1] == ["init"]:
                    fn._log_host(f"init error: {body[:500]!r}")
                    self.send_response(202)
                    self.end_headers()
                    return
                if len(parts) != 3 or parts[0] != "invocation" or parts[2] not in ("response", "error"):
                    self.send_error(404)
                    return
                inv = fn.inflight.pop(parts[1], None)
                self.send_response(202)
                self.end_headers()
                if inv:
                    inv.ok, inv.body, inv.finished = parts[2] == "response", body, time.monotonic()
                    inv.done.set()

        return Handler

    def api_address(self) -> str:
        return f"127.0.0.1:{self.server.server_address[1]}"

    def start(self, task_root: Path, log):
        fn = self.fn
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(fn.env)
        env.update({"AWS_LAMBDA_RUNTIME_API": self.api_address(), "AWS_LAMBDA_FUNCTION_NAME": fn.name,
                    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024", "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
                    "LAMBDA_TASK_ROOT": str(task_root), "_HANDLER": JVM_HANDLER})
        java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
        cp = os.pathsep.join([str(task_root), str(task_root / "lib" / "*"), str(fn.ric_dir / "*")])
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", f"-D{JNI_PROPERTY}={fn.jni}",
             "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
             "-cp", cp, RIC_MAIN, JVM_HANDLER],
            cwd=task_root, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def end(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def stop(self):
        self.end()
        self.server.shutdown()


class LocalFunction:
    """One function in one account: its execution environments (processes) and the queue they poll. By
    default one environment, so invocations run one at a time; with max_concurrency N, an invocation that finds
    every environment busy starts another (a cold start), up to N, as Lambda scales a function out."""

    def __init__(self, name: str, account: str, zip_path: Path, env: dict[str, str], ric_dir: Path,
                 work_dir: Path, log_dir: Path, jni: Path, timeout_s: float = 120, max_concurrency: int = 1):
        self.jni = jni
        self.name, self.account, self.zip_path = name, account, zip_path
        self.env, self.ric_dir, self.timeout_s = env, ric_dir, timeout_s
        self.dir = work_dir / f"{account}-{name}"
        self.log_path = log_dir / f"{account}-{name}.log"
        self.pending: "queue.Queue[Invocation]" = queue.Queue()
        self.inflight: dict[str, Invocation] = {}
        self.stats = Stats()
        self.before_next_invoke: list = []  # callables run once, just before the next invocation
        self.max_concurrency = max_concurrency
        self.envs: list[Environment] = []
        self.busy = 0
        self.peak_concurrency = 0
        self.cold_starts = 0
        self.cond = threading.Condition()
        self.unpacked = False
        self.log = None

    @property
    def process(self) -> subprocess.Popen | None:
        """The first environment's process (None before the first invocation)."""
        return self.envs[0].process if self.envs else None

    @property
    def process_started(self) -> float:
        return self.envs[0].started if self.envs else 0.0

    def arn(self) -> str:
        return f"arn:aws:lambda:{self.env.get('AWS_REGION', 'us-east-1')}:{self.account}:function:{self.name}"

    # ---- environments -------------------------------------------------------------------------
    def _new_environment(self) -> "Environment":
        """Starts one more execution environment (the caller holds self.cond)."""
        if not self.unpacked:
            if self.dir.exists():
                shutil.rmtree(self.dir)
            self.dir.mkdir(parents=True)
            with zipfile.ZipFile(self.zip_path) as z:
                z.extractall(self.dir)
            self.unpacked = True
            self.log = open(self.log_path, "ab")
        env = Environment(self)
        env.start(self.dir, self.log)
        self.envs.append(env)
        self.cold_starts += 1
        return env

    def start(self):
        with self.cond:
            if not self.envs:
                self._new_environment()

    def stop(self):
        with self.cond:
            for env in self.envs:
                env.stop()
            self.envs = []

    def update_environment(self, changes: dict[str, str | None]):
        """As Lambda does when a configuration update changes a variable (None removes it): the running processes
        end, and the next invocation runs in a new process with the new environment (a poll held by an old
        process hands its invocation over, see Environment's handler)."""
        with self.cond:
            while self.busy:
                self.cond.wait()
            for env in self.envs:
                env.end()
                env.process = None
            for key, value in changes.items():
                if value is None:
                    self.env.pop(key, None)
                else:
                    self.env[key] = value
            for env in self.envs:
                env.server.shutdown()
            self.envs = []

    def _log_host(self, line: str):
        with open(self.log_path, "a") as f:
            f.write(f"[local-lambda] {line}\n")

    def rss_kib(self) -> int | None:
        try:
            with open(f"/proc/{self.process.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except (OSError, AttributeError):
            return None
        return None

    # ---- invoke --------------------------------------------------------------------------------
    def invoke(self, payload: dict | str | bytes) -> tuple[bool, dict | str | None]:
        """Synchronous invoke: (True, result) or (False, {errorType, errorMessage})."""
        hooks, self.before_next_invoke = self.before_next_invoke, []
        for hook in hooks:  # a scenario's fault injection, timed to this function's next call
            hook()
        data = payload if isinstance(payload, bytes) else (
            payload.encode() if isinstance(payload, str) else json.dumps(payload).encode())
        with self.cond:
            while self.busy >= len(self.envs) and len(self.envs) >= self.max_concurrency:
                self.cond.wait()
            if self.busy >= len(self.envs):
                self._new_environment()
            self.busy += 1
            self.peak_concurrency = max(self.peak_concurrency, self.busy)
        try:
            inv = Invocation(str(uuid.uuid4()), data)
            self.pending.put(inv)
            if not inv.done.wait(self.timeout_s):
                self.stats.errors += 1
                return False, {"errorType": "Lambda.Timeout", "errorMessage": f"{self.name} timed out"}
            self.stats.invocations += 1
            if self.stats.cold_start_s is None:
                self.stats.cold_start_s = inv.finished - self.process_started
            else:
                self.stats.durations_s.append(inv.finished - inv.started)
            self.stats.rss_kib = self.rss_kib()
            try:
                body = json.loads(inv.body) if inv.body else None
            except json.JSONDecodeError:
                body = inv.body.decode(errors="replace")
            if not inv.ok:
                self.stats.errors += 1
            return inv.ok, body
        finally:
            with self.cond:
                self.busy -= 1
                self.cond.notify_all()


class LambdaService:
    """All local functions, addressed by (account, name) or by function ARN."""

    def __init__(self, ric_dir: Path, log_dir: Path):
        self.ric_dir, self.log_dir = ric_dir, log_dir
        self.max_concurrency = 1  # execution environments per function (the fleet benchmark raises it)
        self.work = Path(tempfile.mkdtemp(prefix="local-lambda-"))
        self.functions: dict[tuple[str, str], LocalFunction] = {}
        log_dir.mkdir(parents=True, exist_ok=True)
        self.jni = self.work / "libaws-lambda-jni.so"
        ric = next(ric_dir.glob("aws-lambda-java-runtime-interface-client-*.jar"))
        with zipfile.ZipFile(ric) as z:
            self.jni.write_bytes(z.read("jni/libaws-lambda-jni.linux-x86_64.so"))

    def add(self, name: str, account: str, zip_path: Path, env: dict[str, str]) -> LocalFunction:
        """Registers a function; its process starts with start() (or on the first invoke)."""
        fn = LocalFunction(name, account, zip_path, env, self.ric_dir, self.work, self.log_dir, self.jni,
                           max_concurrency=self.max_concurrency)
        self.functions[(account, name)] = fn
        return fn

    def get(self, account: str, name: str) -> LocalFunction:
        return self.functions[(account, name)]

    def by_arn(self, arn: str) -> LocalFunction:
        parts = arn.split(":")
        if len(parts) >= 7 and parts[2] == "lambda":
            return self.get(parts[4], parts[6])
        raise KeyError(f"not a function ARN: {arn}")

    def stop(self):
        for fn in self.functions.values():
            fn.stop()
        shutil.rmtree(self.work, ignore_errors=True)
