"""Makes moto's RDS behave in time like RDS: new snapshots, copies and restored instances start in
`creating` and become `available` after a delay, and every state change is announced as an
`aws.rds` event (EventBridge shape, AWS's event ids) to the local bus. A master password reset is
asynchronous as in RDS: `resetting-master-credentials` with `PendingModifiedValues.MasterUserPassword`
until it is in effect, then RDS-EVENT-0016. Faults can be injected: API errors (throttling, copy quota)
and resources that end `failed`; resets, and copies into chosen accounts (a slow destination), can be held
until released. A copy from another Region is announced as RDS does: RDS-EVENT-0059/0060/0061 in the
destination Region, not 0196/0197/0190.

Aurora cluster snapshots (separate functions below): a manual cluster snapshot goes `creating` -> `available`
with RDS-EVENT-0074/0075 (`RDS DB Cluster Snapshot Event`, SourceType `CLUSTER_SNAPSHOT`); a cluster-snapshot
copy goes `copying` -> `available` after the delay and announces NOTHING (RDS has no copy event for cluster
snapshots); deleting a cluster snapshot announces nothing either (RDS documents no such event).

Copy quotas as RDS enforces them: at most `copy_quota["instance"]` DB snapshot copies and
`copy_quota["cluster"]` DB cluster snapshot copies in progress per account and Region (None: no limit); one
more is refused with `SnapshotQuotaExceeded`. Every copy passes `copy_started(backend, kind)` and
`copy_finished(backend, kind)` (the cluster copy patch calls the same pair); the refusals are counted in
`quota_errors`, the highest count in progress in `copy_peak`. A copy takes `copy_base_s + copy_per_gib_s *
AllocatedStorage` seconds (`delay_s` when copy_base_s is None), so a fleet has a realistic spread.

Aurora clusters (destination side, `_patch_clusters`): a cluster restored from a (shared) cluster snapshot is
`creating`, then `available` with RDS-EVENT-0170 (`RDS DB Cluster Event`, SourceType `CLUSTER`); an instance
created in a cluster (its writer) is `creating`, then `available` with RDS-EVENT-0005; `ModifyDBCluster` with a
master password leaves `PendingModifiedValues.MasterUserPassword` set until it is in effect, then RDS-EVENT-0016 for
the cluster; a deleted cluster is announced with RDS-EVENT-0171.
"""
from __future__ import annotations

import heapq
import threading
import time


