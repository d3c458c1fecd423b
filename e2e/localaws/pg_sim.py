"""Connects the emulated RDS instances to real PostgreSQL servers (pg.py), on top of rds_sim.py:

- an instance's endpoint (Describe -> Endpoint.Address/Port, and so the secret's host/port) is
  127.0.0.1 and the port of its own server, so the functions reach the right database;
- CreateDBSnapshot dumps the instance's database (after one more demo order, the traffic since the
  last snapshot); CopyDBSnapshot hands the copy the same dump; RestoreDBInstanceFromDBSnapshot starts a
  server loaded with the snapshot's dump, its master password the source's; DeleteDBInstance stops it;
- a master password reset, when it takes effect, really changes the role's password.

Aurora clusters (`attach_source_cluster`, `_patch_clusters`): a source cluster has its own server with the demo
data; CreateDBClusterSnapshot dumps it; RestoreDBClusterFromSnapshot (a shared snapshot too) starts a server
loaded with that dump, its master password the source's; the cluster's writer endpoint (`Endpoint`, `Port`) is that
server on 127.0.0.1; a cluster password reset, when it takes effect, changes the role's password; DeleteDBCluster
stops the server.

Faults for the scenarios: `keep_old_password_next` (RDS reports the reset in effect, the database kept
the old password) and `unreachable_next_restore` (the next restored instance's endpoint accepts
connections and never answers).
"""
from __future__ import annotations

import threading

from .pg import PgServers, SilentEndpoint


