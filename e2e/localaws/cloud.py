"""Two emulated AWS accounts on one moto server, with the product deployed into each.

    cloud = LocalCloud(root).start()        # moto on loopback, patches, local Lambda service
    cloud.deploy()                          # template.yaml as source in A, destination in B
    cloud.replicate("orders-db", "run-1")   # starts the source workflow and follows both accounts
"""
from __future__ import annotations

import json
import logging
import os
import socket
import sys
import threading
import time
import urllib.request
from pathlib import Path

import boto3
from botocore.config import Config

from . import patches
from .bus import Bus
from .faults import ServiceFaults
from .pg import PgServers
from .pg_sim import DatabaseSim
from .rds_sim import RdsSimulator
from .runtime import LambdaService
from .template import Stack

SOURCE_ACCOUNT = "111111111111"
DESTINATION_ACCOUNT = "222222222222"
BOTH_ACCOUNT = "333333333333"   # Role=both: source and destination in one account
WEST_ACCOUNT = "444444444444"   # a second destination, in another Region than the source (cross-Region)
REGION = "us-east-1"
WEST_REGION = "us-west-2"
# A second source/destination pair for Aurora clusters and fleets: its destination keeps a secret per source
# database, and its copies count against their own quotas, so the first pair's scenarios stay as they are.
FLEET_SOURCE_ACCOUNT = "555555555555"
FLEET_DESTINATION_ACCOUNT = "666666666666"
VALIDATION_QUERY = "SELECT id FROM orders WHERE created_at > now() - interval '1 day'"


class Account:
    def __init__(self, account_id: str, endpoint: str, region: str = REGION):
        self.id, self.region, self.endpoint = account_id, region, endpoint
        sts = boto3.client("sts", endpoint_url=endpoint, region_name=REGION, aws_access_key_id="bootstrap",
                           aws_secret_access_key="bootstrap")
        # moto maps keys issued for a role of account X to account X: each side uses its own account.
        self.creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account_id}:role/rds-replicator-local",
                                     RoleSessionName="local-run")["Credentials"]
        self._clients: dict = {}

    def client(self, service: str, region: str | None = None):
        """A client of this account, in its Region unless another is named (moto serves every Region)."""
        key = (service, region or self.region)
        if key not in self._clients:
            self._clients[key] = boto3.client(
                service, endpoint_url=self.endpoint, region_name=region or self.region,
                aws_access_key_id=self.creds["AccessKeyId"], aws_secret_access_key=self.creds["SecretAccessKey"],
                aws_session_token=self.creds["SessionToken"], config=Config(retries={"max_attempts": 2}))
        return self._clients[key]

    def arn(self, service, resource, colon=False):
        return f"arn:aws:{service}:{self.region}:{self.id}:{resource}" if colon or "/" in resource \
            else f"arn:aws:{service}:{self.region}:{self.id}:{resource}"

    def lambda_env(self, env: dict) -> dict:
        out = dict(env)
        out.update({"AWS_ENDPOINT_URL": self.endpoint, "AWS_REGION": self.region, "AWS_DEFAULT_REGION": self.region,
                    "AWS_ACCESS_KEY_ID": self.creds["AccessKeyId"],
                    "AWS_SECRET_ACCESS_KEY": self.creds["SecretAccessKey"],
                    "AWS_SESSION_TOKEN": self.creds["SessionToken"]})
        return out