class RdsSimulator:
    def __init__(self, bus, log):
        self.bus, self.log = bus, log
        self.delay_s = 2.0
        self.fail_next_snapshot = False       # next created snapshot ends 'failed'
        self.api_faults: dict[str, list] = {}  # operation -> exceptions to raise, in order
        self.calls: dict[str, int] = {}
        self.resets: list[dict] = []           # every password reset: account, instance, started, effective
        self.available_at: dict[str, float] = {}  # instance id -> when its restore finished
        self.hold_resets_of: set[str] = set()  # replication ids whose password resets wait for release_resets
        self.on_password_in_effect: list = []  # callbacks (backend, db, password) when a reset takes effect (pg_sim)
        self._held_resets: list = []
        self.hold_copies_in: set[str] = set()  # accounts whose snapshot copies stay 'creating' until release_copies
        self._held_copies: list = []
        self._held_copies_log: list = []
        # Copy quotas and durations (see the module's docstring).
        self.copy_quota: dict[str, int | None] = {"instance": None, "cluster": None}
        self.copy_base_s: float | None = None
        self.copy_per_gib_s = 0.0
        self.copies_in_progress: dict[tuple, int] = {}  # (account, region, kind) -> copies in progress
        self.copy_peak: dict[tuple, int] = {}           # (account, region, kind) -> highest count seen
        self.quota_errors: dict[tuple, int] = {}        # (account, region, kind) -> SnapshotQuotaExceeded raised
        self.copy_log: list[dict] = []                  # every copy: account, kind, id, started, finished
        self._quota_lock = threading.Lock()
        self._queue: list = []
        self._seq = 0
        self._cv = threading.Condition()
        threading.Thread(target=self._run, daemon=True, name="rds-sim").start()
        self.on_cluster_password_in_effect: list = []  # callbacks (backend, cluster, password) (pg_sim)
        self.cluster_resets: list[dict] = []  # every cluster password reset: account, cluster, started, effective
        self._sim_clusters: set[str] = set()  # cluster ARNs whose status this simulator drives
        self._patch()
        self._patch_cluster_snapshots()
        self._patch_clusters()

    # ---- faults --------------------------------------------------------------------------
    def inject(self, operation: str, *errors):
        self.api_faults.setdefault(operation, []).extend(errors)

    @staticmethod
    def throttling():
        from moto.rds.exceptions import RDSClientError
        e = RDSClientError("Throttling", "Rate exceeded")
        return e

    @staticmethod
    def copy_quota():
        from moto.rds.exceptions import RDSClientError
        return RDSClientError("SnapshotQuotaExceeded",
                              "Cannot copy more snapshots: 20 snapshot copies are already in progress")

    # ---- copy quotas ----------------------------------------------------------------------
    def copy_started(self, backend, kind: str, identifier: str = "") -> dict:
        """Takes a copy slot of `kind` ("instance" | "cluster") in the backend's account and Region, or raises
        SnapshotQuotaExceeded as RDS does. Returns the copy's record for copy_finished."""
        key = (backend.account_id, backend.region_name, kind)
        with self._quota_lock:
            limit = self.copy_quota.get(kind)
            n = self.copies_in_progress.get(key, 0)
            if limit is not None and n >= limit:
                self.quota_errors[key] = self.quota_errors.get(key, 0) + 1
                from moto.rds.exceptions import RDSClientError
                self.log("rds", f"{backend.account_id} {kind} copy {identifier} refused: {n} copies in progress "
                                f"(quota {limit})")
                raise RDSClientError("SnapshotQuotaExceeded", f"Cannot start another copy: {n} {kind} snapshot "
                                                              f"copies are already in progress (quota {limit})")
            self.copies_in_progress[key] = n + 1
            self.copy_peak[key] = max(self.copy_peak.get(key, 0), n + 1)
            record = {"key": key, "id": identifier, "started": time.time(), "finished": None}
            self.copy_log.append(record)
            return record

    def copy_finished(self, record: dict):
        """Frees the slot copy_started took (once, whatever ends the copy)."""
        with self._quota_lock:
            if record["finished"] is None:
                record["finished"] = time.time()
                self.copies_in_progress[record["key"]] -= 1

    def copy_duration_s(self, allocated_gib) -> float:
        if self.copy_base_s is None:
            return self.delay_s
        return self.copy_base_s + self.copy_per_gib_s * float(allocated_gib or 0)

    def _fault(self, op):
        self.calls[op] = self.calls.get(op, 0) + 1
        queue = self.api_faults.get(op)
        if queue:
            err = queue.pop(0)
            self.log("rds", f"injected fault on {op}: {getattr(err, 'code', type(err).__name__)}")
            raise err

    def release_resets(self):
        """Finishes the password resets held by hold_resets_of (it is emptied)."""
        self.hold_resets_of = set()
        held, self._held_resets = self._held_resets, []
        for fn in held:
            self._later(0.1, fn)

    def release_copies(self):
        """Finishes the copies held by hold_copies_in (it is emptied)."""
        self.hold_copies_in = set()
        held, self._held_copies = self._held_copies, []
        for fn in held:
            self._later(0.1, fn)

    def held_copies(self) -> list[str]:
        return [snap.db_snapshot_identifier for snap, _ in self._held_copies_log if snap.status == "creating"]

    def held_resets(self) -> list[str]:
        return [r["instance"] for r in self.resets if r.get("held") and r["effective"] is None]

    # ---- timeline ------------------------------------------------------------------------
    def _later(self, delay, fn):
        with self._cv:
            self._seq += 1
            heapq.heappush(self._queue, (time.monotonic() + delay, self._seq, fn))
            self._cv.notify()

    def _run(self):
        while True:
            with self._cv:
                while not self._queue or self._queue[0][0] > time.monotonic():
                    self._cv.wait(None if not self._queue else max(0.0, self._queue[0][0] - time.monotonic()))
                _, _, fn = heapq.heappop(self._queue)
            try:
                fn()
            except Exception as e:  # keep the simulator alive; the run's assertions will tell
                self.log("rds", f"simulator error: {e!r}")

    def _announce(self, backend, detail_type, source_type, arn, event_id, message):
        self.bus.rds_event(backend.account_id, backend.region_name, detail_type, source_type, arn, event_id, message)

    def _snapshot_lifecycle(self, backend, snap, started_id, done_id, what, failed_id="RDS-EVENT-0190",
                            hold=False, duration_s=None, on_done=None):
        fail = self.fail_next_snapshot
        self.fail_next_snapshot = False
        snap.status = "creating"
        arn = snap.arn
        self._announce(backend, "RDS DB Snapshot Event", "SNAPSHOT", arn, started_id, f"{what} started")

        def finish():
            if on_done:
                on_done()
            if snap.db_snapshot_identifier not in backend.database_snapshots:
                return
            snap.status = "failed" if fail else "available"
            self.log("rds", f"{backend.account_id} snapshot {snap.db_snapshot_identifier} is {snap.status}")
            self._announce(backend, "RDS DB Snapshot Event", "SNAPSHOT", arn,
                           failed_id if fail else done_id, f"{what} {'failed' if fail else 'finished'}")
        if hold:
            self.log("rds", f"{backend.account_id} snapshot {snap.db_snapshot_identifier}: copy held (slow destination)")
            self._held_copies.append(finish)
            self._held_copies_log.append((snap, finish))
        else:
            self._later(self.delay_s if duration_s is None else duration_s, finish)

    def _patch(self):
        from moto.rds import models as rds
        sim = self
        B = rds.RDSBackend
        create, copy_, restore = B.create_db_snapshot, B.copy_db_snapshot, B.restore_db_instance_from_db_snapshot
        delete_snap, delete_db, modify_attr = B.delete_db_snapshot, B.delete_db_instance, B.modify_db_snapshot_attribute

        def create_db_snapshot(self, *a, **kw):
            sim._fault("CreateDBSnapshot")
            snap = create(self, *a, **kw)
            if snap.snapshot_type == "manual":
                sim._snapshot_lifecycle(self, snap, "RDS-EVENT-0040", "RDS-EVENT-0042", "manual snapshot")
            return snap

        def copy_db_snapshot(self, *a, **kw):
            sim._fault("CopyDBSnapshot")
            source = kw.get("source_db_snapshot_identifier") or kw.get("SourceDBSnapshotIdentifier") or (a[0] if a else "")
            target = kw.get("target_db_snapshot_identifier") or (a[1] if len(a) > 1 else "")
            slot = sim.copy_started(self, "instance", target)
            try:
                snap = copy_(self, *a, **kw)
            except Exception:
                sim.copy_finished(slot)
                raise
            hold = self.account_id in sim.hold_copies_in
            duration = sim.copy_duration_s(getattr(snap.database, "allocated_storage", 0))
            done = lambda: sim.copy_finished(slot)  # noqa: E731
            if source.startswith("arn:") and source.split(":")[3] != self.region_name:
                # RDS announces a copy from another Region with its own ids, in the destination Region.
                sim._snapshot_lifecycle(self, snap, "RDS-EVENT-0059", "RDS-EVENT-0060", "cross-Region snapshot copy",
                                        failed_id="RDS-EVENT-0061", hold=hold, duration_s=duration, on_done=done)
            else:
                sim._snapshot_lifecycle(self, snap, "RDS-EVENT-0196", "RDS-EVENT-0197", "snapshot copy", hold=hold,
                                        duration_s=duration, on_done=done)
            return snap

        def restore_db_instance_from_db_snapshot(self, *a, **kw):
            sim._fault("RestoreDBInstanceFromDBSnapshot")
            db = restore(self, *a, **kw)
            db.status = "creating"
            arn = db.db_instance_arn

            def finish():
                if db.db_instance_identifier not in self.databases:
                    return
                db.status = "available"
                sim.available_at[db.db_instance_identifier] = time.time()
                sim.log("rds", f"{self.account_id} instance {db.db_instance_identifier} is available")
                sim._announce(self, "RDS DB Instance Event", "DB_INSTANCE", arn, "RDS-EVENT-0043",
                              "Restored from snapshot")
            sim._later(sim.delay_s * 2, finish)
            return db

        def delete_db_snapshot(self, identifier):
            sim._fault("DeleteDBSnapshot")
            snap = delete_snap(self, identifier)
            sim._announce(self, "RDS DB Snapshot Event", "SNAPSHOT", snap.arn, "RDS-EVENT-0041",
                          "Deleted manual snapshot")
            return snap

        def delete_db_instance(self, *a, **kw):
            sim._fault("DeleteDBInstance")
            db = delete_db(self, *a, **kw)
            sim._announce(self, "RDS DB Instance Event", "DB_INSTANCE", db.db_instance_arn, "RDS-EVENT-0003",
                          "DB instance deleted")
            return db

        def modify_db_snapshot_attribute(self, *a, **kw):
            sim._fault("ModifyDBSnapshotAttribute")
            return modify_attr(self, *a, **kw)

        modify_db = B.modify_db_instance

        def modify_db_instance(self, db_instance_identifier, db_kwargs):
            sim._fault("ModifyDBInstance")
            password = db_kwargs.get("master_user_password") or db_kwargs.get("MasterUserPassword")
            db = modify_db(self, db_instance_identifier, db_kwargs)
            if not password:
                return db
            # RDS: the new password is pending until the reset is done; the old one keeps working till then.
            db.status = "resetting-master-credentials"
            db.pending_modified_values = {"MasterUserPassword": "****"}
            tags = {t["Key"]: t["Value"] for t in (db.tags or [])}
            record = {"account": self.account_id, "instance": db.db_instance_identifier, "started": time.time(),
                      "effective": None, "held": tags.get("rds-replicator:replication-id") in sim.hold_resets_of}
            sim.resets.append(record)
            arn = db.db_instance_arn

            def finish():
                if db.db_instance_identifier not in self.databases:
                    return
                for hook in sim.on_password_in_effect:
                    hook(self, db, password)
                db.pending_modified_values = None
                db.status = "available"
                record["effective"] = time.time()
                sim.log("rds", f"{self.account_id} instance {db.db_instance_identifier}: new master password in effect")
                sim._announce(self, "RDS DB Instance Event", "DB_INSTANCE", arn, "RDS-EVENT-0016",
                              "Reset master credentials")
            if record["held"]:
                sim.log("rds", f"{self.account_id} instance {db.db_instance_identifier}: password reset held")
                sim._held_resets.append(finish)
            else:
                sim._later(sim.delay_s, finish)
            return db

        B.modify_db_instance = modify_db_instance

        # Describe faults on the API only (moto's own code calls the backend's describe internally).
        from moto.rds import responses
        describe = responses.RDSResponse.describe_db_instances

        def describe_db_instances(self, *a, **kw):
            sim._fault("DescribeDBInstances")
            return describe(self, *a, **kw)

        responses.RDSResponse.describe_db_instances = describe_db_instances
        B.create_db_snapshot = create_db_snapshot
        B.copy_db_snapshot = copy_db_snapshot
        B.restore_db_instance_from_db_snapshot = restore_db_instance_from_db_snapshot
        B.delete_db_snapshot = delete_db_snapshot
        B.delete_db_instance = delete_db_instance
        B.modify_db_snapshot_attribute = modify_db_snapshot_attribute

    # ---- Aurora cluster snapshots ----------------------------------------------------------------------
    def _cluster_snapshot_lifecycle(self, backend, snap, copy: bool, duration_s: float | None = None, on_done=None):
        """creating (copying) -> available after the delay (a copy: duration_s); a created one is announced
        (0074 / 0075), a copy not. on_done runs when it ends (a copy frees its quota slot)."""
        snap.status, snap.percent_progress = ("copying" if copy else "creating"), 0
        arn = snap.arn
        if not copy:
            self._announce(backend, "RDS DB Cluster Snapshot Event", "CLUSTER_SNAPSHOT", arn, "RDS-EVENT-0074",
                           "Creating manual cluster snapshot")

        def finish():
            if on_done:
                on_done()
            if snap.db_cluster_snapshot_identifier not in backend.cluster_snapshots:
                return
            snap.status, snap.percent_progress = "available", 100
            self.log("rds", f"{backend.account_id} cluster snapshot {snap.db_cluster_snapshot_identifier} is "
                            f"available{' (copy: no event)' if copy else ''}")
            if not copy:
                self._announce(backend, "RDS DB Cluster Snapshot Event", "CLUSTER_SNAPSHOT", arn, "RDS-EVENT-0075",
                               "Manual cluster snapshot created")
        self._later(self.delay_s if duration_s is None else duration_s, finish)

    def _patch_cluster_snapshots(self):
        from moto.rds import models as rds
        from moto.rds.exceptions import RDSClientError
        sim = self
        B = rds.RDSBackend
        create, copy_ = B.create_db_cluster_snapshot, B.copy_db_cluster_snapshot

        def create_db_cluster_snapshot(self, *a, **kw):
            sim._fault("CreateDBClusterSnapshot")
            snap = create(self, *a, **kw)
            if snap.snapshot_type == "manual":
                sim._cluster_snapshot_lifecycle(self, snap, copy=False)
            return snap

        def copy_db_cluster_snapshot(self, *a, **kw):
            sim._fault("CopyDBClusterSnapshot")
            source = kw.get("source_db_cluster_snapshot_identifier") or (a[0] if a else "")
            if kw.get("kms_key_id") and not self.get_db_cluster_snapshot(source).storage_encrypted:
                # Aurora cannot encrypt while copying (moto would encrypt the copy).
                raise RDSClientError("InvalidParameterCombination",
                                     "Cannot encrypt an unencrypted DB cluster snapshot during copy")
            target = kw.get("target_db_cluster_snapshot_identifier") or (a[1] if len(a) > 1 else "")
            slot = sim.copy_started(self, "cluster", target)  # the cluster copy quota (5 per account and Region)
            try:
                snap = copy_(self, *a, **kw)
            except Exception:
                sim.copy_finished(slot)
                raise
            cluster = getattr(snap, "cluster", None)
            sim._cluster_snapshot_lifecycle(self, snap, copy=True,
                                            duration_s=sim.copy_duration_s(getattr(cluster, "allocated_storage", 0)),
                                            on_done=lambda: sim.copy_finished(slot))
            return snap

        B.create_db_cluster_snapshot = create_db_cluster_snapshot
        B.copy_db_cluster_snapshot = copy_db_cluster_snapshot
    # ---- Aurora clusters ------------------------------------------------------------------------
    def _patch_clusters(self):
        from moto.rds import models as rds
        sim = self
        B = rds.RDSBackend
        restore_cluster, create_db = B.restore_db_cluster_from_snapshot, B.create_db_instance
        modify_cluster, delete_cluster = B.modify_db_cluster, B.delete_db_cluster
        status = rds.DBCluster.status

        def cluster_status(self):
            # moto reports a new cluster 'available' on first read; a restored one is 'creating' until finish().
            return self._status if self.arn in sim._sim_clusters else status.fget(self)

        rds.DBCluster.status = property(cluster_status, status.fset)

        def restore_db_cluster_from_snapshot(self, from_snapshot_id, overrides):
            sim._fault("RestoreDBClusterFromSnapshot")
            cluster = restore_cluster(self, from_snapshot_id, overrides)
            cluster._status = "creating"
            sim._sim_clusters.add(cluster.arn)
            arn = cluster.arn

            def finish():
                if cluster.db_cluster_identifier not in self.clusters:
                    return
                cluster._status = "available"
                sim.log("rds", f"{self.account_id} cluster {cluster.db_cluster_identifier} is available")
                sim._announce(self, "RDS DB Cluster Event", "CLUSTER", arn, "RDS-EVENT-0170", "DB cluster created")
            sim._later(sim.delay_s * 2, finish)
            return cluster

        def create_db_instance(self, db_kwargs):
            if not db_kwargs.get("db_cluster_identifier"):
                return create_db(self, db_kwargs)
            sim._fault("CreateDBInstance")
            db = create_db(self, db_kwargs)
            db.status = "creating"
            arn = db.db_instance_arn

            def finish():
                if db.db_instance_identifier not in self.databases:
                    return
                db.status = "available"
                sim.log("rds", f"{self.account_id} instance {db.db_instance_identifier} of cluster "
                               f"{db.db_cluster_identifier} is available")
                sim._announce(self, "RDS DB Instance Event", "DB_INSTANCE", arn, "RDS-EVENT-0005", "DB instance created")
            sim._later(sim.delay_s, finish)
            return db

        def modify_db_cluster(self, kwargs):
            sim._fault("ModifyDBCluster")
            password = kwargs.get("master_user_password")
            cluster_id = kwargs.get("db_cluster_identifier")
            answer = modify_cluster(self, kwargs)  # moto answers with a copy of the stored cluster
            if not password:
                return answer
            cluster = self.clusters[cluster_id]
            # RDS: the cluster's new password is pending until the reset is done; the old one works till then.
            cluster.pending_modified_values = answer.pending_modified_values = {"MasterUserPassword": "****"}
            record = {"account": self.account_id, "cluster": cluster.db_cluster_identifier, "started": time.time(),
                      "effective": None}
            sim.cluster_resets.append(record)
            arn = cluster.arn

            def finish():
                if cluster.db_cluster_identifier not in self.clusters:
                    return
                for hook in sim.on_cluster_password_in_effect:
                    hook(self, cluster, password)
                cluster.pending_modified_values = None
                record["effective"] = time.time()
                sim.log("rds", f"{self.account_id} cluster {cluster.db_cluster_identifier}: new master password in "
                               f"effect")
                sim._announce(self, "RDS DB Cluster Event", "CLUSTER", arn, "RDS-EVENT-0016",
                              "Reset master credentials")
            sim._later(sim.delay_s, finish)
            return answer

        def delete_db_cluster(self, *a, **kw):
            sim._fault("DeleteDBCluster")
            cluster = delete_cluster(self, *a, **kw)
            sim._announce(self, "RDS DB Cluster Event", "CLUSTER", cluster.arn, "RDS-EVENT-0171", "DB cluster deleted")
            return cluster

        B.restore_db_cluster_from_snapshot = restore_db_cluster_from_snapshot
        B.create_db_instance = create_db_instance
        B.modify_db_cluster = modify_db_cluster
        B.delete_db_cluster = delete_db_cluster