class DatabaseSim:
    def __init__(self, servers: PgServers, rds_sim, log):
        self.pg, self.log = servers, log
        self.keep_old_password_next = False
        self.unreachable_next_restore = False
        self.traffic = True  # one new order before each snapshot; False: the source stopped receiving writes
        self.silent: SilentEndpoint | None = None
        self.endpoints: dict[str, int] = {}  # instance ARN -> port on 127.0.0.1
        self.snapshot_orders: dict[str, int] = {}  # snapshot ARN -> orders in its data
        self.restored_orders: dict[str, int] = {}  # instance ARN -> orders in the snapshot it was restored from
        rds_sim.on_password_in_effect.append(self._password_in_effect)
        rds_sim.on_cluster_password_in_effect.append(self._cluster_password_in_effect)
        self._patch()
        self._patch_clusters()

    # ---- hooks -----------------------------------------------------------------------------
    def attach_source(self, backend, db):
        """A source instance created by the run: a server with the demo data."""
        # moto keeps the master password in _master_user_password (its property raises, as RDS never returns it).
        server = self.pg.start_instance(db.arn, db.db_instance_identifier, db.master_username,
                                        db._master_user_password, seed_demo=True)
        self.endpoints[db.arn] = server.port
        db.port = server.port
        self.log("pg", f"{backend.account_id} {db.db_instance_identifier}: PostgreSQL on 127.0.0.1:{server.port} "
                       f"with the demo data ({self.orders(db.arn)} orders)")

    def orders(self, instance_arn: str) -> int:
        return int(self.pg.query(instance_arn, "SELECT count(*) FROM orders;"))

    def _password_in_effect(self, backend, db, password):
        if db.arn not in self.pg.servers:
            return
        if self.keep_old_password_next:
            self.keep_old_password_next = False
            self.log("pg", f"{backend.account_id} {db.db_instance_identifier}: injected fault, the database kept "
                           f"the old password")
            return
        self.pg.set_password(db.arn, password)
        self.log("pg", f"{backend.account_id} {db.db_instance_identifier}: master password changed in the database")

    def _patch(self):
        from moto.rds import models as rds
        sim = self
        B = rds.RDSBackend
        create, copy_, restore, delete = (B.create_db_snapshot, B.copy_db_snapshot,
                                          B.restore_db_instance_from_db_snapshot, B.delete_db_instance)
        address = rds.DBInstance.address

        def snapshot_arn(backend, identifier):
            if identifier.startswith("arn:"):
                return identifier
            return f"arn:aws:rds:{backend.region_name}:{backend.account_id}:snapshot:{identifier}"

        def create_db_snapshot(self, db_instance_identifier, db_snapshot_identifier, *a, **kw):
            snap = create(self, db_instance_identifier, db_snapshot_identifier, *a, **kw)
            db = self.databases.get(db_instance_identifier)
            if db is not None and db.arn in sim.pg.servers and snap.snapshot_type == "manual":
                if sim.traffic:
                    sim.pg.query(db.arn, "INSERT INTO orders (customer, amount) VALUES ('walk-in', 42);")
                sim.pg.snapshot(db.arn, snap.arn)
                sim.snapshot_orders[snap.arn] = sim.orders(db.arn)
            return snap

        def copy_db_snapshot(self, source_db_snapshot_identifier, target_db_snapshot_identifier, *a, **kw):
            snap = copy_(self, source_db_snapshot_identifier, target_db_snapshot_identifier, *a, **kw)
            source = snapshot_arn(self, source_db_snapshot_identifier)
            sim.pg.copied(source, snap.arn)
            if source in sim.snapshot_orders:
                sim.snapshot_orders[snap.arn] = sim.snapshot_orders[source]
            return snap

        def restore_db_instance_from_db_snapshot(self, from_snapshot_id, overrides, *a, **kw):
            db = restore(self, from_snapshot_id, overrides, *a, **kw)
            if sim.unreachable_next_restore:
                sim.unreachable_next_restore = False
                sim.silent = sim.silent or SilentEndpoint()
                sim.endpoints[db.arn] = sim.silent.port
                db.port = sim.silent.port
                sim.log("pg", f"{self.account_id} {db.db_instance_identifier}: injected fault, the endpoint "
                              f"127.0.0.1:{db.port} accepts connections and never answers")
                return db
            dump = sim.pg.dumps.get(snapshot_arn(self, from_snapshot_id))
            if dump is None:
                return db
            server = sim.pg.start_instance(db.arn, db.db_instance_identifier, db.master_username,
                                           db._master_user_password, dump=dump)
            sim.endpoints[db.arn] = server.port
            db.port = server.port
            sim.restored_orders[db.arn] = sim.orders(db.arn)
            sim.log("pg", f"{self.account_id} {db.db_instance_identifier}: PostgreSQL on 127.0.0.1:{server.port} "
                          f"with the snapshot's data ({sim.restored_orders[db.arn]} orders)")
            return db

        def delete_db_instance(self, *a, **kw):
            db = delete(self, *a, **kw)
            sim.endpoints.pop(db.arn, None)
            threading.Thread(target=sim.pg.stop_instance, args=(db.arn,), daemon=True).start()
            return db

        def endpoint_address(self):
            # An instance with a real (or deliberately silent) server is reached on loopback.
            return "127.0.0.1" if self.arn in sim.endpoints else address.fget(self)

        B.create_db_snapshot = create_db_snapshot
        B.copy_db_snapshot = copy_db_snapshot
        B.restore_db_instance_from_db_snapshot = restore_db_instance_from_db_snapshot
        B.delete_db_instance = delete_db_instance
        rds.DBInstance.address = property(endpoint_address)

    # ---- Aurora clusters ----------------------------------------------------------------------
    def attach_source_cluster(self, backend, cluster):
        """A source cluster created by a scenario: a server with the demo data behind its writer endpoint."""
        server = self.pg.start_instance(cluster.arn, cluster.db_cluster_identifier, cluster.master_username,
                                        cluster._master_user_password, seed_demo=True)
        self.endpoints[cluster.arn] = server.port
        cluster.port = server.port
        self.log("pg", f"{backend.account_id} cluster {cluster.db_cluster_identifier}: PostgreSQL on "
                       f"127.0.0.1:{server.port} with the demo data ({self.orders(cluster.arn)} orders)")

    def _cluster_password_in_effect(self, backend, cluster, password):
        if cluster.arn in self.pg.servers:
            self.pg.set_password(cluster.arn, password)
            self.log("pg", f"{backend.account_id} cluster {cluster.db_cluster_identifier}: master password changed "
                           f"in the database")

    def _patch_clusters(self):
        from moto.rds import models as rds
        sim = self
        B = rds.RDSBackend
        snapshot, restore, delete = (B.create_db_cluster_snapshot, B.restore_db_cluster_from_snapshot,
                                     B.delete_db_cluster)
        copy_ = B.copy_db_cluster_snapshot
        endpoint = rds.DBCluster.endpoint

        def cluster_snapshot_arn(backend, identifier):
            if identifier.startswith("arn:"):
                return identifier
            return f"arn:aws:rds:{backend.region_name}:{backend.account_id}:cluster-snapshot:{identifier}"

        def create_db_cluster_snapshot(self, db_cluster_identifier, db_cluster_snapshot_identifier, *a, **kw):
            snap = snapshot(self, db_cluster_identifier, db_cluster_snapshot_identifier, *a, **kw)
            cluster = self.clusters.get(db_cluster_identifier)
            if cluster is not None and cluster.arn in sim.pg.servers:
                if sim.traffic:
                    sim.pg.query(cluster.arn, "INSERT INTO orders (customer, amount) VALUES ('walk-in', 42);")
                sim.pg.snapshot(cluster.arn, snap.arn)
                sim.snapshot_orders[snap.arn] = sim.orders(cluster.arn)
            return snap

        def copy_db_cluster_snapshot(self, source_db_cluster_snapshot_identifier, target_db_cluster_snapshot_identifier,
                                     *a, **kw):
            # The source side's re-encrypted copy holds the same data as the snapshot it copies.
            snap = copy_(self, source_db_cluster_snapshot_identifier, target_db_cluster_snapshot_identifier, *a, **kw)
            source = cluster_snapshot_arn(self, source_db_cluster_snapshot_identifier)
            sim.pg.copied(source, snap.arn)
            if source in sim.snapshot_orders:
                sim.snapshot_orders[snap.arn] = sim.snapshot_orders[source]
            return snap

        def restore_db_cluster_from_snapshot(self, from_snapshot_id, overrides):
            cluster = restore(self, from_snapshot_id, overrides)
            source = cluster_snapshot_arn(self, from_snapshot_id)
            dump = sim.pg.dumps.get(source)
            if dump is None:
                return cluster
            server = sim.pg.start_instance(cluster.arn, cluster.db_cluster_identifier, cluster.master_username,
                                           cluster._master_user_password, dump=dump)
            sim.endpoints[cluster.arn] = server.port
            cluster.port = server.port
            sim.restored_orders[cluster.arn] = sim.orders(cluster.arn)
            sim.log("pg", f"{self.account_id} cluster {cluster.db_cluster_identifier}: PostgreSQL on "
                          f"127.0.0.1:{server.port} with the snapshot's data ({sim.restored_orders[cluster.arn]} orders)")
            return cluster

        def delete_db_cluster(self, *a, **kw):
            cluster = delete(self, *a, **kw)
            sim.endpoints.pop(cluster.arn, None)
            threading.Thread(target=sim.pg.stop_instance, args=(cluster.arn,), daemon=True).start()
            return cluster

        def writer_endpoint(self):
            # A cluster with a real server is reached on loopback (the secret's host).
            return "127.0.0.1" if self.arn in sim.endpoints else endpoint.fget(self)

        B.create_db_cluster_snapshot = create_db_cluster_snapshot
        B.copy_db_cluster_snapshot = copy_db_cluster_snapshot
        B.restore_db_cluster_from_snapshot = restore_db_cluster_from_snapshot
        B.delete_db_cluster = delete_db_cluster
        rds.DBCluster.endpoint = property(writer_endpoint)
