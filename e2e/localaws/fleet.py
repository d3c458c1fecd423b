"""Fleets in the local cloud: tagged source databases in the fleet pair (LocalCloud.deploy_fleet), a fleet run
followed to the end of every destination run, and its measurements (the fleet benchmark).

    fleet = Fleet(cloud)                         # after cloud.deploy_fleet()
    dbs = fleet.create(20, cluster_every=4)      # fleet-db-000 ... tagged rds-replicator:replicate=true
    run = fleet.run("bench-1")                   # starts fleet-replication, follows every child and destination
    print(fleet.measurements(run))

The quota-bound ideal is the least time any scheduler could take, given the copy quotas and the emulator's
durations (rds_sim.py): per database a snapshot `s`, a source copy and a destination copy `c_i` each (base +
per-GiB), a restore and a password reset `r`; copies of one kind share Q slots per account.

    ideal = max( max_i chain_i,                              one database's own chain: s + 2 c_i + r for an
                                                             instance, s + c_i + r_c for a cluster (restored
                                                             from the shared snapshot: no destination copy)
                 s + min c + sum(c_i) / Q + r   (instances)  a kind's copies through Q slots, on either side:
                 s + sum(c_i) / Q + r_c         (clusters) ) nothing copies before the first snapshot, the
                                                             destination's first copy waits for a source copy,
                                                             and the last copy is still followed by a restore

Lambda and Step Functions time is the scheduler's own cost and is not in the ideal.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

from . import patches

TAG_KEY, TAG_VALUE = "rds-replicator:replicate", "true"
ROOT = Path(__file__).resolve().parents[2]


def clusters_supported() -> bool:
    """Whether this build's source workflow takes Aurora clusters (the Aurora helpers' part)."""
    return "dbClusterIdentifier" in (ROOT / "statemachines" / "source-replication.asl.json").read_text()


class Fleet:
    def __init__(self, cloud):
        self.cloud = cloud
        self.source, self.destination = cloud.fleet_source, cloud.fleet_destination
        self.source_stack, self.destination_stack = cloud.fleet_source_stack, cloud.fleet_destination_stack
        self.databases: list[dict] = []

    # ---- set-up ------------------------------------------------------------------------------
    def configure(self, *, instance_quota: int | None = None, cluster_quota: int | None = None,
                  verify: bool | None = None, many: bool = False):
        """The copy quotas in the emulator and in both stacks' functions (as the InstanceCopyQuota/ClusterCopyQuota
        parameters set them); verification on or off in the fleet destination; `many` raises the emulated
        manual-snapshot and DB-instance quotas of the pair (a real account asks AWS for that above ~40 databases)."""
        sim = self.cloud.rds
        if instance_quota is not None:
            sim.copy_quota["instance"] = instance_quota
        if cluster_quota is not None:
            sim.copy_quota["cluster"] = cluster_quota
        env = {}
        if instance_quota is not None:
            env.update({"REPLICATOR_COPY_QUOTA_INSTANCE": str(instance_quota),
                        "REPLICATOR_FLEET_INSTANCE_COPY_QUOTA": str(instance_quota)})
        if cluster_quota is not None:
            env.update({"REPLICATOR_COPY_QUOTA_CLUSTER": str(cluster_quota),
                        "REPLICATOR_FLEET_CLUSTER_COPY_QUOTA": str(cluster_quota)})
        for stack in (self.source_stack, self.destination_stack):
            for fn in stack.functions.values():
                own = {k: v for k, v in env.items() if k in fn.env and fn.env[k] != v}
                if own:
                    fn.update_environment(own)
        verifier = self.destination_stack.functions.get("VerifyCopyFunction")
        wanted = None if verify is None else ("true" if verify else "false")
        if verifier is not None and wanted is not None and verifier.env.get("REPLICATOR_VERIFY_ENABLED") != wanted:
            verifier.update_environment({"REPLICATOR_VERIFY_ENABLED": wanted})
        if many:
            for account in (self.source.id, self.destination.id):
                patches.quota_max[(account, "ManualSnapshots")] = 10000
                patches.quota_max[(account, "DBInstances")] = 10000

    def create(self, n: int, *, cluster_every: int = 4, prefix: str = "fleet-db", sizes=None,
               tagged: bool = True) -> list[dict]:
        """n source databases in the fleet source account, every cluster_every-th an Aurora PostgreSQL cluster
        (when this build replicates clusters; 0: instances only), AllocatedStorage spread over 20..200 GiB."""
        rds = self.source.client("rds")
        clusters = cluster_every and clusters_supported()
        made = []
        for i in range(n):
            gib = sizes[i] if sizes else 20 + (i * 47) % 181
            tags = [{"Key": TAG_KEY, "Value": TAG_VALUE}] if tagged else []
            name = f"{prefix}-{i:03d}"
            if clusters and i % cluster_every == cluster_every - 1:
                rds.create_db_cluster(DBClusterIdentifier=name, Engine="aurora-postgresql", EngineVersion="16.4",
                                      MasterUsername="postgres", MasterUserPassword="source-password-1",
                                      StorageEncrypted=True, AllocatedStorage=gib, Tags=tags)
                made.append({"id": name, "kind": "cluster", "gib": gib})
            else:
                rds.create_db_instance(DBInstanceIdentifier=name, Engine="postgres", EngineVersion="16.4",
                                       DBInstanceClass="db.t3.micro", MasterUsername="postgres",
                                       MasterUserPassword="source-password-1", AllocatedStorage=gib,
                                       StorageEncrypted=True, Tags=tags)
                made.append({"id": name, "kind": "instance", "gib": gib})
        self.databases += made
        self.cloud.log("rds", f"{self.source.id} {len(made)} fleet databases: "
                              f"{sum(d['kind'] == 'instance' for d in made)} instances, "
                              f"{sum(d['kind'] == 'cluster' for d in made)} clusters")
        return made

    # ---- running -----------------------------------------------------------------------------
    def start(self, name: str, databases: list[dict] | None = None) -> str:
        sm = self.source_stack.outputs["FleetStateMachineArn"]
        body = {} if databases is None else {"databases": [
            {"dbClusterIdentifier" if d["kind"] == "cluster" else "dbInstanceIdentifier": d["id"]} for d in databases]}
        arn = self.source.client("stepfunctions").start_execution(stateMachineArn=sm, name=name,
                                                                   input=json.dumps(body))["executionArn"]
        self.cloud.log("sfn", f"{self.source.id} started fleet-replication {name}")
        return arn

    def run(self, name: str, databases: list[dict] | None = None, timeout_s: float = 900) -> dict:
        """Starts the fleet and waits until it and every destination run it caused have ended."""
        started = time.time()
        arn = self.start(name, databases)
        fleet = self.wait(self.source, arn, timeout_s)
        report = json.loads(fleet["output"]) if fleet["status"] == "SUCCEEDED" else None
        children = [d for d in (report or {}).get("databases", []) if d["outcome"] == "replicated"]
        destinations = {}
        deadline = time.monotonic() + timeout_s
        dsm = self.destination_stack.outputs["DestinationStateMachineArn"]
        for child in children:
            run_name = child["executionArn"].split(":")[-1]
            destinations[child["database"]] = self.wait(
                self.destination, dsm.replace(":stateMachine:", ":execution:") + ":" + run_name,
                max(1.0, deadline - time.monotonic()))
        ended = max([time.time()] + [d["stopDate"].timestamp() for d in destinations.values() if d.get("stopDate")])
        last = max([d["stopDate"].timestamp() for d in destinations.values() if d.get("stopDate")]
                   + [fleet["stopDate"].timestamp()])
        return {"name": name, "arn": arn, "fleet": fleet, "report": report, "destinations": destinations,
                "started": started, "ended": min(ended, last), "makespan_s": last - fleet["startDate"].timestamp()}

    def wait(self, account, execution_arn: str, timeout_s: float) -> dict:
        sfn = account.client("stepfunctions")
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                d = sfn.describe_execution(executionArn=execution_arn)
                if d["status"] != "RUNNING":
                    return d
            except sfn.exceptions.ExecutionDoesNotExist:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{execution_arn} did not end within {timeout_s:.0f} s")
            time.sleep(1.0)  # the test follows the emulator; the product itself never polls

    # ---- measurements --------------------------------------------------------------------------
    def ideal(self, databases: list[dict] | None = None) -> tuple[float, str]:
        """The quota-bound ideal (see the module's docstring) and the formula with its numbers."""
        sim = self.cloud.rds
        dbs = databases or self.databases
        s = sim.delay_s
        r = 3 * sim.delay_s   # an instance: restore (2 x delay) + password reset (1 x delay)
        rc = 4 * sim.delay_s  # a cluster: restore (2 x delay) + writer (1 x delay) + password reset (1 x delay)

        def chain(d):  # a cluster is restored from the shared snapshot: one copy, at the source
            c = sim.copy_duration_s(d["gib"])
            return s + c + rc if d["kind"] == "cluster" else s + 2 * c + r
        longest = max(chain(d) for d in dbs)
        terms = [f"max_i(chain_i) = {longest:.1f}"]
        best = longest
        for kind in ("instance", "cluster"):
            cs = [sim.copy_duration_s(d["gib"]) for d in dbs if d["kind"] == kind]
            q = sim.copy_quota.get(kind) or len(cs) or 1
            if not cs:
                continue
            if kind == "instance":
                bound = s + min(cs) + sum(cs) / q + r
                terms.append(f"instance: s + min c + sum(c)/Q + r = {s:.1f} + {min(cs):.1f} + {sum(cs):.0f}/{q} + "
                             f"{r:.1f} = {bound:.1f}")
            else:
                bound = s + sum(cs) / q + rc
                terms.append(f"cluster: s + sum(c)/Q + r_c = {s:.1f} + {sum(cs):.0f}/{q} + {rc:.1f} = {bound:.1f}")
            best = max(best, bound)
        formula = (f"ideal = max(max_i(chain_i), instance bound, cluster bound); chain_i = s + 2c_i + r (instance), "
                   f"s + c_i + r_c (cluster: restored from the shared snapshot, no second copy); s = {s:.1f} s "
                   f"(snapshot), c_i = {sim.copy_base_s if sim.copy_base_s is not None else sim.delay_s:.1f} s + "
                   f"{sim.copy_per_gib_s:.2f} s/GiB (copy), r = {r:.1f} s (restore + password reset), r_c = {rc:.1f} s "
                   f"(cluster restore + writer + password reset): " + "; ".join(terms))
        return best, formula

    def slot_use(self, since: float) -> dict:
        """Per account and kind, from the emulator's copy log (copies started after `since`): how full the copy slots
        were between the first copy's start and the last copy's end (copy-seconds / (Q x that span)), and the
        mean wait from a copy's end to the next copy's start while copies of that kind were still to come."""
        accounts = {self.source.id: "source", self.destination.id: "destination"}
        out = {}
        for (account, _, kind) in {r["key"] for r in self.cloud.rds.copy_log}:
            if account not in accounts:
                continue
            log = sorted((r for r in self.cloud.rds.copy_log if r["key"][0] == account and r["key"][2] == kind
                          and r["started"] >= since and r["finished"]), key=lambda r: r["started"])
            if not log:
                continue
            q = self.cloud.rds.copy_quota.get(kind) or len(log)
            span = max(r["finished"] for r in log) - log[0]["started"]
            busy = sum(r["finished"] - r["started"] for r in log)
            ends = sorted(r["finished"] for r in log)
            starts = [r["started"] for r in log]
            # a copy started while all Q slots were taken is impossible; the n-th start after the first Q reuses the
            # slot of the (n-Q)-th end
            gaps = [starts[i] - ends[i - q] for i in range(q, len(starts)) if starts[i] >= ends[i - q]]
            out[f"{accounts[account]} {kind}"] = (f"{len(log)} copies, slots {100 * busy / (q * span):.0f}% full over "
                                                  f"{span:.0f} s" + (f", a freed slot taken again after "
                                                                     f"{sum(gaps) / len(gaps):.1f} s on average"
                                                                     if gaps else ""))
        return out

    def quota_errors(self) -> int:
        accounts = {self.source.id, self.destination.id}
        return sum(n for (account, _, _), n in self.cloud.rds.quota_errors.items() if account in accounts)

    def copy_peaks(self) -> dict:
        accounts = {self.source.id, self.destination.id}
        return {f"{a} {k}": n for (a, _, k), n in self.cloud.rds.copy_peak.items() if a in accounts}

    def failed_by_quotas(self, run: dict) -> list[str]:
        """Runs (source or destination) that failed because of a copy quota: CopyQuota/SnapshotQuota, or a
        wait for headroom that gave up."""
        out = []
        for d in (run["report"] or {}).get("databases", []):
            if d["outcome"] == "failed" and any(w in f"{d.get('error')} {d.get('failedStep')} {d.get('cause')}"
                                                for w in ("Quota", "headroom")):
                out.append(f"source {d['database']}")
        for db, dst in run["destinations"].items():
            if dst["status"] != "SUCCEEDED":
                history = self.destination.client("stepfunctions").get_execution_history(
                    executionArn=dst["executionArn"], maxResults=1000)["events"]
                text = json.dumps([e.get("stateEnteredEventDetails", {}).get("name") for e in history])
                if "headroom" in text or "Quota" in json.dumps(history, default=str):
                    out.append(f"destination {db}")
        return out

    def costs(self, run: dict) -> dict:
        """State transitions and Lambda invocations per database, source (child + its Map item + a share of the
        fleet's own) and destination, from the executions' histories."""
        n = max(1, len(self.databases_of(run)))
        ft, fl = self.cloud.transitions(self.source, run["arn"])
        st = sl = 0
        for d in (run["report"] or {}).get("databases", []):
            if d.get("executionArn") and d["outcome"] != "superseded":
                t, l = self.cloud.transitions(self.source, d["executionArn"])
                st, sl = st + t, sl + l
        dt = dl = 0
        for dst in run["destinations"].values():
            t, l = self.cloud.transitions(self.destination, dst["executionArn"])
            dt, dl = dt + t, dl + l
        nd = max(1, len(run["destinations"]))
        return {"source transitions": (st + ft) / n, "source Lambda": (sl + fl) / n,
                "destination transitions": dt / nd, "destination Lambda": dl / nd,
                "fleet's own transitions": ft, "fleet's own Lambda": fl}

    def databases_of(self, run: dict) -> list:
        return (run["report"] or {}).get("databases", [])

    def secrets_check(self, run: dict) -> tuple[bool | None, str]:
        """Every destination secret points at its new copy: the per-database secret
        rds-replicator/<sourceAccountId>/<instance> (or .../cluster/<cluster>) names the instance (cluster) the
        destination run switched to.
        None when this build has no per-database secrets."""
        sm = self.destination.client("secretsmanager")
        good, bad, missing = 0, [], 0
        clusters = {d["id"] for d in self.databases if d["kind"] == "cluster"}
        for db, dst in run["destinations"].items():
            # An Aurora cluster's secret is rds-replicator/<sourceAccountId>/cluster/<cluster>.
            name = f"rds-replicator/{self.source.id}/{'cluster/' if db in clusters else ''}{db}"
            try:
                value = json.loads(sm.get_secret_value(SecretId=name)["SecretString"])
            except sm.exceptions.ResourceNotFoundException:
                missing += 1
                continue
            out = json.loads(dst.get("output") or "{}")
            current = (out.get("switch") or {}).get("currentInstance")
            named = value.get("dbInstanceIdentifier") or value.get("dbClusterIdentifier")
            if current and named == current:
                good += 1
            else:
                bad.append(f"{db}: secret names {named}, the run switched to {current}")
        if missing == len(run["destinations"]):
            return None, ("skipped: this build has no per-database secrets (rds-replicator/<sourceAccountId>/"
                          "<sourceIdentifier>)")
        return (not bad and not missing), (f"{good} of {len(run['destinations'])} per-database secrets point at "
                                           f"their new copy" + (f"; {missing} missing" if missing else "")
                                           + ("; " + "; ".join(bad[:5]) if bad else ""))

    def measurements(self, run: dict) -> str:
        report = run["report"] or {}
        ideal, formula = self.ideal()
        makespan = run["makespan_s"]
        costs = self.costs(run)
        totals = report.get("totals", {})
        dst_ok = sum(1 for d in run["destinations"].values() if d["status"] == "SUCCEEDED")
        secrets_ok, secrets_text = self.secrets_check(run)
        failed_q = self.failed_by_quotas(run)
        lines = ["", "== Fleet benchmark",
                 f"databases: {len(self.databases)} ({sum(d['kind'] == 'instance' for d in self.databases)} instances, "
                 f"{sum(d['kind'] == 'cluster' for d in self.databases)} clusters); copy quotas: "
                 f"instance {self.cloud.rds.copy_quota.get('instance')}, cluster {self.cloud.rds.copy_quota.get('cluster')}",
                 f"fleet report: {totals}; destination runs succeeded: {dst_ok} of {len(run['destinations'])}",
                 f"makespan: {makespan:.1f} s (fleet start to the last destination run's end)",
                 f"quota-bound ideal: {ideal:.1f} s",
                 f"  {formula}",
                 f"ratio makespan / ideal: {makespan / ideal:.3f}",
                 f"quota errors hit (SnapshotQuotaExceeded raised by the emulator): {self.quota_errors()}; "
                 f"peak copies in progress: {self.copy_peaks()}",
                 f"runs failed by quotas: {len(failed_q)}" + (f" ({', '.join(failed_q)})" if failed_q else ""),
                 "copy slots: " + "; ".join(f"{k}: {v}" for k, v in sorted(self.slot_use(run["started"]).items())),
                 "per database: source {:.1f} state transitions / {:.1f} Lambda invocations (child, its Map item and "
                 "a share of the fleet's {} transitions / {} invocations); destination {:.1f} transitions / {:.1f} "
                 "Lambda invocations".format(costs["source transitions"], costs["source Lambda"],
                                             costs["fleet's own transitions"], costs["fleet's own Lambda"],
                                             costs["destination transitions"], costs["destination Lambda"]),
                 f"destination secrets: {secrets_text}"]
        busiest = sorted(((fn.stats.invocations, sum(fn.stats.durations_s), fn.name, fn.account, fn.peak_concurrency)
                          for fn in self.cloud.lambdas.functions.values()
                          if fn.account in (self.source.id, self.destination.id)), reverse=True)[:4]
        lines.append(f"busiest local functions (at most {self.cloud.lambdas.max_concurrency} execution environment(s) "
                     f"each): " + ", ".join(f"{name}@{acct[-4:]} {n} calls / {busy:.1f} s busy / {peak} at once"
                                            for n, busy, name, acct, peak in busiest))
        return "\n".join(lines)