class Progress:
    """Prints what happens, with the time since the start, and keeps it for the summary."""

    def __init__(self, quiet=False):
        self.t0 = time.monotonic()
        self.quiet = quiet
        self.lines: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, kind: str, text: str):
        line = f"{time.monotonic() - self.t0:7.1f}s  {kind:<10} {text}"
        with self.lock:
            self.lines.append(line)
            if not self.quiet:
                print(line, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalCloud:
    def __init__(self, root: Path, wait_timeout_seconds: int = 30, rds_delay_s: float = 2.0, quiet=False,
                 retain_instances: int = 2, max_retry_interval_seconds: int = 2, west_destination: bool = False):
        """west_destination: the source also shares with WEST_ACCOUNT, a destination in WEST_REGION that
        deploy_west() deploys (cross-Region, and a second destination account)."""
        self.max_retry_interval_seconds = max_retry_interval_seconds
        self.west_destination = west_destination
        self.root = root
        self.log = Progress(quiet)
        self.wait_timeout_seconds = wait_timeout_seconds
        # A wait the ASL checks by re-arm (a cluster-snapshot copy, which no RDS event announces, every 300 s): its
        # timeout here (None: wait_timeout_seconds, like the others).
        self.check_timeout_seconds: int | None = None
        self.rds_delay_s = rds_delay_s
        self.retain_instances = retain_instances
        self.server = None

    # ---- lifecycle -------------------------------------------------------------------------
    def start(self):
        patches.check_moto_version()  # before anything runs on a moto the patches were not written for
        from moto.server import ThreadedMotoServer
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log on the console
        port = free_port()
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        self.server.start()
        self.endpoint = f"http://127.0.0.1:{port}"
        req = urllib.request.Request(f"{self.endpoint}/moto-api/config", method="POST", data=json.dumps(
            {"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}).encode())
        urllib.request.urlopen(req).read()
        self.log("moto", f"AWS emulator on {self.endpoint} (loopback only)")
        self.accounts = {a: Account(a, self.endpoint) for a in (SOURCE_ACCOUNT, DESTINATION_ACCOUNT)}
        self.source, self.destination = self.accounts[SOURCE_ACCOUNT], self.accounts[DESTINATION_ACCOUNT]
        ric = self.root / "e2e" / "target" / "ric"
        if not any(ric.glob("aws-lambda-java-runtime-interface-client-*.jar")):
            raise SystemExit(f"{ric} has no runtime interface client: run 'mvn -B package' first")
        self.lambdas = LambdaService(ric, self.root / "e2e" / "target" / "logs")
        self.bus = Bus(self.lambdas, self.accounts, self.log)
        self.rds = RdsSimulator(self.bus, self.log)
        self.faults = ServiceFaults(self.log)
        self.rds.delay_s = self.rds_delay_s
        patches.apply(self.lambdas, self.bus.sns_deliver, endpoint=self.endpoint)
        # Real PostgreSQL servers behind the emulated instances (verify-copy logs in to them).
        self.pg = PgServers(self.log)
        self.databases = DatabaseSim(self.pg, self.rds, self.log)
        return self

    def stop(self):
        if getattr(self, "lambdas", None):
            self.lambdas.stop()
        if self.server:
            self.server.stop()
        if getattr(self, "pg", None):
            self.pg.stop()
        if getattr(self, "databases", None) and self.databases.silent:
            self.databases.silent.close()

    # ---- deployment ------------------------------------------------------------------------
    def deploy(self, source_instance: str = "orders-db"):
        self.log("deploy", f"source stack in account {SOURCE_ACCOUNT} (Role=source)")
        destinations = [DESTINATION_ACCOUNT] + ([WEST_ACCOUNT] if self.west_destination else [])
        self.source_stack = Stack(self.root, "rds-replicator-source", self.source, {
            "Role": "source", "Packaging": "jvm", "SourceDbInstanceIdentifier": source_instance,
            "DestinationAccountIds": ",".join(destinations),
            "DestinationRegions": WEST_REGION if self.west_destination else "",
            # Time is compressed here: retention keeps by rank only; a scenario that needs the hold sets it.
            "SharedCopyHoldHours": "0"}, self.lambdas, self.bus,
            self.wait_timeout_seconds, check_timeout_seconds=self.check_timeout_seconds,
            log=lambda m: self.log("deploy", m),
            max_retry_interval_seconds=self.max_retry_interval_seconds).deploy()
        self.log("deploy", f"destination stack in account {DESTINATION_ACCOUNT} (Role=destination)")
        self.destination_stack = Stack(self.root, "rds-replicator-destination", self.destination, {
            "Role": "destination", "Packaging": "jvm", "SourceAccountId": SOURCE_ACCOUNT,
            "SourceTopicArn": self.source_stack.outputs["ReplicationTopicArn"],
            "RetainInstances": str(self.retain_instances),
            # Verification on, with a validation query: at least one order of the last day in the copy.
            "VerificationQuery": VALIDATION_QUERY, "VerificationMinRows": "1"}, self.lambdas, self.bus,
            self.wait_timeout_seconds, check_timeout_seconds=self.check_timeout_seconds,
            log=lambda m: self.log("deploy", m),
            max_retry_interval_seconds=self.max_retry_interval_seconds).deploy()
        self.log("deploy", f"time compressed for the local run: RDS waits time out after "
                           f"{self.wait_timeout_seconds} s (ASL: 3600 s), retry intervals capped at "
                           f"{self.max_retry_interval_seconds} s")
        n = len(self.lambdas.functions)
        self.log("deploy", f"{n} functions deployed (JVM build, run by AWS's runtime interface client)")
        return self

    def deploy_both(self, source_instance: str) -> Stack:
        """A third account with one stack of Role=both (as the README offers for trying the product)."""
        account = Account(BOTH_ACCOUNT, self.endpoint)
        self.accounts[BOTH_ACCOUNT] = account
        self.both = account
        self.log("deploy", f"stack in account {BOTH_ACCOUNT} (Role=both)")
        self.both_stack = Stack(self.root, "rds-replicator-both", account, {
            "Role": "both", "Packaging": "jvm", "SourceDbInstanceIdentifier": source_instance,
            "DestinationAccountIds": BOTH_ACCOUNT, "SharedCopyHoldHours": "0"}, self.lambdas, self.bus,
            self.wait_timeout_seconds, check_timeout_seconds=self.check_timeout_seconds,
            log=lambda m: self.log("deploy", m),
            max_retry_interval_seconds=self.max_retry_interval_seconds).deploy()
        return self.both_stack

    def deploy_west(self) -> Stack:
        """A second destination: account WEST_ACCOUNT in WEST_REGION (another Region than the source's),
        subscribed to the source's topic across Regions; its functions are started here."""
        if getattr(self, "west_stack", None):
            return self.west_stack
        if not self.west_destination:
            raise RuntimeError("LocalCloud(west_destination=True) makes the source share with the west account")
        account = Account(WEST_ACCOUNT, self.endpoint, WEST_REGION)
        self.accounts[WEST_ACCOUNT] = account
        self.west = account
        before = set(self.lambdas.functions)
        self.log("deploy", f"destination stack in account {WEST_ACCOUNT}, {WEST_REGION} (Role=destination, "
                           f"source in {REGION}: cross-Region)")
        self.west_stack = Stack(self.root, "rds-replicator-west", account, {
            "Role": "destination", "Packaging": "jvm", "SourceAccountId": SOURCE_ACCOUNT,
            "SourceTopicArn": self.source_stack.outputs["ReplicationTopicArn"],
            "RetainInstances": str(self.retain_instances)}, self.lambdas, self.bus,
            self.wait_timeout_seconds, check_timeout_seconds=self.check_timeout_seconds,
            log=lambda m: self.log("deploy", m),
            max_retry_interval_seconds=self.max_retry_interval_seconds).deploy()
        self.warm_up(only=[fn for key, fn in self.lambdas.functions.items() if key not in before])
        return self.west_stack

    def deploy_fleet(self, source_params: dict | None = None, destination_params: dict | None = None) \
            -> tuple[Stack, Stack]:
        """The second pair (deployed once, on first use; its functions are started here): a source stack in
        FLEET_SOURCE_ACCOUNT sharing with FLEET_DESTINATION_ACCOUNT, both in REGION, for Aurora clusters and fleets.
        The parameters given are added to (or override) the defaults, on the first call only."""
        if getattr(self, "fleet_source_stack", None):
            return self.fleet_source_stack, self.fleet_destination_stack
        before = set(self.lambdas.functions)
        self.fleet_source = Account(FLEET_SOURCE_ACCOUNT, self.endpoint)
        self.fleet_destination = Account(FLEET_DESTINATION_ACCOUNT, self.endpoint)
        self.accounts[FLEET_SOURCE_ACCOUNT] = self.fleet_source
        self.accounts[FLEET_DESTINATION_ACCOUNT] = self.fleet_destination
        self.log("deploy", f"fleet pair: source stack in {FLEET_SOURCE_ACCOUNT}, destination in "
                           f"{FLEET_DESTINATION_ACCOUNT}")
        self.fleet_source_stack = Stack(self.root, "rds-replicator-fleet-source", self.fleet_source, dict({
            "Role": "source", "Packaging": "jvm", "DestinationAccountIds": FLEET_DESTINATION_ACCOUNT,
            "SharedCopyHoldHours": "0"}, **(source_params or {})), self.lambdas, self.bus,
            self.wait_timeout_seconds, check_timeout_seconds=self.check_timeout_seconds,
            log=lambda m: self.log("deploy", m),
            max_retry_interval_seconds=self.max_retry_interval_seconds).deploy()
        self.fleet_destination_stack = Stack(self.root, "rds-replicator-fleet-destination", self.fleet_destination,
            dict({"Role": "destination", "Packaging": "jvm", "SourceAccountId": FLEET_SOURCE_ACCOUNT,
                  "SourceTopicArn": self.fleet_source_stack.outputs["ReplicationTopicArn"],
                  "RetainInstances": str(self.retain_instances), "DatabaseSecretMode": "per-database",
                  "VerificationQuery": VALIDATION_QUERY, "VerificationMinRows": "1"}, **(destination_params or {})),
            self.lambdas, self.bus, self.wait_timeout_seconds, check_timeout_seconds=self.check_timeout_seconds,
            log=lambda m: self.log("deploy", m),
            max_retry_interval_seconds=self.max_retry_interval_seconds).deploy()
        self.warm_up(only=[fn for key, fn in self.lambdas.functions.items() if key not in before])
        return self.fleet_source_stack, self.fleet_destination_stack

    def warm_up(self, one_by_one: bool = False, only: list | None = None):
        """Starts every function process (or those in `only`) and waits until each answers. one_by_one
        measures each cold start alone (the run's measurements); otherwise all start at once (faster, for the tests)."""
        fns = list(self.lambdas.functions.values()) if only is None else only
        if one_by_one:
            for fn in fns:
                fn.invoke({"warmUp": True})
        else:
            threads = [threading.Thread(target=fn.invoke, args=({"warmUp": True},)) for fn in fns]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            # On a busy machine many JVMs starting together can outlast an invocation's timeout: those that did not
            # answer in time, and whose process still runs, get a second call each, on their own.
            for fn in fns:
                if fn.stats.cold_start_s is None and fn.process is not None and fn.process.poll() is None:
                    fn.invoke({"warmUp": True})
        for fn in fns:
            fn.stats.invocations = 0
            fn.stats.errors = 0
        self.log("lambda", "all functions answered (process start to first response): " + ", ".join(
            f"{fn.name}@{fn.account[-4:]} " + (f"{fn.stats.cold_start_s:.1f}s" if fn.stats.cold_start_s else "NO ANSWER")
            for fn in fns))
        dead = [fn.name for fn in fns if fn.stats.cold_start_s is None]
        if dead:
            raise RuntimeError(f"functions did not start: {dead} (see e2e/target/logs)")

    def create_source_instance(self, name: str, encrypted: bool = True, account: "Account | None" = None,
                               option_group: str | None = None):
        """A source instance with its real database (demo data), optionally in a non-default option group."""
        account = account or self.source
        rds = account.client("rds")
        rds.create_db_instance(DBInstanceIdentifier=name, Engine="postgres", EngineVersion="16.4",
                               DBInstanceClass="db.t3.micro", MasterUsername="postgres",
                               MasterUserPassword="source-password-1", AllocatedStorage=20,
                               StorageEncrypted=encrypted, **({"OptionGroupName": option_group} if option_group else {}))
        from moto.rds.models import rds_backends
        backend = rds_backends[account.id][account.region]
        self.databases.attach_source(backend, backend.databases[name])
        self.log("rds", f"{account.id} source instance {name} is available")

    def create_source_cluster(self, name: str, engine: str = "aurora-postgresql", serverless: bool = False,
                              encrypted: bool = True, account: "Account | None" = None, database: bool = True):
        """An Aurora cluster and its writer instance (default: in the fleet source account, deploy_fleet() first);
        Serverless v2 when `serverless` (scaling limits set, as RDS requires for db.serverless, and a db.serverless
        writer). With `database`, an Aurora PostgreSQL cluster has a real database (the demo data) behind its writer
        endpoint."""
        account = account or self.fleet_source
        postgres = "postgres" in engine
        rds = account.client("rds")
        rds.create_db_cluster(DBClusterIdentifier=name, Engine=engine,
                              EngineVersion="16.4" if postgres else "8.0.mysql_aurora.3.08.0",
                              MasterUsername="postgres" if postgres else "admin",
                              MasterUserPassword="source-password-1", StorageEncrypted=encrypted,
                              **({"ServerlessV2ScalingConfiguration": {"MinCapacity": 0.5, "MaxCapacity": 4}}
                                 if serverless else {}))
        rds.create_db_instance(DBInstanceIdentifier=f"{name}-writer", DBClusterIdentifier=name, Engine=engine,
                               DBInstanceClass="db.serverless" if serverless else "db.r6g.large")
        if database and postgres:
            from moto.rds.models import rds_backends
            backend = rds_backends[account.id][account.region]
            self.databases.attach_source_cluster(backend, backend.clusters[name])
        self.log("rds", f"{account.id} source cluster {name} ({engine}"
                        f"{', Serverless v2' if serverless else ''}{'' if encrypted else ', unencrypted'}) is available")

    def start_cluster_replication(self, cluster: str, name: str, dry_run: bool = False) -> str:
        """Starts the fleet source stack's source-replication for an Aurora cluster."""
        sm = self.fleet_source_stack.outputs["SourceStateMachineArn"]
        request = {"dbClusterIdentifier": cluster, **({"dryRun": True} if dry_run else {})}
        arn = self.fleet_source.client("stepfunctions").start_execution(
            stateMachineArn=sm, name=name, input=json.dumps(request))["executionArn"]
        self.log("sfn", f"{self.fleet_source.id} started source-replication {name} of cluster {cluster}")
        return arn

    def cluster_snapshots(self, account: "Account") -> dict[str, dict]:
        """Every manual DB cluster snapshot of the account, with its tags and restore attribute."""
        rds = account.client("rds")
        out = {}
        for s in rds.describe_db_cluster_snapshots(SnapshotType="manual")["DBClusterSnapshots"]:
            tags = {t["Key"]: t["Value"] for t in
                    rds.list_tags_for_resource(ResourceName=s["DBClusterSnapshotArn"])["TagList"]}
            attrs = rds.describe_db_cluster_snapshot_attributes(
                DBClusterSnapshotIdentifier=s["DBClusterSnapshotIdentifier"])["DBClusterSnapshotAttributesResult"]
            restore = next((a["AttributeValues"] for a in attrs["DBClusterSnapshotAttributes"]
                            if a["AttributeName"] == "restore"), [])
            out[s["DBClusterSnapshotIdentifier"]] = dict(s, Tags=tags, Restore=restore)
        return out

    # ---- running ---------------------------------------------------------------------------
    def start_replication(self, instance: str, name: str) -> str:
        sm = self.source_stack.outputs["SourceStateMachineArn"]
        arn = self.source.client("stepfunctions").start_execution(
            stateMachineArn=sm, name=name, input=json.dumps({"dbInstanceIdentifier": instance}))["executionArn"]
        self.log("sfn", f"{SOURCE_ACCOUNT} started source-replication {name}")
        return arn

    def dry_run(self, instance: str, name: str, timeout_s: float = 300) -> tuple[dict, dict | None]:
        """Starts source-replication with {"dryRun": true} and follows both sides to their end."""
        sm = self.source_stack.outputs["SourceStateMachineArn"]
        arn = self.source.client("stepfunctions").start_execution(
            stateMachineArn=sm, name=name, input=json.dumps({"dbInstanceIdentifier": instance, "dryRun": True}))[
            "executionArn"]
        self.log("sfn", f"{SOURCE_ACCOUNT} started a dry run of source-replication {name}")
        src = self.follow(self.source, arn, timeout_s)
        if src["status"] != "SUCCEEDED":
            return src, None
        return src, self.follow(self.destination, self.destination_execution_arn(name), timeout_s)

    def footprint(self) -> dict:
        """What a run may change, in both accounts: every DB snapshot and instance with its tags, and the
        database secret's versions and value (a dry run or a failed preflight must leave all of it as it was)."""
        out = {}
        for account in (self.source, self.destination):
            out[account.id] = {
                "snapshots": {k: v["Tags"] for k, v in self.snapshots(account).items()},
                "instances": {k: (v["DBInstanceStatus"], v["Tags"]) for k, v in self.instances(account).items()}}
        out["secret versions"] = sorted((v["VersionId"], tuple(sorted(v.get("VersionStages", []))))
                                        for v in self.secret_versions())
        out["secret"] = self.secret()
        return out

    def destination_execution_arn(self, name: str, stack: Stack | None = None) -> str:
        sm = (stack or self.destination_stack).outputs["DestinationStateMachineArn"]
        return sm.replace(":stateMachine:", ":execution:") + ":" + name

    def follow(self, account: Account, execution_arn: str, timeout_s: float = 300,
               seen: set | None = None) -> dict:
        """Prints the execution's state transitions as they happen; returns describe_execution at the end."""
        sfn = account.client("stepfunctions")
        seen = seen if seen is not None else set()
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                history = sfn.get_execution_history(executionArn=execution_arn, maxResults=1000)["events"]
            except sfn.exceptions.ExecutionDoesNotExist:
                history = []
            for e in history:
                key = (execution_arn, e["id"])
                if key in seen:
                    continue
                seen.add(key)
                details = e.get("stateEnteredEventDetails") or e.get("stateExitedEventDetails") or {}
                name = details.get("name", "")
                extra = ""
                for k in ("taskFailedEventDetails", "executionFailedEventDetails", "lambdaFunctionFailedEventDetails"):
                    if k in e:
                        extra = f" {e[k].get('error', '')}: {e[k].get('cause', '')[:160]}"
                if e["type"].endswith(("StateEntered", "Failed", "TimedOut", "Succeeded", "Aborted", "Started")) \
                        or extra:
                    self.log("sfn", f"{account.id} {execution_arn.split(':')[-1]} {e['type']} {name}{extra}")
            if history:
                status = sfn.describe_execution(executionArn=execution_arn)
                if status["status"] != "RUNNING":
                    return status
            if time.monotonic() > deadline:
                raise TimeoutError(f"{execution_arn} still running after {timeout_s}s")
            time.sleep(0.25)  # polling the emulator's history to print it; the product itself never polls

    def replicate_in_fleet_pair(self, execution_input: dict, name: str, timeout_s: float = 300) \
            -> tuple[dict, dict | None]:
        """One source-replication run in the fleet pair (deploy_fleet()), followed on both sides to their end."""
        source, destination = self.fleet_source, self.fleet_destination
        sm = self.fleet_source_stack.outputs["SourceStateMachineArn"]
        arn = source.client("stepfunctions").start_execution(
            stateMachineArn=sm, name=name, input=json.dumps(execution_input))["executionArn"]
        self.log("sfn", f"{source.id} started source-replication {name}")
        src = self.follow(source, arn, timeout_s)
        if src["status"] != "SUCCEEDED":
            return src, None
        return src, self.follow(destination, self.destination_execution_arn(name, self.fleet_destination_stack),
                                timeout_s)

    def database_secret(self, source_database: str) -> dict | None:
        """The fleet destination's per-database secret of source_database (None while it does not exist)."""
        sm = self.fleet_destination.client("secretsmanager")
        try:
            value = sm.get_secret_value(SecretId=f"rds-replicator/{FLEET_SOURCE_ACCOUNT}/{source_database}")
        except sm.exceptions.ResourceNotFoundException:
            return None
        return json.loads(value["SecretString"])

    def replicate(self, instance: str, name: str, timeout_s: float = 300) -> tuple[dict, dict | None]:
        arn = self.start_replication(instance, name)
        src = self.follow(self.source, arn, timeout_s)
        if src["status"] != "SUCCEEDED":
            return src, None
        dst = self.follow(self.destination, self.destination_execution_arn(name), timeout_s)
        return src, dst

    def rollback(self, instance: str, reason: str, name: str, timeout_s: float = 300) -> dict:
        """Starts the destination's rollback workflow and follows it to its end."""
        sm = self.destination_stack.outputs["RollbackStateMachineArn"]
        arn = self.destination.client("stepfunctions").start_execution(
            stateMachineArn=sm, name=name,
            input=json.dumps({"dbInstanceIdentifier": instance, "reason": reason}))["executionArn"]
        self.log("sfn", f"{DESTINATION_ACCOUNT} started rollback {name}")
        return self.follow(self.destination, arn, timeout_s)

    # ---- reading state ---------------------------------------------------------------------
    def secret(self, account: Account | None = None, stack: Stack | None = None) -> dict:
        """The database secret of a destination (default: the first destination)."""
        account, stack = account or self.destination, stack or self.destination_stack
        arn = stack.outputs["SecretArn"]
        return json.loads(account.client("secretsmanager").get_secret_value(SecretId=arn)["SecretString"])

    def secret_versions(self) -> list:
        arn = self.destination_stack.outputs["SecretArn"]
        return self.destination.client("secretsmanager").list_secret_version_ids(SecretId=arn)["Versions"]

    def instances(self, account: Account) -> dict[str, dict]:
        rds = account.client("rds")
        out = {}
        for db in rds.describe_db_instances()["DBInstances"]:
            tags = {t["Key"]: t["Value"] for t in rds.list_tags_for_resource(ResourceName=db["DBInstanceArn"])["TagList"]}
            out[db["DBInstanceIdentifier"]] = dict(db, Tags=tags)
        return out

    def snapshots(self, account: Account) -> dict[str, dict]:
        rds = account.client("rds")
        out = {}
        for s in rds.describe_db_snapshots(SnapshotType="manual")["DBSnapshots"]:
            tags = {t["Key"]: t["Value"] for t in rds.list_tags_for_resource(ResourceName=s["DBSnapshotArn"])["TagList"]}
            out[s["DBSnapshotIdentifier"]] = dict(s, Tags=tags)
        return out

    def executions(self, account: Account, output_key: str) -> list[dict]:
        sm = (self.source_stack if account is self.source else self.destination_stack).outputs[output_key]
        return account.client("stepfunctions").list_executions(stateMachineArn=sm)["executions"]

    def transitions(self, account: Account, execution_arn: str) -> tuple[int, int]:
        """(state transitions, Lambda invocations) of one execution, from its history."""
        history = account.client("stepfunctions").get_execution_history(
            executionArn=execution_arn, maxResults=1000)["events"]
        transitions = sum(1 for e in history if e["type"].endswith("StateEntered"))
        lambdas = sum(1 for e in history if e["type"] == "TaskScheduled"
                      and "lambda" in e.get("taskScheduledEventDetails", {}).get("resourceType", "lambda"))
        return transitions, lambdas
