"""Real PostgreSQL servers behind the emulated DB instances, so that verify-copy, the password reset and
the promotion are exercised against a real database (moto's instances have no database at all).

One small cluster per emulated instance: a template data directory is made once with initdb (TLS on, a
self-signed certificate, password authentication over TCP), and each instance gets a copy of it, started
with pg_ctl on 127.0.0.1 and a free port. PostgreSQL roles belong to a cluster, so each instance has its
own master role and a password reset on one instance changes that instance's role only (as in RDS).

- source instance: its cluster is seeded with demo data (table `orders`);
- manual snapshot: pg_dump of the instance's database at that moment (the "snapshot's data");
- snapshot copy: the same dump as the snapshot it copies;
- restore: a new cluster loaded with the snapshot's dump, master password = the source's;
- password reset taking effect: ALTER ROLE ... PASSWORD on that instance's cluster;
- instance deleted: its server is stopped and its directory removed.

Servers run as an unprivileged user (the caller, or the `postgres` user when the caller is root: the
server refuses to run as root), are bound to 127.0.0.1 only, and are all stopped by stop() (also at exit).
The PostgreSQL binaries come from PG_BIN, the PATH, or /usr/lib/postgresql/<version>/bin
(tools/postgres-env.sh installs the Debian `postgresql` package when they are missing).
"""
from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

MASTER_DB = "postgres"
DEMO_SCHEMA = """
CREATE TABLE orders (
    id         serial PRIMARY KEY,
    customer   text NOT NULL,
    amount     numeric(10, 2) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO orders (customer, amount) SELECT 'customer-' || g, g * 10 FROM generate_series(1, 5) g;
"""
INSTALL_HINT = ("PostgreSQL server binaries (initdb, pg_ctl, psql, pg_dump) are needed for the local cloud: "
                "install the Debian package 'postgresql' (apt-get install -y postgresql) or set PG_BIN to their "
                "directory; tools/local-run.sh and tools/test-all.sh install it themselves when they can")


def find_bin() -> Path:
    """The directory of initdb/pg_ctl: PG_BIN, else the PATH, else the newest /usr/lib/postgresql/*/bin."""
    candidates = []
    if os.environ.get("PG_BIN"):
        candidates.append(Path(os.environ["PG_BIN"]))
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).parent)
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
                      if Path(p).parent.name.isdigit() else 0, reverse=True)
    candidates += [Path(p) for p in versions]
    for c in candidates:
        if all((c / tool).exists() for tool in ("initdb", "pg_ctl", "psql", "pg_dump")):
            return c
    raise SystemExit(INSTALL_HINT)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, name: str, directory: Path, port: int, master_user: str):
        self.name, self.dir, self.port, self.master_user = name, directory, port, master_user
        self.running = False


