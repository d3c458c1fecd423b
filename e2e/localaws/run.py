"""The local run: one complete two-account replication, offline, with the real artifacts.

    python3 -m e2e.localaws.run [--replications N] [--duplicate-events] [--reorder-events]
                                [--event-delay S] [--drop-event RDS-EVENT-0042] [--cross-region]
                                [--dry-run] [--quiet]

Builds nothing itself (tools/local-run.sh does), starts moto on loopback, creates accounts
111111111111 (source) and 222222222222 (destination), deploys template.yaml into each, creates a
demo source instance, starts a replication on demand and prints each step, RDS event and state
transition as it happens, then a summary and the measurements. Exit status 0 means the copy is in
service in the destination account. With --cross-region the source also serves a second destination,
account 444444444444 in us-west-2 (a cross-Region destination), and the copy must be in service in both.
With --dry-run it runs the dry run instead: both preflights and plans, each side's report printed, and a
check that nothing changed in either account (exit status 0).

With --fleet N it runs the fleet benchmark instead (e2e/localaws/fleet.py): N tagged source databases in the
fleet pair (accounts 555555555555 and 666666666666; every --fleet-clusters-th an Aurora cluster when this build
replicates clusters, 0 = instances only), RDS's copy quotas enforced by the emulator and copies taking
--copy-base + --copy-per-gib x AllocatedStorage seconds; it starts the fleet workflow, follows every destination
run to its end and prints the fleet report, the makespan, the quota-bound ideal (with its formula), their ratio,
the quota errors hit, the runs failed by quotas, state transitions and Lambda invocations per database, and the
destination secrets check. Exit status 0 when every database is replicated and restored, and none failed by quotas.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from . import costs
from .cloud import LocalCloud
from .pg import login_with_secret

ROOT = Path(__file__).resolve().parents[2]


def mask(secret: dict) -> dict:
    return {k: ("****" if k == "password" else v) for k, v in secret.items()}


def zip_sizes() -> dict[str, int]:
    return {p.parent.parent.name: p.stat().st_size for p in sorted(ROOT.glob("functions/*/target/function.zip"))}


def verify_seconds(cloud: LocalCloud, execution_arn: str) -> float | None:
    """How long the Verify copy state took (Lambda task scheduled to succeeded), from the history."""
    history = cloud.destination.client("stepfunctions").get_execution_history(
        executionArn=execution_arn, maxResults=1000)["events"]
    entered = [e for e in history if e["type"] == "TaskStateEntered"
               and e["stateEnteredEventDetails"]["name"] == "Verify copy"]
    if not entered:
        return None
    after = [e for e in history if e["id"] > entered[0]["id"] and e["type"] == "TaskStateExited"]
    return (after[0]["timestamp"] - entered[0]["timestamp"]).total_seconds() if after else None


def measurements(cloud: LocalCloud, runs: list[tuple[str, dict, dict]], west_runs: dict | None = None) -> str:
    out = ["", "== Measurements"]
    for name, src, dst in runs:
        st, si = cloud.transitions(cloud.source, src["executionArn"])
        line = f"replication {name}: source {st} state transitions / {si} Lambda tasks"
        if dst:
            dt, di = cloud.transitions(cloud.destination, dst["executionArn"])
            line += f"; destination {dt} transitions / {di} Lambda tasks"
        if west_runs and west_runs.get(name):
            wt, wi = cloud.transitions(cloud.west, west_runs[name]["executionArn"])
            line += f"; cross-Region destination {wt} transitions / {wi} Lambda tasks"
        out.append(line)
        if dst and dst.get("status") == "SUCCEEDED":
            new = json.loads(dst["output"])["switch"]["currentInstance"]
            written = [at for at, value in cloud.faults.secret_writes if f'"{new}"' in value]
            reset = [r for r in cloud.rds.resets if r["instance"] == new and r["effective"]]
            verify = verify_seconds(cloud, dst["executionArn"])
            if verify is not None:
                v = json.loads(dst["output"]).get("verification") or {}
                out.append(f"  {new}: Verify copy state {verify:.2f} s (connect, TLS, log in and query in the function: "
                           f"{v.get('elapsedMs')} ms)")
            if written and new in cloud.rds.available_at and reset:
                out.append(f"  {new}: available -> secret switched {written[-1] - cloud.rds.available_at[new]:.1f} s "
                           f"(password reset in effect after {reset[0]['effective'] - reset[0]['started']:.1f} s; "
                           f"secret written {written[-1] - reset[0]['effective']:.1f} s later)")
    routed = len(cloud.bus.delivered)
    out.append(f"RDS events delivered to rds-event-router: {routed} "
               f"({sum(1 for d in cloud.bus.delivered if d['outcome'] == 'SUCCEEDED')} completed a wait)")
    by_account: dict[str, int] = {}
    for d in cloud.bus.delivered:
        by_account[d["account"]] = by_account.get(d["account"], 0) + 1
    out.append("  by account: " + ", ".join(f"{a} {n}" for a, n in sorted(by_account.items())))
    out.append(f"{'function':<28}{'account':<14}{'invocations':>12}{'cold start':>12}{'warm avg':>11}"
               f"{'RSS MiB':>9}{'zip MiB':>9}")
    sizes = zip_sizes()
    for fn in sorted(cloud.lambdas.functions.values(), key=lambda f: (f.account, f.name)):
        s = fn.stats
        stacks = [cloud.source_stack, cloud.destination_stack] + ([cloud.west_stack] if getattr(cloud, "west_stack", None) else [])
        module = next((s.physical[fn.name].get("Module") for s in stacks if fn.name in s.physical), None)
        warm = f"{1000 * sum(s.durations_s) / len(s.durations_s):.0f} ms" if s.durations_s else "-"
        out.append(f"{fn.name:<28}{fn.account:<14}{s.invocations:>12}"
                   f"{(f'{s.cold_start_s:.2f} s' if s.cold_start_s else '-'):>12}{warm:>11}"
                   f"{(s.rss_kib or 0) / 1024:>9.0f}{sizes.get(module, 0) / 2**20:>9.1f}")
    out.append("")
    out.append("Computed from the ASL (formula in e2e/localaws/costs.py; AWS wait timeout 3600 s):")
    out.append(costs.table(ROOT))
    return "\n".join(out)


def print_dry_run(cloud: LocalCloud, src: dict, dst: dict | None) -> bool:
    """Prints both sides' reports (the executions' outputs); True when both succeeded."""
    print("\n== Dry run")
    if src["status"] != "SUCCEEDED":
        print(f"source: {src['status']} {src.get('error', '')}: {src.get('cause', '')}")
        return False
    a = json.loads(src["output"])["preflight"]["report"]
    q = a.get("manualSnapshots") or {}
    print(f"source account {a['account']}, Region {a['region']}: instance {a['dbInstanceIdentifier']} "
          f"({a['engine']} {a['engineVersion']}), manual snapshots {q.get('used')} of {q.get('max')}, "
          f"key {a['kmsKeyArn']}")
    print(f"  would create snapshot {a['snapshot']} and its shareable copy {a['shareableCopy']}, "
          f"share it with {', '.join(a['destinationAccounts']) or 'no account'}")
    print("  source retention would delete: " + ("; ".join(a["retentionWouldDelete"]) or "nothing"))
    print("  and keep: " + ("; ".join(a["retentionWouldKeep"]) or "nothing"))
    if dst is None or dst["status"] != "SUCCEEDED":
        print(f"destination: {dst['status'] + ' ' + str(dst.get('error', '')) if dst else 'no execution'}")
        return False
    b = json.loads(dst["output"])["preflight"]["report"]
    qi, qs = b.get("dbInstances") or {}, b.get("manualSnapshots") or {}
    print(f"destination account {b['account']}, Region {b['region']}: DB instances {qi.get('used')} of "
          f"{qi.get('max')}, manual snapshots {qs.get('used')} of {qs.get('max')}, key {b['kmsKeyArn']}, "
          f"secret names {b['currentInstance'] or 'no instance yet'}")
    print(f"  would copy {b['sharedSnapshotArn']} to {b['localCopy']} and restore {b['instance']} "
          f"({b['instanceClass']}, subnet group {b['subnetGroup'] or 'default'})")
    print("  instance retention would delete: " + ("; ".join(b["retentionWouldDelete"]) or "nothing"))
    print("  and keep: " + ("; ".join(b["retentionWouldKeep"]) or "nothing"))
    return True


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--instance", default="orders-db")
    ap.add_argument("--replications", type=int, default=1, help="run N replications one after the other")
    ap.add_argument("--event-delay", type=float, default=0.0, help="delay each RDS event by S seconds")
    ap.add_argument("--duplicate-events", action="store_true", help="deliver every RDS event twice")
    ap.add_argument("--reorder-events", action="store_true", help="deliver held RDS events newest first")
    ap.add_argument("--drop-event", action="append", default=[], help="lose RDS events with this EventID")
    ap.add_argument("--wait-timeout", type=int, default=30,
                    help="TimeoutSeconds of the RDS waits in the local run (the template's ASL says 3600)")
    ap.add_argument("--fast-start", action="store_true",
                    help="start all function processes at once (faster; cold starts then overlap on the CPUs)")
    ap.add_argument("--cross-region", action="store_true",
                    help="a second destination: account 444444444444 in us-west-2 (cross-Region), beside the first")
    ap.add_argument("--dry-run", action="store_true",
                    help="run the dry run instead: both preflights and plans, nothing created or changed")
    ap.add_argument("--fleet", type=int, default=0, metavar="N", help="the fleet benchmark with N databases")
    ap.add_argument("--fleet-clusters", type=int, default=4, metavar="K",
                    help="fleet: every K-th database an Aurora cluster (0: instances only)")
    ap.add_argument("--instance-copy-quota", type=int, default=20, help="fleet: DB snapshot copies in progress (RDS: 20)")
    ap.add_argument("--cluster-copy-quota", type=int, default=5, help="fleet: cluster snapshot copies in progress (RDS: 5)")
    # RDS copies a snapshot at roughly 5-10 GiB a minute; the emulator's default copies go ten times faster, and
    # still take long enough that the local runtime's own cost per step (one emulator process, 50 JVMs, 2 cores)
    # does not set the makespan.
    ap.add_argument("--copy-base", type=float, default=30.0, help="fleet: seconds every copy takes")
    ap.add_argument("--copy-per-gib", type=float, default=1.5, help="fleet: seconds a copy takes per GiB allocated")
    ap.add_argument("--concurrency", type=int, default=1,
                    help="fleet: execution environments (processes) per function at most, as Lambda scales out "
                         "(1: one invocation at a time)")
    ap.add_argument("--cluster-copy-check", type=int, default=10,
                    help="fleet: seconds between the checks of a cluster-snapshot copy (the ASL's 300 s, scaled like "
                         "the copies)")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    if args.fleet:
        return fleet_benchmark(args)

    cloud = LocalCloud(ROOT, wait_timeout_seconds=args.wait_timeout, quiet=args.quiet,
                       west_destination=args.cross_region)
    runs = []
    west_runs: dict[str, dict] = {}
    try:
        cloud.start().deploy(args.instance)
        cloud.warm_up(one_by_one=not args.fast_start)
        if args.cross_region:
            cloud.deploy_west()
        cloud.bus.chaos.delay_s = args.event_delay
        cloud.bus.chaos.duplicate = args.duplicate_events
        cloud.bus.chaos.drop_event_ids = set(args.drop_event)
        cloud.bus.chaos.reorder = args.reorder_events
        if args.reorder_events:
            cloud.bus.start_reorder_flusher()
        cloud.create_source_instance(args.instance)
        if args.dry_run:
            footprint = cloud.footprint()
            src, dst = cloud.dry_run(args.instance, f"{args.instance}-dry-run-{int(time.time())}")
            ok = print_dry_run(cloud, src, dst)
            unchanged = cloud.footprint() == footprint
            print("nothing created or changed in either account (snapshots, instances, tags, secret): "
                  + ("yes" if unchanged else "NO"))
            return 0 if ok and unchanged else 1
        before = set(cloud.instances(cloud.destination))
        ok = True
        for i in range(args.replications):
            name = f"{args.instance}-run{i + 1}-{int(time.time())}"
            src, dst = cloud.replicate(args.instance, name)
            runs.append((name, src, dst))
            ok = ok and src["status"] == "SUCCEEDED" and dst is not None and dst["status"] == "SUCCEEDED"
            if args.cross_region and src["status"] == "SUCCEEDED":
                west_runs[name] = cloud.follow(cloud.west, cloud.destination_execution_arn(name, cloud.west_stack))
                ok = ok and west_runs[name]["status"] == "SUCCEEDED"
            if not ok:
                break
        after = cloud.instances(cloud.destination)
        print("\n== Summary")
        for name, src, dst in runs:
            print(f"replication {name}: source {src['status']}, destination {dst['status'] if dst else '-'}")
            if dst and dst["status"] == "SUCCEEDED":
                out = json.loads(dst["output"])
                print(f"  new instance: {out['switch']['currentInstance']} (previous: "
                      f"{out['switch'].get('previousInstance') or 'none'})")
                print(f"  retention deleted: {out['prune'].get('deleted') or 'nothing'}")
                v = out.get("verification") or {}
                print(f"  verification: {v.get('outcome')}, {v.get('query')} validation query returned {v.get('rows')} "
                      f"row(s) (at least {v.get('minRows')} required) over TLS as the secret's user")
            if name in west_runs:
                print(f"  cross-Region destination ({cloud.west.id}, {cloud.west.region}): {west_runs[name]['status']}")
        print("secret now (password masked): " + json.dumps(mask(cloud.secret())))
        if ok:
            secret = cloud.secret()
            good, text = login_with_secret(cloud.pg.bin, secret, "SELECT count(*) FROM orders")
            print(f"client login with the promoted secret ({secret['username']}@{secret['host']}:{secret['port']}, "
                  f"sslmode=require): " + (f"OK, {text} orders" if good else f"FAILED: {text}"))
            ok = ok and good
        print(f"destination instances: {sorted(after)} (created by this run: {sorted(set(after) - before)})")
        if args.cross_region:
            print(f"cross-Region secret ({cloud.west.region}, password masked): "
                  + json.dumps(mask(cloud.secret(cloud.west, cloud.west_stack))))
            print(f"cross-Region destination instances: {sorted(cloud.instances(cloud.west))}")
        print(measurements(cloud, runs, west_runs))
        return 0 if ok else 1
    finally:
        cloud.stop()


def fleet_benchmark(args) -> int:
    from .fleet import Fleet, clusters_supported
    # Waits re-arm after --wait-timeout; in the benchmark they should not (the ASL's 3600 s): a copy takes minutes.
    wait_timeout = args.wait_timeout if args.wait_timeout != 30 else 900
    cloud = LocalCloud(ROOT, wait_timeout_seconds=wait_timeout, quiet=True)
    # A cluster-snapshot copy has no RDS event: the ASL checks it every 300 s, for copies of tens of minutes. The
    # benchmark's copies take 1/30 of that time or less, so its check is scaled the same way.
    cloud.check_timeout_seconds = args.cluster_copy_check
    try:
        cloud.start()
        # Lambda runs concurrent invocations of a function in separate execution environments; the local runtime
        # has one per function unless told otherwise (the scenarios), which would queue a fleet's calls.
        cloud.lambdas.max_concurrency = args.concurrency
        # Start the pair's 23 function processes one after the other: all at once they can take longer than an
        # invocation's timeout on a busy 2-core machine.
        warm_up = cloud.warm_up
        cloud.warm_up = lambda one_by_one=False, only=None: warm_up(one_by_one=True, only=only)
        # No real databases behind the fleet's instances: the destination restores and promotes without logging in.
        cloud.deploy_fleet(destination_params={"VerifyCopy": "false"})
        fleet = Fleet(cloud)
        cloud.rds.copy_base_s, cloud.rds.copy_per_gib_s = args.copy_base, args.copy_per_gib
        fleet.configure(instance_quota=args.instance_copy_quota, cluster_quota=args.cluster_copy_quota,
                        many=args.fleet > 30)
        if args.fleet_clusters and not clusters_supported():
            print("this build's source workflow takes no Aurora clusters yet: the fleet is instances only")
        fleet.create(args.fleet, cluster_every=args.fleet_clusters)
        print(f"== Fleet of {args.fleet}: started (waits re-arm after {wait_timeout} s, a cluster copy is checked "
              f"every {args.cluster_copy_check} s)")
        run = fleet.run(f"fleet-bench-{int(time.time())}", timeout_s=max(900.0, 30.0 * args.fleet))
        print(f"fleet execution: {run['fleet']['status']}")
        report = run["report"] or {}
        print(f"{'database':<16}{'kind':<10}{'outcome':<12}{'source s':>9}  destination")
        for d in report.get("databases", []):
            dst = run["destinations"].get(d["database"])
            dst_text = "-" if dst is None else f"{dst['status']} " \
                f"{(dst['stopDate'] - dst['startDate']).total_seconds():.0f} s"
            extra = f"  {d.get('error')} at {d.get('failedStep')}: {(d.get('cause') or '')[:300]}" \
                if d["outcome"] == "failed" else ""
            print(f"{d['database']:<16}{d['kind']:<10}{d['outcome']:<12}{d.get('seconds') or 0:>9}  {dst_text}{extra}")
        print(fleet.measurements(run))
        ok = (report.get("totals", {}).get("replicated") == args.fleet
              and all(d["status"] == "SUCCEEDED" for d in run["destinations"].values())
              and not fleet.failed_by_quotas(run))
        return 0 if ok else 1
    finally:
        cloud.stop()


if __name__ == "__main__":
    sys.exit(main())