class PgServers:
    def __init__(self, log):
        self.log = log
        self.bin = find_bin()
        if os.geteuid() == 0:
            try:
                self.user = pwd.getpwnam("postgres")
            except KeyError:
                raise SystemExit("running as root: PostgreSQL refuses to run as root and there is no 'postgres' "
                                 "user to run it as (the Debian package 'postgresql' creates it)")
        else:
            self.user = pwd.getpwuid(os.geteuid())
        self.root = Path(tempfile.mkdtemp(prefix="rds-replicator-pg-"))
        os.chown(self.root, self.user.pw_uid, self.user.pw_gid)
        self.servers: dict[str, Server] = {}        # key: instance ARN
        self.dumps: dict[str, Path] = {}            # key: snapshot ARN -> the data at snapshot time
        self._lock = threading.Lock()
        self._seq = 0
        self._template = self.root / "template"
        self._init_template()
        atexit.register(self.stop)
        # A terminated run (SIGTERM, e.g. a CI time limit) runs no atexit handler unless SIGTERM raises SystemExit.
        if threading.current_thread() is threading.main_thread() \
                and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    # ---- processes ---------------------------------------------------------------------------
    def _run(self, args, input_text=None, check=True, env=None):
        """Runs a PostgreSQL tool as the unprivileged user; never with a password on the command line."""
        kw = {}
        if os.geteuid() == 0:
            kw = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
        full_env = dict(os.environ, **(env or {}))
        full_env.pop("PGPASSWORD", None)
        out = subprocess.run([str(a) for a in args], input=input_text, capture_output=True, text=True,
                             cwd=self.root, env=full_env, **kw)
        if check and out.returncode != 0:
            raise RuntimeError(f"{Path(str(args[0])).name} failed ({out.returncode}): {out.stderr.strip()[-400:]}")
        return out

    def _init_template(self):
        t = self._template
        self._run([self.bin / "initdb", "-D", t, "-U", "postgres", "--auth-local=trust",
                   "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync", "--no-instructions"])
        # TLS with a throw-away self-signed certificate: verify-copy requires TLS (sslmode=require).
        self._run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                   "-keyout", t / "server.key", "-out", t / "server.crt"])
        os.chmod(t / "server.key", 0o600)
        with open(t / "postgresql.conf", "a") as f:
            f.write("\n# rds-replicator local cloud: small, loopback only, TLS on, durability off (throw-away data)\n"
                    "listen_addresses = '127.0.0.1'\nssl = on\nshared_buffers = 16MB\nmax_connections = 20\n"
                    "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_wal_size = 64MB\n"
                    "autovacuum = off\nlog_min_messages = warning\nlogging_collector = off\n")
        with open(t / "pg_hba.conf", "w") as f:
            f.write("local all all trust\n"
                    "hostssl all all 127.0.0.1/32 scram-sha-256\n"
                    "host all all 127.0.0.1/32 scram-sha-256\n")
        self.log("pg", f"PostgreSQL {self.bin.parent.name} from {self.bin}: template cluster ready (TLS, "
                       f"password authentication), servers run as '{self.user.pw_name}' on 127.0.0.1")

    def _psql(self, server: Server, sql: str, db: str = MASTER_DB) -> str:
        out = self._run([self.bin / "psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", server.dir,
                         "-p", server.port, "-U", "postgres", "-d", db], input_text=sql)
        return out.stdout.strip()

    # ---- instances ---------------------------------------------------------------------------
    def start_instance(self, arn: str, name: str, master_user: str, master_password: str,
                       dump: Path | None = None, seed_demo: bool = False) -> Server:
        """A running server for the instance: the template copied, started, the master role's password set,
        then seeded with the demo data (a source) or loaded with a snapshot's dump (a restore)."""
        with self._lock:
            self._seq += 1
            directory = self.root / f"{self._seq:03d}"  # short: the socket path must stay under 108 bytes
        port = free_port()
        self._run(["cp", "-a", self._template, directory])
        server = Server(name, directory, port, master_user)
        self._run([self.bin / "pg_ctl", "-D", directory, "-l", directory / "server.log", "-w", "-t", "30",
                   "-o", f"-p {port} -k {directory}", "start"])
        server.running = True
        with self._lock:
            self.servers[arn] = server
        if master_user != "postgres":
            self._psql(server, f'CREATE ROLE "{master_user}" LOGIN CREATEDB CREATEROLE;')
        self.set_password(arn, master_password)
        if seed_demo:
            self._psql(server, DEMO_SCHEMA)
        if dump is not None:
            self._psql(server, dump.read_text())
        return server

    def set_password(self, arn: str, password: str):
        """The master role's password: what a password reset of the emulated instance really changes."""
        server = self.servers[arn]
        literal = "'" + password.replace("'", "''") + "'"
        # Through stdin, never on a command line; the statement is not logged (log_statement is off).
        self._psql(server, f'ALTER ROLE "{server.master_user}" PASSWORD {literal};')

    def snapshot(self, instance_arn: str, snapshot_arn: str):
        """The data at snapshot time: a plain SQL dump of the instance's database."""
        server = self.servers.get(instance_arn)
        if server is None:
            return
        path = server.dir.parent / f"{snapshot_arn.rsplit(':', 1)[-1]}.sql"
        out = self._run([self.bin / "pg_dump", "-h", server.dir, "-p", server.port, "-U", "postgres",
                         "--no-owner", "--no-privileges", MASTER_DB])
        path.write_text(out.stdout)
        with self._lock:
            self.dumps[snapshot_arn] = path

    def copied(self, source_snapshot_arn: str, target_snapshot_arn: str):
        with self._lock:
            if source_snapshot_arn in self.dumps:
                self.dumps[target_snapshot_arn] = self.dumps[source_snapshot_arn]

    def query(self, arn: str, sql: str) -> str:
        """Runs SQL on the instance's database as the server's superuser (the scenarios' view of the data)."""
        return self._psql(self.servers[arn], sql)

    def stop_instance(self, arn: str):
        with self._lock:
            server = self.servers.pop(arn, None)
        if server is None or not server.running:
            return
        self._run([self.bin / "pg_ctl", "-D", server.dir, "-m", "immediate", "-w", "stop"], check=False)
        server.running = False
        shutil.rmtree(server.dir, ignore_errors=True)

    def stop(self):
        """Stops every server this process started (also registered at exit) and removes their files."""
        with self._lock:
            servers = list(self.servers.items())
            self.servers.clear()
        for _, server in servers:
            if server.running:
                self._run([self.bin / "pg_ctl", "-D", server.dir, "-m", "immediate", "-w", "stop"], check=False)
                server.running = False
        shutil.rmtree(self.root, ignore_errors=True)


def login_with_secret(pg_bin: Path, secret: dict, sql: str) -> tuple[bool, str]:
    """Logs in as a client would, with the secret's host, port, username, password and dbname over TLS
    (sslmode=require), and runs sql; (ok, output or error). The password goes through the environment of
    psql only, never a command line or a log."""
    conninfo = (f"host={secret['host']} port={secret['port']} user={secret['username']} "
                f"dbname={secret.get('dbname') or MASTER_DB} sslmode=require connect_timeout=10")
    env = dict(os.environ, PGPASSWORD=secret["password"])
    out = subprocess.run([str(pg_bin / "psql"), "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", conninfo, "-c", sql],
                         capture_output=True, text=True, env=env, timeout=30)
    text = (out.stdout if out.returncode == 0 else out.stderr).strip().replace(secret["password"], "****")
    return out.returncode == 0, text


class SilentEndpoint:
    """A TCP port that accepts connections and never answers: an instance whose database hangs."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.accepted: list = []
        threading.Thread(target=self._accept, daemon=True, name="silent-endpoint").start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)  # held open, never read or written

    def close(self):
        for c in self.accepted:
            c.close()
        self.sock.close()
