"""End-to-end scenarios: the whole two-account replication against moto, with the packaged
functions, the real state machine definitions and the real template (see docs/local-run.md).

    python3 -m unittest e2e.test_scenarios -v

Scenarios share one emulated cloud and run in order (each asserts the change it causes and the
final state of both accounts), like an operator's week: a first replication, a second with
retention, lost / duplicated / reordered events, a redelivered message, throttling and the copy
quota, a failed snapshot, a foreign message, a rollback; then the promotion's guarantees: the password is in
effect before the secret moves, an older copy finishing last never moves the secret back, transient errors
during the switch are retried and delete nothing, a failed task completion is retried, and one account of
Role=both replicates to itself without its destination ever deleting its source's copy. Then a second
destination, in another account and Region (test_30..): it restores alongside the first; failing alone (a
cross-Region copy that needs an option group) leaves the other destination and the source untouched; and
while it is slow to copy, source retention keeps the copy it is copying. Verification against real PostgreSQL
servers (test_20..): a verified promotion, and a wrong password, a stale copy and an unreachable endpoint that are
refused with the secret untouched. Preflight and the dry run (test_40..): failures on either side change nothing,
and a dry run reports both sides and changes nothing. Aurora clusters on the fleet pair (test_50..): an Aurora
PostgreSQL cluster replicated end to end (snapshot, re-encrypted copy, share, then restored from the shared cluster
snapshot, its writer created, the password reset on the cluster and in effect, the cluster's own secret on the writer
endpoint); an unencrypted cluster refused; a Serverless v2 cluster's dry run, then its replication (db.serverless
writer, scaling limits). Fleets (test_60..): tagged databases with one failing, and a burst through the copy quotas.
"""
from __future__ import annotations

import json
import os
import threading
import time
import unittest
from pathlib import Path

from e2e.localaws.cloud import BOTH_ACCOUNT, DESTINATION_ACCOUNT, REGION, SOURCE_ACCOUNT, WEST_ACCOUNT, WEST_REGION, \
    FLEET_DESTINATION_ACCOUNT, FLEET_SOURCE_ACCOUNT, LocalCloud
from e2e.localaws.pg import login_with_secret

ROOT = Path(__file__).resolve().parents[1]
MANAGED = "rds-replicator:managed-by"
REPLICATION = "rds-replicator:replication-id"
ROLE = "rds-replicator:role"
INSTANCE = "orders-db"
TRANSIENT = "org.rdsreplicator.common.errors.TransientAwsException"


def moto_available() -> bool:
    try:
        import moto.server  # noqa: F401
        return True
    except ImportError:
        return False


@unittest.skipUnless(moto_available() or os.environ.get("CI") == "true",
                     "moto[server] is not installed (pip install 'moto[server]')")
class Scenarios(unittest.TestCase):
    cloud: LocalCloud

    @classmethod
    def setUpClass(cls):
        cls.cloud = LocalCloud(ROOT, wait_timeout_seconds=20, rds_delay_s=1.5, quiet=not os.environ.get("E2E_VERBOSE"),
                               west_destination=True)
        # A cluster-snapshot copy (no RDS event) is checked every 5 s here (the ASL's 300 s, scaled like the waits).
        cls.cloud.check_timeout_seconds = 5
        try:
            cls.cloud.start().deploy(INSTANCE)
            cls.cloud.warm_up()
            cls.cloud.create_source_instance(INSTANCE)
            cls.alert_queues = {a.id: cls._alert_queue(a, stack) for a, stack in (
                (cls.cloud.source, cls.cloud.source_stack), (cls.cloud.destination, cls.cloud.destination_stack))}
        except Exception:
            cls.cloud.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.cloud.stop()

    def setUp(self):
        result = self._outcome.result
        self._problems_before = len(result.errors) + len(result.failures)

    def tearDown(self):
        c = self.cloud.bus.chaos
        c.delay_s, c.duplicate, c.reorder, c.drop_event_ids, c.drop_count = 0.0, False, False, set(), 0
        self.cloud.bus.flush_held()
        result = self._outcome.result
        if len(result.errors) + len(result.failures) > self._problems_before:
            print("\n".join(self.cloud.log.lines[-80:]))

    @classmethod
    def _alert_queue(cls, account, stack):
        sqs = account.client("sqs")
        url = sqs.create_queue(QueueName="alerts-inbox")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        account.client("sns").subscribe(TopicArn=stack.outputs["AlertsTopicArn"], Protocol="sqs", Endpoint=arn)
        return url

    def alerts(self, account) -> list[dict]:
        sqs = account.client("sqs")
        out = []
        while True:
            msgs = sqs.receive_message(QueueUrl=self.alert_queues[account.id], MaxNumberOfMessages=10).get("Messages", [])
            if not msgs:
                return out
            for m in msgs:
                body = json.loads(m["Body"])
                out.append(json.loads(body["Message"]) if body.get("Message", "").startswith("{") else body)
                sqs.delete_message(QueueUrl=self.alert_queues[account.id], ReceiptHandle=m["ReceiptHandle"])

    # ---- helpers -------------------------------------------------------------------------
    def replicate(self, name: str):
        src, dst = self.cloud.replicate(INSTANCE, name)
        self.assertEqual("SUCCEEDED", src["status"], src.get("error"))
        self.assertIsNotNone(dst, "no destination execution")
        self.assertEqual("SUCCEEDED", dst["status"], dst.get("error"))
        return src, dst

    def managed_instances(self):
        return {k: v for k, v in self.cloud.instances(self.cloud.destination).items() if v["Tags"].get(MANAGED)}

    def assert_secret_points_at(self, instance_id: str):
        secret = self.cloud.secret()
        self.assertEqual(instance_id, secret["dbInstanceIdentifier"])
        inst = self.cloud.instances(self.cloud.destination)[instance_id]
        self.assertEqual(inst["Endpoint"]["Address"], secret["host"])
        self.assertEqual("current", inst["Tags"].get(ROLE))

    def secret_written_at(self, instance_id: str) -> float:
        """When the secret value naming instance_id was written (recorded by the emulator's patch)."""
        for at, value in reversed(self.cloud.faults.secret_writes):
            if value.startswith("{") and json.loads(value).get("dbInstanceIdentifier") == instance_id:
                return at
        self.fail(f"no secret version names {instance_id}")

    def history(self, account, execution_arn) -> list[dict]:
        return account.client("stepfunctions").get_execution_history(
            executionArn=execution_arn, maxResults=1000)["events"]

    def entered(self, account, execution_arn) -> list[str]:
        return [e["stateEnteredEventDetails"]["name"] for e in self.history(account, execution_arn)
                if e["type"].endswith("StateEntered")]

    def assert_no_waits_left(self):
        for account, stack in ((self.cloud.source, self.cloud.source_stack),
                               (self.cloud.destination, self.cloud.destination_stack)):
            table = stack.physical["WaitTable"]["Ref"]
            items = account.client("dynamodb").scan(TableName=table)["Items"]
            self.assertEqual([], items, f"waits left in {account.id}")

    def assert_every_created_resource_is_tagged(self):
        for account in (self.cloud.source, self.cloud.destination):
            for sid, snap in self.cloud.snapshots(account).items():
                if not sid.startswith("rds:"):
                    self.assertEqual("rds-replicator", snap["Tags"].get(MANAGED), sid)

    # ---- scenarios -----------------------------------------------------------------------
    def test_01_happy_path(self):
        versions_before = len(self.cloud.secret_versions())
        src, dst = self.replicate("happy-1")

        out = json.loads(dst["output"])
        new = out["switch"]["currentInstance"]
        dest = self.cloud.instances(self.cloud.destination)[new]
        self.assertEqual("happy-1", dest["Tags"][REPLICATION])
        # moto leaves the field out when it is false; the unit tests check the request sends false.
        self.assertFalse(dest.get("PubliclyAccessible", False))
        self.assertTrue(dest["StorageEncrypted"])
        self.assert_secret_points_at(new)
        self.assertEqual(versions_before + 1, len(self.cloud.secret_versions()))
        # The new password was in effect (RDS: available, nothing pending) before the secret named the instance.
        resets = [r for r in self.cloud.rds.resets if r["instance"] == new]
        self.assertEqual(1, len(resets), self.cloud.rds.resets)
        self.assertIsNotNone(resets[0]["effective"])
        switched_at = self.secret_written_at(new)
        self.assertGreaterEqual(switched_at, resets[0]["effective"], "secret written before the password worked")
        self.assertGreater(resets[0]["effective"], resets[0]["started"])
        self.assertNotIn("PendingModifiedValues", dest)
        print(f"\n[measure] instance available -> secret switched: "
              f"{switched_at - self.cloud.rds.available_at[new]:.1f} s (password reset "
              f"{resets[0]['effective'] - resets[0]['started']:.1f} s of it)")
        shared = [s for s in self.cloud.snapshots(self.cloud.source).values() if s["Tags"].get(REPLICATION) == "happy-1"
                  and s["Tags"].get("rds-replicator:kind") == "shareable-copy"]
        self.assertEqual(1, len(shared))
        attrs = self.cloud.source.client("rds").describe_db_snapshot_attributes(
            DBSnapshotIdentifier=shared[0]["DBSnapshotIdentifier"])["DBSnapshotAttributesResult"]["DBSnapshotAttributes"]
        self.assertIn(DESTINATION_ACCOUNT, [v for a in attrs if a["AttributeName"] == "restore" for v in a["AttributeValues"]])
        self.assertTrue(any(d["outcome"] == "SUCCEEDED" for d in self.cloud.bus.delivered),
                        "at least one wait was completed by an RDS event through the template's rule")
        self.assert_no_waits_left()
        self.assert_every_created_resource_is_tagged()

    def test_02_second_replication_prunes_to_the_newest_two(self):
        self.replicate("happy-2")
        self.replicate("happy-3")
        managed = self.managed_instances()
        self.assertEqual(2, len(managed), sorted(managed))
        newest = max(managed.values(), key=lambda i: i["InstanceCreateTime"])
        self.assert_secret_points_at(newest["DBInstanceIdentifier"])
        self.assertNotIn("happy-1", {i["Tags"][REPLICATION] for i in managed.values()}, "oldest copy pruned")
        self.assertIn(INSTANCE, self.cloud.instances(self.cloud.source), "the source is never touched")
        source_snaps = [s["Tags"] for s in self.cloud.snapshots(self.cloud.source).values() if s["Tags"].get(MANAGED)]
        shared = sorted(t[REPLICATION] for t in source_snaps if t.get("rds-replicator:kind") == "shareable-copy")
        self.assertEqual(["happy-2", "happy-3"], shared, "source keeps the newest 2 shareable copies")
        self.assertEqual([], [t[REPLICATION] for t in source_snaps if t.get("rds-replicator:kind") == "source-snapshot"],
                         "intermediate source snapshots are deleted once copied")

    def test_03_lost_event_is_recovered_by_the_wait_timeout(self):
        self.cloud.bus.chaos.drop_event_ids = {"RDS-EVENT-0042"}
        src, dst = self.replicate("lost-event")
        self.assertTrue(self.cloud.bus.dropped, "an event was dropped")
        history = self.cloud.source.client("stepfunctions").get_execution_history(
            executionArn=src["executionArn"], maxResults=1000)["events"]
        self.assertTrue([e for e in history if e["type"] == "TaskTimedOut"], "the wait on the lost event timed out")
        # Retry on States.Timeout invokes the step again (it adopts its snapshot, re-registers, settles).
        invoked = [json.loads(e["taskScheduledEventDetails"]["parameters"])["FunctionName"]
                   for e in history if e["type"] == "TaskScheduled"]
        self.assertGreaterEqual(len([f for f in invoked if "CreateSnapshotFunction" in f]), 2, invoked)
        self.assertNotIn("Create snapshot: waited too long", self.entered(self.cloud.source, src["executionArn"]))
        self.assert_no_waits_left()

    def test_04_duplicate_and_reordered_events_complete_each_wait_once(self):
        self.cloud.bus.chaos.duplicate = True
        before = len(self.cloud.bus.delivered)
        self.replicate("duplicates")
        outcomes = [d["outcome"] for d in self.cloud.bus.delivered[before:]]
        self.assertIn("SUCCEEDED", outcomes)
        self.assertTrue({"ALREADY_CLAIMED", "NO_WAIT"} & set(outcomes), outcomes)

        self.cloud.bus.chaos.duplicate = False
        self.cloud.bus.chaos.reorder = True
        stop = self.cloud.bus.start_reorder_flusher()
        try:
            self.replicate("reordered")
        finally:
            stop.set()
        self.assert_no_waits_left()

    def test_05_redelivered_message_starts_one_restore(self):
        self.replicate("redelivered")
        last = [d for d in self.cloud.bus.sns_deliveries if d["ok"]][-1]
        fn = self.cloud.destination_stack.functions["StartRestoreFunction"]
        # The same SNS record again, as SNS may deliver it.
        sns_event = self._last_sns_event("redelivered")
        ok, result = fn.invoke(sns_event)
        self.assertTrue(ok, result)
        self.assertEqual("DUPLICATE", result["outcomes"][0]["status"], result)
        names = [e["name"] for e in self.cloud.executions(self.cloud.destination, "DestinationStateMachineArn")]
        self.assertEqual(1, names.count("redelivered"))
        self.assertTrue(last["ok"])

    def _last_sns_event(self, replication_id):
        topic = self.cloud.source_stack.outputs["ReplicationTopicArn"]
        out = self.cloud.source.client("stepfunctions").describe_execution(
            executionArn=self.cloud.source_stack.outputs["SourceStateMachineArn"].replace(":stateMachine:", ":execution:")
            + ":" + replication_id)
        message_id = json.loads(out["output"])["notification"]["messageId"]
        sent = [d for d in self.cloud.bus.sns_deliveries if d["ok"] and d["function"] == "StartRestoreFunction"]
        self.assertTrue(sent)
        record = self.cloud.bus.sns_records[message_id]
        self.assertEqual(topic, record["Sns"]["TopicArn"])
        return {"Records": [record]}

    def test_06_throttling_and_copy_quota_are_retried(self):
        from e2e.localaws.rds_sim import RdsSimulator
        sim = self.cloud.rds
        sim.inject("CreateDBSnapshot", *[RdsSimulator.throttling() for _ in range(4)])
        sim.inject("CopyDBSnapshot", RdsSimulator.copy_quota())
        src, dst = self.replicate("retried")
        history = self.cloud.source.client("stepfunctions").get_execution_history(
            executionArn=src["executionArn"], maxResults=1000)["events"]
        failures = [e["taskFailedEventDetails"]["error"] for e in history if e["type"] == "TaskFailed"]
        self.assertIn(TRANSIENT, failures)
        self.assertIn("org.rdsreplicator.common.errors.CopyQuotaExceededException", failures)
        self.assertEqual([], sim.api_faults.get("CreateDBSnapshot"))

    def test_07_failed_snapshot_alerts_cleans_up_and_leaves_the_secret(self):
        secret_before = self.cloud.secret()
        versions_before = len(self.cloud.secret_versions())
        self.alerts(self.cloud.source)
        self.cloud.rds.fail_next_snapshot = True
        arn = self.cloud.start_replication(INSTANCE, "failed-snapshot")
        result = self.cloud.follow(self.cloud.source, arn)
        self.assertEqual("FAILED", result["status"])
        self.assertEqual("ReplicationFailed", result.get("error"))
        leftovers = [s for s in self.cloud.snapshots(self.cloud.source).values()
                     if s["Tags"].get(REPLICATION) == "failed-snapshot"]
        self.assertEqual([], leftovers, "the failed run's snapshots are deleted")
        alerts = self.alerts(self.cloud.source)
        self.assertTrue(any(a.get("replicationId") == "failed-snapshot" and a.get("failedStep") == "Create snapshot"
                            for a in alerts), alerts)
        self.assertEqual(secret_before, self.cloud.secret())
        self.assertEqual(versions_before, len(self.cloud.secret_versions()))
        names = [e["name"] for e in self.cloud.executions(self.cloud.destination, "DestinationStateMachineArn")]
        self.assertNotIn("failed-snapshot", names)
        self.assert_no_waits_left()

    def test_08_message_from_a_foreign_account_is_rejected(self):
        self.alerts(self.cloud.destination)
        fn = self.cloud.destination_stack.functions["StartRestoreFunction"]
        event = json.loads((ROOT / "events" / "start-restore-foreign-account.json").read_text())
        executions_before = len(self.cloud.executions(self.cloud.destination, "DestinationStateMachineArn"))
        ok, result = fn.invoke(event)
        self.assertTrue(ok, result)
        self.assertEqual("REJECTED", result["outcomes"][0]["status"])
        self.assertEqual(executions_before,
                         len(self.cloud.executions(self.cloud.destination, "DestinationStateMachineArn")))
        self.assertTrue(self.alerts(self.cloud.destination), "the alerts topic was told")

    def test_09_rollback_points_the_secret_at_the_previous_copy(self):
        managed = self.managed_instances()
        current = self.cloud.secret()["dbInstanceIdentifier"]
        previous = [i for i in managed if i != current]
        self.assertTrue(previous, managed.keys())
        resets_before = len(self.cloud.rds.resets)
        result = self.cloud.rollback(previous[0], "e2e rollback", "rollback-1")
        self.assertEqual("SUCCEEDED", result["status"], result.get("error"))
        self.assert_secret_points_at(previous[0])
        self.assertEqual("retired", self.cloud.instances(self.cloud.destination)[current]["Tags"].get(ROLE))
        # The rollback set the secret's password on the target and waited until it was in effect.
        reset = [r for r in self.cloud.rds.resets[resets_before:] if r["instance"] == previous[0]]
        self.assertEqual(1, len(reset))
        self.assertGreaterEqual(self.secret_written_at(previous[0]), reset[0]["effective"])

        versions = len(self.cloud.secret_versions())
        result = self.cloud.rollback("not-managed-db", "typo", "rollback-2")
        self.assertEqual("FAILED", result["status"])
        self.assertEqual("RollbackFailed", result.get("error"))
        self.assert_secret_points_at(previous[0])
        self.assertEqual(versions, len(self.cloud.secret_versions()))
        self.assert_no_waits_left()

    def test_10_an_older_copy_finishing_last_never_moves_the_secret_back(self):
        sim = self.cloud.rds
        self.alerts(self.cloud.destination)
        versions_before = len(self.cloud.secret_versions())
        sim.hold_resets_of = {"older-run"}
        try:
            older = self.cloud.start_replication(INSTANCE, "older-run")
            self.assertEqual("SUCCEEDED", self.cloud.follow(self.cloud.source, older)["status"])
            deadline = time.monotonic() + 120
            while not sim.held_resets():
                self.assertLess(time.monotonic(), deadline, "the older run never reached its password reset")
                time.sleep(0.2)
            older_instance = sim.held_resets()[0]
            src, dst = self.replicate("newer-run")
        finally:
            sim.release_resets()
        newer_instance = json.loads(dst["output"])["switch"]["currentInstance"]
        self.assert_secret_points_at(newer_instance)

        result = self.cloud.follow(self.cloud.destination, self.cloud.destination_execution_arn("older-run"))
        self.assertEqual("SUCCEEDED", result["status"], result.get("error"))
        out = json.loads(result["output"])
        self.assertTrue(out["switch"]["superseded"], out["switch"])
        self.assertIn("Superseded by a newer copy", self.entered(self.cloud.destination, result["executionArn"]))
        self.assert_secret_points_at(newer_instance)
        self.assertEqual(versions_before + 1, len(self.cloud.secret_versions()), "only the newer run wrote")
        instances = self.cloud.instances(self.cloud.destination)
        self.assertIn(newer_instance, instances, "retention never deletes the newer current instance")
        self.assertEqual("cleanup", instances[older_instance]["Tags"].get(ROLE))
        notices = [a for a in self.alerts(self.cloud.destination) if a.get("replicationId") == "older-run"]
        self.assertTrue(notices, "an informational alert names the superseded run")
        self.assertIn("Superseded", json.dumps(notices))
        self.assert_no_waits_left()

    def test_11_transient_errors_during_the_switch_are_retried_and_delete_nothing(self):
        from e2e.localaws.rds_sim import RdsSimulator
        switch = self.cloud.destination_stack.functions["SwitchEndpointFunction"]
        versions_before = len(self.cloud.secret_versions())

        def inject():  # beyond the SDK's own retries: the function fails, the state machine retries
            self.cloud.rds.inject("DescribeDBInstances", *[RdsSimulator.throttling() for _ in range(6)])
            self.cloud.faults.fail("PutSecretValue", 6)
        switch.before_next_invoke.append(inject)
        src, dst = self.replicate("transient-switch")

        new = json.loads(dst["output"])["switch"]["currentInstance"]
        self.assert_secret_points_at(new)
        self.assertEqual(versions_before + 1, len(self.cloud.secret_versions()), "one new secret version")
        self.assertEqual(6, self.cloud.faults.failed.get("PutSecretValue"))
        self.assertEqual([], self.cloud.rds.api_faults.get("DescribeDBInstances"))
        failures = [e["taskFailedEventDetails"]["error"] for e in self.history(self.cloud.destination, dst["executionArn"])
                    if e["type"] == "TaskFailed"]
        self.assertIn(TRANSIENT, failures)
        entered = self.entered(self.cloud.destination, dst["executionArn"])
        self.assertNotIn("Clean up and alert", entered)
        self.assertNotIn("cleanup", self.cloud.instances(self.cloud.destination)[new]["Tags"].get(ROLE, ""))
        self.assert_no_waits_left()

    def test_12_a_failed_task_completion_is_put_back_and_retried(self):
        router = self.cloud.source_stack.functions["RdsEventRouterFunction"]
        armed = threading.Event()

        def inject():
            self.cloud.faults.fail("SendTaskSuccess", 6)
            armed.set()
        router.before_next_invoke.append(inject)
        src, dst = self.replicate("lost-completion")
        self.assertTrue(armed.is_set())
        self.assertEqual(6, self.cloud.faults.failed.get("SendTaskSuccess"))
        history = self.history(self.cloud.source, src["executionArn"])
        self.assertFalse([e for e in history if e["type"] == "TaskTimedOut"],
                         "the step completed through the router's retry, not its wait timeout")
        retried = [d for d in self.cloud.bus.delivered if d.get("attempt", 0) > 0]
        self.assertTrue(retried and retried[-1]["outcome"] == "SUCCEEDED", retried)
        self.assert_no_waits_left()

    def test_13_role_both_replicates_in_one_account(self):
        stack = self.cloud.deploy_both("both-db")
        acct = self.cloud.both
        self.cloud.create_source_instance("both-db", account=acct)
        sfn = acct.client("stepfunctions")

        def run(name):
            arn = sfn.start_execution(stateMachineArn=stack.outputs["SourceStateMachineArn"], name=name,
                                      input=json.dumps({"dbInstanceIdentifier": "both-db"}))["executionArn"]
            src = self.cloud.follow(acct, arn)
            dst_arn = stack.outputs["DestinationStateMachineArn"].replace(":stateMachine:", ":execution:") + ":" + name
            return src, self.cloud.follow(acct, dst_arn)

        src, dst = run("both-1")
        self.assertEqual("SUCCEEDED", src["status"], src.get("error"))
        self.assertEqual("SUCCEEDED", dst["status"], dst.get("error"))
        self.assertEqual([], json.loads(src["output"])["share"]["sharedWith"], "no share with itself")
        secret = json.loads(acct.client("secretsmanager").get_secret_value(
            SecretId=stack.outputs["SecretArn"])["SecretString"])
        new = json.loads(dst["output"])["switch"]["currentInstance"]
        self.assertEqual(new, secret["dbInstanceIdentifier"])

        # A destination failure (restore refused) cleans up the destination side only.
        from moto.rds.exceptions import RDSClientError
        self.cloud.rds.inject("RestoreDBInstanceFromDBSnapshot",
                              RDSClientError("StorageTypeNotSupported", "injected: storage type not supported"))
        src, dst = run("both-2")
        self.assertEqual("SUCCEEDED", src["status"], src.get("error"))
        self.assertEqual("FAILED", dst["status"])
        snaps = {k: v for k, v in self.cloud.snapshots(acct).items() if v["Tags"].get(REPLICATION) == "both-2"}
        kinds = sorted(v["Tags"].get("rds-replicator:kind") for v in snaps.values())
        self.assertEqual(["shareable-copy"], kinds, "the source's shareable copy stays; the local copy is deleted")
        self.assertEqual(new, json.loads(acct.client("secretsmanager").get_secret_value(
            SecretId=stack.outputs["SecretArn"])["SecretString"])["dbInstanceIdentifier"])
        self.assertIn("both-db", self.cloud.instances(acct), "the source is never touched")

    # ---- a second destination, in another account and Region ---------------------------------
    def west(self):
        """The cross-Region destination (deployed by the first scenario that needs it) and its alerts inbox."""
        stack = self.cloud.deploy_west()
        if WEST_ACCOUNT not in self.alert_queues:
            self.alert_queues[WEST_ACCOUNT] = self._alert_queue(self.cloud.west, stack)
        return self.cloud.west, stack

    def follow_west(self, name: str) -> dict:
        west, stack = self.west()
        return self.cloud.follow(west, self.cloud.destination_execution_arn(name, stack))

    def assert_no_waits_left_in(self, account, stack):
        items = account.client("dynamodb").scan(TableName=stack.physical["WaitTable"]["Ref"])["Items"]
        self.assertEqual([], items, f"waits left in {account.id}")

    def shared_copy(self, replication_id: str) -> dict | None:
        copies = [s for s in self.cloud.snapshots(self.cloud.source).values()
                  if s["Tags"].get(REPLICATION) == replication_id and s["Tags"].get("rds-replicator:kind") == "shareable-copy"]
        return copies[0] if copies else None

    def test_25_per_database_secrets_each_database_promotes_into_its_own_secret(self):
        """The fleet pair's destination keeps a secret per source database: the first restore of a database creates
        it, its promotion writes only it, and a second database gets its own; the first pair's secret is untouched."""
        self.cloud.deploy_fleet()
        from e2e.localaws.cloud import FLEET_SOURCE_ACCOUNT
        first_pair_secret = self.cloud.secret()
        promoted = {}
        for db in ("ledger-db", "audit-db"):
            self.assertIsNone(self.cloud.database_secret(db), f"no secret for {db} before its first restore")
            self.cloud.create_source_instance(db, account=self.cloud.fleet_source)
            src, dst = self.cloud.replicate_in_fleet_pair({"dbInstanceIdentifier": db}, f"per-db-{db}")
            self.assertEqual("SUCCEEDED", src["status"], src.get("error"))
            self.assertIsNotNone(dst)
            self.assertEqual("SUCCEEDED", dst["status"], dst.get("error"))
            new = json.loads(dst["output"])["switch"]["currentInstance"]
            self.assertTrue(new.startswith(db + "-"), new)
            promoted[db] = new
            secret = self.cloud.database_secret(db)
            inst = self.cloud.instances(self.cloud.fleet_destination)[new]
            self.assertEqual(new, secret["dbInstanceIdentifier"])
            self.assertEqual(inst["Endpoint"]["Address"], secret["host"])
            self.assertEqual(db, inst["Tags"].get("rds-replicator:source-instance"))
            ok, text = login_with_secret(self.cloud.pg.bin, secret, "SELECT count(*) FROM orders")
            self.assertTrue(ok, text)
        # ledger-db's secret still names ledger-db's copy after audit-db's promotion.
        self.assertEqual(promoted["ledger-db"], self.cloud.database_secret("ledger-db")["dbInstanceIdentifier"])
        sm = self.cloud.fleet_destination.client("secretsmanager")
        tags = {t["Key"]: t["Value"] for t in sm.describe_secret(
            SecretId=f"rds-replicator/{FLEET_SOURCE_ACCOUNT}/audit-db").get("Tags", [])}
        self.assertEqual("rds-replicator", tags.get(MANAGED))
        self.assertEqual(first_pair_secret, self.cloud.secret(), "the first pair's secret is untouched")

    def test_30_a_cross_region_destination_restores_alongside_the_first(self):
        west, west_stack = self.west()
        delivered_before = len(self.cloud.bus.delivered)
        src, dst = self.replicate("two-regions-1")
        wdst = self.follow_west("two-regions-1")
        self.assertEqual("SUCCEEDED", wdst["status"], wdst.get("error"))

        # The west destination: one copy across account and Region, restored and promoted in us-west-2.
        new_west = json.loads(wdst["output"])["switch"]["currentInstance"]
        instance = self.cloud.instances(west)[new_west]
        self.assertTrue(instance["DBInstanceArn"].startswith(f"arn:aws:rds:{WEST_REGION}:{WEST_ACCOUNT}:db:"))
        self.assertTrue(instance["StorageEncrypted"])
        self.assertEqual("current", instance["Tags"].get(ROLE))
        secret = self.cloud.secret(west, west_stack)
        self.assertEqual(new_west, secret["dbInstanceIdentifier"])
        self.assertEqual(instance["Endpoint"]["Address"], secret["host"])
        # Its local copy served the restore and was pruned after the switch.
        self.assertEqual([], [s for s in self.cloud.snapshots(west).values()
                              if s["Tags"].get(REPLICATION) == "two-regions-1"])
        # Nothing of it in the west account's other Region (the source's).
        self.assertEqual([], west.client("rds", REGION).describe_db_instances()["DBInstances"])
        self.assertEqual([], west.client("rds", REGION).describe_db_snapshots(SnapshotType="manual")["DBSnapshots"])
        # The copy was awaited on the cross-Region events, delivered in us-west-2 to the west router.
        west_events = [d for d in self.cloud.bus.delivered[delivered_before:] if d["account"] == WEST_ACCOUNT]
        self.assertIn(("RDS-EVENT-0060", "SUCCEEDED"), {(d["eventId"], d["outcome"]) for d in west_events})
        self.assertNotIn("RDS-EVENT-0197", {d["eventId"] for d in west_events})
        self.assertTrue(all(d["arn"].startswith(f"arn:aws:rds:{WEST_REGION}:{WEST_ACCOUNT}:") for d in west_events))

        # The first destination restored independently; the source shared with both.
        self.assert_secret_points_at(json.loads(dst["output"])["switch"]["currentInstance"])
        attrs = self.cloud.source.client("rds").describe_db_snapshot_attributes(
            DBSnapshotIdentifier=self.shared_copy("two-regions-1")["DBSnapshotIdentifier"]
        )["DBSnapshotAttributesResult"]["DBSnapshotAttributes"]
        shared_with = {v for a in attrs if a["AttributeName"] == "restore" for v in a["AttributeValues"]}
        self.assertEqual({DESTINATION_ACCOUNT, WEST_ACCOUNT}, shared_with)
        self.assertIn(INSTANCE, self.cloud.instances(self.cloud.source))
        self.assert_no_waits_left()
        self.assert_no_waits_left_in(west, west_stack)
        st, si = self.cloud.transitions(self.cloud.source, src["executionArn"])
        wt, wi = self.cloud.transitions(west, wdst["executionArn"])
        print(f"\n[measure] cross-Region replication: source {st} transitions / {si} Lambda tasks; cross-Region "
              f"destination {wt} transitions / {wi} Lambda tasks; router invocations in the west account: "
              f"{len(west_events)}")

    def test_31_one_destination_failing_leaves_the_other_and_the_source_alone(self):
        west, west_stack = self.west()
        west_secret = self.cloud.secret(west, west_stack)
        west_instances = set(self.cloud.instances(west))
        self.alerts(west)
        # An instance with a non-default option group: a copy into another Region needs CopyOptionGroup,
        # which the west stack does not set; the first destination (same Region) needs none.
        rds = self.cloud.source.client("rds")
        rds.create_option_group(OptionGroupName="ledger-options", EngineName="postgres", MajorEngineVersion="13",
                                OptionGroupDescription="e2e: a non-default option group")
        self.cloud.create_source_instance("ledger-db", option_group="ledger-options")
        # The first destination has the equivalent group (runbook, option groups), under the name its restore
        # looks up in the emulator.
        self.cloud.destination.client("rds").create_option_group(
            OptionGroupName="ledger-options", EngineName="postgres", MajorEngineVersion="13",
            OptionGroupDescription="e2e: the destination's equivalent of the source's group")
        src, dst = self.cloud.replicate("ledger-db", "ledger-1")
        self.assertEqual("SUCCEEDED", src["status"], src.get("error"))
        self.assertEqual("SUCCEEDED", dst["status"], dst.get("error"))
        wdst = self.follow_west("ledger-1")

        self.assertEqual("FAILED", wdst["status"])
        self.assertEqual("RestoreFailed", wdst.get("error"))
        failures = [e["taskFailedEventDetails"]["error"] for e in self.history(west, wdst["executionArn"])
                    if e["type"] == "TaskFailed"]
        self.assertEqual(["org.rdsreplicator.common.errors.OptionGroupRequiredException"], failures,
                         "failed at once, without retries")
        alerts = [a for a in self.alerts(west) if a.get("replicationId") == "ledger-1"]
        self.assertTrue(alerts and alerts[0]["failedStep"] == "Copy shared snapshot", alerts)
        self.assertIn("CopyOptionGroup", alerts[0]["cause"])
        # Nothing was started in the west account; its copy in service is untouched.
        self.assertEqual([], [s for s in self.cloud.snapshots(west).values() if s["Tags"].get(REPLICATION) == "ledger-1"])
        self.assertEqual(west_instances, set(self.cloud.instances(west)))
        self.assertEqual(west_secret, self.cloud.secret(west, west_stack))
        # The first destination promoted its copy; the source's run and its shared copy are intact.
        new = json.loads(dst["output"])["switch"]["currentInstance"]
        self.assert_secret_points_at(new)
        self.assertEqual("ledger-1", self.cloud.instances(self.cloud.destination)[new]["Tags"][REPLICATION])
        self.assertEqual("ledger-options", self.shared_copy("ledger-1")["OptionGroupName"])
        self.assert_no_waits_left()
        self.assert_no_waits_left_in(west, west_stack)

    def test_32_source_retention_keeps_the_copy_a_slow_destination_is_copying(self):
        west, west_stack = self.west()
        sim = self.cloud.rds
        prune = self.cloud.source_stack.functions["PruneSnapshotsFunction"]
        # A stack update of SharedCopyHoldHours, in the local run's compressed time (RetainSharedSnapshots=2).
        prune.update_environment({"REPLICATOR_SNAPSHOT_RETENTION_HOLD": "PT10M"})
        sim.hold_copies_in = {WEST_ACCOUNT}
        try:
            for name in ("slow-west-1", "slow-west-2", "slow-west-3"):
                self.replicate(name)
            self.assertTrue(sim.held_copies(), "the west destination is still copying")
            # By rank slow-west-1's copy is beyond the newest two; the hold keeps it for the west destination.
            held = self.shared_copy("slow-west-1")
            self.assertIsNotNone(held, "retention deleted a copy being copied")
            self.assertIsNotNone(self.shared_copy("slow-west-3"))
        finally:
            sim.release_copies()
        for name in ("slow-west-1", "slow-west-2", "slow-west-3"):
            result = self.follow_west(name)
            self.assertEqual("SUCCEEDED", result["status"], f"{name}: {result.get('error')}")
        current = self.cloud.secret(west, west_stack)["dbInstanceIdentifier"]
        self.assertEqual("slow-west-3", self.cloud.instances(west)[current]["Tags"][REPLICATION],
                         "the newest copy is in service in the west, whatever order the runs finished in")
        self.assert_no_waits_left_in(west, west_stack)

        # Without the hold, the same prune deletes it: the hold, not the rank, kept it.
        prune.update_environment({"REPLICATOR_SNAPSHOT_RETENTION_HOLD": "PT0S"})
        ok, result = prune.invoke({"replicationId": "slow-west-3", "dbInstanceIdentifier": INSTANCE})
        self.assertTrue(ok, result)
        self.assertIn(held["DBSnapshotIdentifier"], result["deleted"])
        self.assertIsNone(self.shared_copy("slow-west-1"))
        self.assertIsNotNone(self.shared_copy("slow-west-3"))


    # ---- preflight and dry run (issue 9, items 3 and 4) -----------------------------------------
    ERR = "org.rdsreplicator.common.errors."

    def assert_preflight_alert(self, account, replication_id: str, step: str, error: str):
        alerts = [a for a in self.alerts(account) if a.get("replicationId") == replication_id]
        self.assertTrue(alerts, f"no alert for {replication_id}")
        self.assertEqual(step, alerts[0].get("failedStep"), alerts)
        self.assertIn(self.ERR + error, json.dumps(alerts[0]))
        self.assertEqual([], alerts[0].get("deleted") or [], "a preflight failure deletes nothing")

    def test_40_source_preflight_failures_change_nothing(self):
        """No manual-snapshot headroom, then a disabled ReplicationKey: each run fails at Check source with
        the named error and an alert, before any RDS work, and leaves both accounts as they were."""
        cloud, src = self.cloud, self.cloud.source
        key_id = cloud.source_stack.physical["ReplicationKey"]["Ref"]
        used = src.client("rds").describe_account_attributes()["AccountQuotas"]
        snapshots_used = next(q["Used"] for q in used if q["AccountQuotaName"] == "ManualSnapshots")
        self.alerts(src)
        cases = [("preflight-quota", "SnapshotQuotaExceededException",
                  lambda: cloud.faults.set_quota_max(SOURCE_ACCOUNT, "ManualSnapshots", snapshots_used + 1),
                  lambda: cloud.faults.set_quota_max(SOURCE_ACCOUNT, "ManualSnapshots", None)),
                 ("preflight-source-key", "KmsKeyNotUsableException",
                  lambda: src.client("kms").disable_key(KeyId=key_id),
                  lambda: src.client("kms").enable_key(KeyId=key_id))]
        for name, error, break_it, fix_it in cases:
            with self.subTest(name):
                before = cloud.footprint()
                destination_runs = len(cloud.executions(cloud.destination, "DestinationStateMachineArn"))
                break_it()
                try:
                    result = cloud.follow(src, cloud.start_replication(INSTANCE, name))
                finally:
                    fix_it()
                self.assertEqual("FAILED", result["status"])
                self.assertEqual("ReplicationFailed", result.get("error"))
                entered = self.entered(src, result["executionArn"])
                self.assertIn("Check source failed", entered)
                self.assertIn("Alert without cleanup", entered)
                self.assertNotIn("Create snapshot", entered)
                self.assertNotIn("Clean up and alert", entered)
                failures = [e["taskFailedEventDetails"]["error"] for e in self.history(src, result["executionArn"])
                            if e["type"] == "TaskFailed"]
                self.assertEqual([self.ERR + error], failures, "fails at once: a terminal error is not retried")
                self.assert_preflight_alert(src, name, "Check source", error)
                self.assertEqual(before, cloud.footprint(), "both accounts exactly as before")
                self.assertEqual(destination_runs, len(cloud.executions(cloud.destination, "DestinationStateMachineArn")))
                self.assert_no_waits_left()

    def test_41_destination_preflight_failures_change_nothing_there(self):
        """A missing subnet group: the source run succeeds (its shared copy is its own run's), the destination
        fails at Check destination with the named error and an alert, and nothing in B changes: no copy, no
        instance, no secret version. Then the same message again (as the runbook restarts B's workflow) with no
        DB-instance headroom, and with a disabled DestinationKey: the same, each with its own named error."""
        cloud, dst = self.cloud, self.cloud.destination
        preflight = cloud.destination_stack.functions["PreflightDestinationFunction"]
        key_id = cloud.destination_stack.physical["DestinationKey"]["Ref"]
        instances_used = len(dst.client("rds").describe_db_instances()["DBInstances"])
        sm = cloud.destination_stack.outputs["DestinationStateMachineArn"]
        self.alerts(dst)
        message = {}

        def first_run(name):  # the whole replication: A shares a copy and announces it
            src_result, dst_result = cloud.replicate(INSTANCE, name)
            self.assertEqual("SUCCEEDED", src_result["status"], src_result.get("error"))
            self.assertIsNotNone(dst_result)
            message["input"] = dst.client("stepfunctions").describe_execution(
                executionArn=dst_result["executionArn"])["input"]
            return dst_result

        def again(name):  # B's workflow again with the same message, under another execution name
            arn = dst.client("stepfunctions").start_execution(stateMachineArn=sm, name=name,
                                                              input=message["input"])["executionArn"]
            return cloud.follow(dst, arn)

        run_id = "preflight-destination"
        cases = [("preflight-destination", first_run, "ConfigurationException",
                  lambda: preflight.update_environment({"REPLICATOR_RESTORE_SUBNET_GROUP": "no-such-subnet-group"}),
                  lambda: preflight.update_environment({"REPLICATOR_RESTORE_SUBNET_GROUP": None})),
                 ("preflight-destination-quota", again, "InstanceQuotaExceededException",
                  lambda: cloud.faults.set_quota_max(DESTINATION_ACCOUNT, "DBInstances", instances_used),
                  lambda: cloud.faults.set_quota_max(DESTINATION_ACCOUNT, "DBInstances", None)),
                 ("preflight-destination-key", again, "KmsKeyNotUsableException",
                  lambda: dst.client("kms").disable_key(KeyId=key_id),
                  lambda: dst.client("kms").enable_key(KeyId=key_id))]
        for name, run, error, break_it, fix_it in cases:
            with self.subTest(name):
                before = cloud.footprint()
                break_it()
                try:
                    dst_result = run(name)
                finally:
                    fix_it()
                self.assertEqual("FAILED", dst_result["status"])
                self.assertEqual("RestoreFailed", dst_result.get("error"))
                entered = self.entered(dst, dst_result["executionArn"])
                self.assertIn("Check destination failed", entered)
                self.assertIn("Alert without cleanup", entered)
                self.assertNotIn("Copy shared snapshot", entered)
                self.assert_preflight_alert(dst, run_id, "Check destination", error)
                after = cloud.footprint()
                self.assertEqual(before[DESTINATION_ACCOUNT], after[DESTINATION_ACCOUNT], "nothing changed in B")
                self.assertEqual((before["secret versions"], before["secret"]), (after["secret versions"], after["secret"]))
                # A: the source run did its work and nothing else: its shareable copy is there, and stays.
                ours = {k: t for k, t in after[SOURCE_ACCOUNT]["snapshots"].items() if t.get(REPLICATION) == run_id}
                self.assertEqual(["shareable-copy"], [t.get("rds-replicator:kind") for t in ours.values()], ours)
                self.assertEqual(before[SOURCE_ACCOUNT]["instances"], after[SOURCE_ACCOUNT]["instances"])
                self.assert_no_waits_left()

    def test_42_dry_run_reports_both_sides_and_changes_nothing(self):
        cloud = self.cloud
        before = cloud.footprint()
        alerts_before = (self.alerts(cloud.source), self.alerts(cloud.destination))
        src, dst = cloud.dry_run(INSTANCE, "dry-run-1")
        self.assertEqual("SUCCEEDED", src["status"], src.get("error"))
        self.assertIsNotNone(dst, "the destinations were told")
        self.assertEqual("SUCCEEDED", dst["status"], dst.get("error"))

        a = json.loads(src["output"])["preflight"]["report"]
        self.assertTrue(a["dryRun"])
        self.assertEqual((SOURCE_ACCOUNT, "us-east-1", INSTANCE), (a["account"], a["region"], a["dbInstanceIdentifier"]))
        self.assertIn(DESTINATION_ACCOUNT, a["destinationAccounts"])
        self.assertEqual(self.cloud.source_stack.params["DestinationAccountIds"], a["destinationAccounts"])
        self.assertTrue(a["snapshot"].startswith(INSTANCE + "-"), a["snapshot"])
        self.assertEqual(a["snapshot"] + "-share", a["shareableCopy"])
        self.assertNotIn(a["snapshot"], before[SOURCE_ACCOUNT]["snapshots"])
        # Retention as prune-snapshots would carry it out after this run: its own intermediate snapshot goes.
        self.assertIn(f"{a['snapshot']}: replaced by the shareable copy of replication dry-run-1",
                      a["retentionWouldDelete"])
        copies = [k for k, t in before[SOURCE_ACCOUNT]["snapshots"].items()
                  if t.get("rds-replicator:kind") == "shareable-copy" and t.get("rds-replicator:source-instance") == INSTANCE]
        planned = [d.split(":")[0] for d in a["retentionWouldDelete"] if "older than" in d]
        self.assertEqual(max(0, len(copies) + 1 - 2), len(planned), (copies, planned))

        b = json.loads(dst["output"])["preflight"]["report"]
        self.assertTrue(b["dryRun"])
        self.assertEqual(DESTINATION_ACCOUNT, b["account"])
        self.assertEqual(a["message"]["snapshotArn"], b["sharedSnapshotArn"])
        self.assertTrue(b["sharedSnapshotArn"].endswith(":snapshot:" + a["shareableCopy"]))
        self.assertEqual(a["shareableCopy"] + "-local", b["localCopy"])
        self.assertTrue(b["instance"].startswith(INSTANCE + "-"), b["instance"])
        self.assertEqual(before["secret"].get("dbInstanceIdentifier") or None, b["currentInstance"])
        self.assertTrue(any(k.startswith(b["instance"] + ": one of the") for k in b["retentionWouldKeep"]), b)

        self.assertEqual(["Prepare restore", "Check destination", "Dry run?", "Dry run reported"],
                         self.entered(cloud.destination, dst["executionArn"]))
        self.assertNotIn("Create snapshot", self.entered(cloud.source, src["executionArn"]))
        self.assertEqual(before, cloud.footprint(), "snapshots, instances, tags and the secret as before")
        self.assertEqual(([], []), (self.alerts(cloud.source), self.alerts(cloud.destination)))
        self.assert_no_waits_left()
        del alerts_before

        # A mistyped flag never starts a real run: the input is rejected before anything runs.
        result = cloud.follow(cloud.source, cloud.source.client("stepfunctions").start_execution(
            stateMachineArn=cloud.source_stack.outputs["SourceStateMachineArn"], name="dry-run-typo",
            input=json.dumps({"dbInstanceIdentifier": INSTANCE, "dryRun": "yes"}))["executionArn"])
        self.assertEqual("FAILED", result["status"])
        self.assertEqual(self.ERR + "InvalidInputException", result.get("error"))
        self.assertEqual(["Check input", "Input rejected"], self.entered(cloud.source, result["executionArn"]))
        self.assertEqual(before, cloud.footprint())

    # ---- verification before promotion (verify-copy against real PostgreSQL servers) -----------
    VERIFY_ERRORS = "org.rdsreplicator.common.errors."

    def failed_at_verify(self, name: str, setup=None):
        """Runs a replication expected to fail at `Verify copy`; returns (destination result, its error name,
        the alerts of B, the secret's password, the seconds the Verify copy state took)."""
        secret_before = self.cloud.secret()
        versions_before = len(self.cloud.secret_versions())
        self.alerts(self.cloud.destination)
        src, dst = self.cloud.replicate(INSTANCE, name)
        self.assertEqual("SUCCEEDED", src["status"], src.get("error"))
        self.assertIsNotNone(dst)
        self.assertEqual("FAILED", dst["status"])
        self.assertEqual("RestoreFailed", dst.get("error"))
        history = self.history(self.cloud.destination, dst["executionArn"])
        entered = self.entered(self.cloud.destination, dst["executionArn"])
        self.assertIn("Verify copy", entered)
        self.assertNotIn("Switch endpoint", entered, "the switch never ran")
        scheduled = [e for e in history if e["type"] == "TaskScheduled"
                     and "VerifyCopy" in e["taskScheduledEventDetails"]["parameters"]]
        failed = [e for e in history if e["type"] == "TaskFailed"]
        took = (failed[-1]["timestamp"] - scheduled[0]["timestamp"]).total_seconds()
        error = failed[-1]["taskFailedEventDetails"]["error"]
        # The secret is untouched: same value, no new version.
        self.assertEqual(secret_before, self.cloud.secret())
        self.assertEqual(versions_before, len(self.cloud.secret_versions()))
        # The refused instance is gone (tagged cleanup, deleted by the failure path), and nothing of the run is left.
        left = [i for i, v in self.cloud.instances(self.cloud.destination).items() if v["Tags"].get(REPLICATION) == name]
        self.assertEqual([], left)
        alerts = [a for a in self.alerts(self.cloud.destination) if a.get("replicationId") == name]
        self.assertTrue(alerts, "an alert was sent")
        self.assertEqual("Verify copy", alerts[0]["failedStep"])
        password = secret_before["password"]
        # The password is in no alert, no execution history (inputs, outputs, errors) and no function log.
        self.assertNotIn(password, json.dumps(alerts))
        self.assertNotIn(password, json.dumps(history, default=str))
        for log in (ROOT / "e2e" / "target" / "logs").glob(f"{DESTINATION_ACCOUNT}-*.log"):
            self.assertNotIn(password, log.read_text(errors="replace"), log.name)
        self.assert_no_waits_left()
        return dst, error, alerts, took

    def test_20_verified_promotion_against_a_real_database(self):
        src, dst = self.replicate("verified-1")
        out = json.loads(dst["output"])
        self.assertEqual("verified", out["verification"]["outcome"])
        self.assertEqual("custom", out["verification"]["query"], "the stack's validation query ran")
        self.assertGreaterEqual(out["verification"]["rows"], 1)
        entered = self.entered(self.cloud.destination, dst["executionArn"])
        self.assertLess(entered.index("Set master password"), entered.index("Verify copy"))
        self.assertLess(entered.index("Verify copy"), entered.index("Switch endpoint"))
        new = out["switch"]["currentInstance"]
        self.assert_secret_points_at(new)
        secret = self.cloud.secret()
        arn = self.cloud.instances(self.cloud.destination)[new]["DBInstanceArn"]
        # The copy holds the source's data at snapshot time, and the validation query counted it.
        orders = self.cloud.databases.orders(arn)
        self.assertEqual(self.cloud.databases.restored_orders[arn], orders)
        self.assertEqual(orders, out["verification"]["rows"], "every demo order is from today")
        # Clients can log in with the promoted secret itself; the source's password no longer works there.
        ok, text = login_with_secret(self.cloud.pg.bin, secret, "SELECT count(*) FROM orders")
        self.assertTrue(ok, text)
        self.assertEqual(str(orders), text)
        ok, text = login_with_secret(self.cloud.pg.bin, dict(secret, password="source-password-1"), "SELECT 1")
        self.assertFalse(ok)
        self.assertIn("password authentication failed", text)
        print(f"\n[measure] verified {new}: {out['verification']['rows']} row(s), "
              f"{out['verification']['elapsedMs']} ms connect + query in the function")

    def test_21_a_password_that_does_not_work_is_never_promoted(self):
        # RDS reports the reset in effect, but the database kept the old password: exactly what verification is for.
        self.cloud.databases.keep_old_password_next = True
        dst, error, alerts, _ = self.failed_at_verify("wrong-password-1")
        self.assertEqual(self.VERIFY_ERRORS + "DatabaseLoginFailedException", error)
        self.assertEqual(self.VERIFY_ERRORS + "DatabaseLoginFailedException", alerts[0]["error"])
        self.assertIn("28P01", alerts[0]["cause"], "the alert says what the database answered")

    def test_22_a_stale_copy_with_too_few_rows_is_refused(self):
        source_arn = self.cloud.instances(self.cloud.source)[INSTANCE]["DBInstanceArn"]
        self.cloud.databases.traffic = False
        self.cloud.pg.query(source_arn, "UPDATE orders SET created_at = now() - interval '3 days';")
        try:
            dst, error, alerts, _ = self.failed_at_verify("stale-1")
        finally:
            self.cloud.databases.traffic = True
            self.cloud.pg.query(source_arn, "UPDATE orders SET created_at = now();")
        self.assertEqual(self.VERIFY_ERRORS + "StaleCopyException", error)
        self.assertIn("returned 0 row(s), fewer than the 1 required", alerts[0]["cause"])

    def test_23_an_unreachable_database_fails_within_the_time_box(self):
        self.cloud.databases.unreachable_next_restore = True
        dst, error, alerts, took = self.failed_at_verify("unreachable-1")
        self.assertEqual(self.VERIFY_ERRORS + "DatabaseUnreachableException", error)
        self.assertLess(took, 45, "the 20 s time box, not the Lambda's 60 s timeout")
        print(f"\n[measure] unreachable database: Verify copy failed after {took:.1f} s")

    def test_24_a_replication_after_refused_copies_is_verified_and_promoted(self):
        src, dst = self.replicate("verified-2")
        out = json.loads(dst["output"])
        self.assertEqual("verified", out["verification"]["outcome"])
        self.assert_secret_points_at(out["switch"]["currentInstance"])
        managed = self.managed_instances()
        self.assertFalse([i for i, v in managed.items() if v["Tags"].get(ROLE) == "cleanup"], managed.keys())

    # ---- Aurora clusters, destination side (fleet pair) ---------------------------------------
    # ---- Aurora clusters (test_50..56; the fleet pair: FLEET_SOURCE_ACCOUNT -> FLEET_DESTINATION_ACCOUNT)
    CLUSTER = "ledger"

    def fleet(self):
        """The fleet pair, deployed on first use, with an alerts inbox in its source account."""
        cloud = self.cloud
        source_stack, _ = cloud.deploy_fleet()
        if FLEET_SOURCE_ACCOUNT not in self.alert_queues:
            type(self).alert_queues[FLEET_SOURCE_ACCOUNT] = self._alert_queue(cloud.fleet_source, source_stack)
        return cloud.fleet_source, cloud.fleet_destination

    def cluster(self, name: str, **kw):
        """The named source cluster in the fleet source account, created on first use."""
        rds = self.cloud.fleet_source.client("rds")
        if not any(c["DBClusterIdentifier"] == name for c in rds.describe_db_clusters()["DBClusters"]):
            self.cloud.create_source_cluster(name, **kw)
        return name

    def destination_input(self, name: str, timeout_s: float = 60) -> dict:
        """The input of the fleet destination's execution start-restore started for replication `name`: the
        replication message as the destination received it."""
        arn = self.cloud.destination_execution_arn(name, self.cloud.fleet_destination_stack)
        sfn = self.cloud.fleet_destination.client("stepfunctions")
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                return json.loads(sfn.describe_execution(executionArn=arn)["input"])
            except sfn.exceptions.ExecutionDoesNotExist:
                if time.monotonic() > deadline:
                    self.fail(f"the fleet destination never started {name}")
                time.sleep(0.5)

    def settle_destination(self, name: str):
        """Lets the destination's run of `name` end (its result is the destination side's, not asserted here), so
        no run of this replication is left in flight for later scenarios."""
        arn = self.cloud.destination_execution_arn(name, self.cloud.fleet_destination_stack)
        try:
            self.cloud.follow(self.cloud.fleet_destination, arn, timeout_s=240)
        except TimeoutError as e:  # the destination side's to assert; it runs on in its own pair only
            self.cloud.log("test", f"destination run of {name} still running: {e}")

    def fleet_waits(self) -> list:
        stack = self.cloud.fleet_source_stack
        return self.cloud.fleet_source.client("dynamodb").scan(TableName=stack.physical["WaitTable"]["Ref"])["Items"]

    def fleet_clusters(self) -> dict[str, dict]:
        rds = self.cloud.fleet_destination.client("rds")
        out = {}
        for c in rds.describe_db_clusters()["DBClusters"]:
            tags = {t["Key"]: t["Value"] for t in rds.list_tags_for_resource(ResourceName=c["DBClusterArn"])["TagList"]}
            out[c["DBClusterIdentifier"]] = dict(c, Tags=tags)
        return out

    def assert_cluster_promoted(self, name: str, dst: dict, out: dict, writer_class: str) -> tuple[str, dict]:
        """The destination after a cluster's run: the states of the cluster path in order, the cluster restored with
        the destination's key and tagged, its writer, no password pending, the secret on its writer endpoint, a
        client login with the secret; nothing copied, no wait left; the source's cluster and shared snapshot stay."""
        _, destination_stack = self.cloud.deploy_fleet()
        entered = self.entered(self.cloud.fleet_destination, dst["executionArn"])
        path = ["Restore cluster", "Create writer instance", "Set cluster master password", "Verify cluster copy",
                "Switch endpoint to cluster", "Prune instances"]
        self.assertEqual(path, [s for s in entered if s in path], entered)
        self.assertNotIn("Copy shared snapshot", entered, "a shared cluster snapshot is restored without a copy")
        cluster_id = out["switch"]["currentInstance"]
        self.assertEqual(cluster_id, out["cluster"]["dbClusterIdentifier"])
        cluster = self.fleet_clusters()[cluster_id]
        self.assertEqual("available", cluster["Status"])
        self.assertNotIn("MasterUserPassword", cluster.get("PendingModifiedValues") or {}, "password in effect")
        self.assertTrue(cluster["StorageEncrypted"])
        self.assertEqual(destination_stack.outputs["DestinationKeyArn"], cluster["KmsKeyId"])
        self.assertEqual("rds-replicator", cluster["Tags"].get(MANAGED))
        self.assertEqual(name, cluster["Tags"].get(REPLICATION))
        self.assertEqual("current", cluster["Tags"].get(ROLE))
        self.assertEqual(name, cluster["Tags"].get("rds-replicator:password-set-by"))
        writer_id = f"{cluster_id}-writer"
        writer = self.cloud.instances(self.cloud.fleet_destination)[writer_id]
        self.assertEqual(cluster_id, writer["DBClusterIdentifier"])
        self.assertEqual(writer_class, writer["DBInstanceClass"])
        self.assertEqual("available", writer["DBInstanceStatus"])
        self.assertFalse(writer["PubliclyAccessible"])
        self.assertEqual(name, writer["Tags"].get(REPLICATION))
        self.assertEqual(writer_id, out["writer"]["dbInstanceIdentifier"])
        # The secret names the cluster's writer endpoint, and clients log in with it (the reset took effect).
        source_cluster = cluster["Tags"]["rds-replicator:source-cluster"]
        secret = self.cloud.database_secret("cluster/" + source_cluster)
        self.assertIsNotNone(secret, f"the fleet destination's secret of cluster {source_cluster}")
        self.assertEqual(cluster_id, secret["dbClusterIdentifier"])
        self.assertNotIn("dbInstanceIdentifier", secret)
        self.assertEqual(cluster["Endpoint"], secret["host"])
        self.assertEqual(cluster["Port"], int(secret["port"]))
        self.assertEqual("aurora-postgresql", secret["engine"])
        ok, text = login_with_secret(self.cloud.pg.bin, secret, "SELECT count(*) FROM orders")
        self.assertTrue(ok, text)
        self.assertEqual(str(self.cloud.databases.restored_orders[cluster["DBClusterArn"]]), text)
        self.assertGreaterEqual(int(text), 1, "the query returns the source's rows")
        ok, text = login_with_secret(self.cloud.pg.bin, dict(secret, password="source-password-1"), "SELECT 1")
        self.assertFalse(ok, "the source's password no longer works on the copy")
        self.assertEqual("verified", out["verification"]["outcome"])
        reset = [r for r in self.cloud.rds.cluster_resets if r["cluster"] == cluster_id]
        self.assertEqual(1, len(reset))
        self.assertIsNotNone(reset[0]["effective"])
        # Nothing was copied in the destination, and no wait is left in it.
        self.assertEqual({}, {k: v for k, v in self.cloud.snapshots(self.cloud.fleet_destination).items()
                              if v["Tags"].get(REPLICATION) == name})
        self.assert_no_waits_left_in(self.cloud.fleet_destination, destination_stack)
        # The source account: the source cluster is untouched.
        source_rds = self.cloud.fleet_source.client("rds")
        self.assertEqual("available", source_rds.describe_db_clusters(
            DBClusterIdentifier=source_cluster)["DBClusters"][0]["Status"])
        return cluster_id, cluster

    def test_50_an_aurora_cluster_is_snapshotted_copied_with_the_replication_key_shared_and_announced(self):
        """An Aurora PostgreSQL cluster: cluster snapshot (RDS-EVENT-0075), a copy re-encrypted with the
        ReplicationKey whose wait ends at a re-arm (no RDS event exists for it), shared with the fleet destination,
        and a message naming sourceCluster and engineMode; source retention removes the intermediate snapshot."""
        src, dst = self.fleet()
        cluster = self.cluster(self.CLUSTER)
        cloud, name = self.cloud, "ledger-run-1"
        key = cloud.fleet_source_stack.physical["ReplicationKey"]
        key_arn = src.client("kms").describe_key(KeyId=key["Ref"])["KeyMetadata"]["Arn"]
        self.alerts(src)

        result = cloud.follow(src, cloud.start_cluster_replication(cluster, name), timeout_s=240)

        self.assertEqual("SUCCEEDED", result["status"], result.get("error"))
        entered = self.entered(src, result["executionArn"])
        for state in ("Check source cluster", "Create cluster snapshot", "Copy cluster snapshot",
                      "Share cluster snapshot", "Notify destination of cluster", "Prune source cluster snapshots",
                      "Cluster snapshot shared"):
            self.assertIn(state, entered)
        self.assertNotIn("Create snapshot", entered)
        history = self.history(src, result["executionArn"])
        timed_out = [e for e in history if e["type"] == "TaskTimedOut"]
        self.assertTrue(timed_out, "the copy's wait ended at a re-arm: no RDS event announces a cluster copy")

        # Source account: only the shareable copy is left, encrypted with the ReplicationKey, shared, tagged.
        snapshots = cloud.cluster_snapshots(src)
        copies = {k: v for k, v in snapshots.items() if v["Tags"].get(REPLICATION) == name}
        self.assertEqual(1, len(copies), snapshots.keys())
        copy_id, copy = next(iter(copies.items()))
        self.assertTrue(copy_id.endswith("-share"))
        self.assertEqual("available", copy["Status"])
        self.assertTrue(copy["StorageEncrypted"])
        self.assertEqual(key_arn, copy["KmsKeyId"])
        self.assertEqual([FLEET_DESTINATION_ACCOUNT], copy["Restore"])
        self.assertEqual({"rds-replicator:managed-by": "rds-replicator", REPLICATION: name,
                          "rds-replicator:source-cluster": cluster, "rds-replicator:kind": "shareable-copy"},
                         copy["Tags"])
        self.assertEqual({}, {k: v for k, v in cloud.snapshots(src).items() if v["Tags"].get(REPLICATION) == name},
                         "no DB (instance) snapshot of this run in the fleet source account")
        snapshot_id = copy_id[:-len("-share")]
        events = [e for e in cloud.bus.delivered if e["account"] == FLEET_SOURCE_ACCOUNT
                  and e["arn"].split(":")[-1] in (snapshot_id, copy_id)]
        self.assertIn(("RDS-EVENT-0075", "SUCCEEDED"), [(e["eventId"], e["outcome"]) for e in events],
                      "the cluster snapshot's wait was ended by its event (RDS-EVENT-0075 through the router)")
        self.assertEqual([], [e for e in events if e["arn"].endswith("-share")], "no event for the copy")
        self.assertEqual([], self.fleet_waits())
        self.assertEqual([], self.alerts(src))

        # The message, as the destination account received it (start-restore validated it and started its run).
        message = self.destination_input(name)
        self.assertEqual(cluster, message.get("sourceCluster"))
        self.assertEqual("provisioned", message.get("engineMode"))
        self.assertIsNone(message.get("sourceInstance"))
        self.assertEqual(copy["DBClusterSnapshotArn"], message["snapshotArn"])
        self.assertEqual(key_arn, message["kmsKeyArn"])
        self.assertEqual("aurora-postgresql", message["engine"])

        # The destination restores the shared cluster snapshot with its own key (no copy), adds the writer, sets the
        # master password, logs in through the writer endpoint and points the cluster's own secret at it.
        dst_run = cloud.follow(dst, cloud.destination_execution_arn(name, cloud.fleet_destination_stack), timeout_s=300)
        self.assertEqual("SUCCEEDED", dst_run["status"], dst_run.get("error"))
        cluster_id, _ = self.assert_cluster_promoted(name, dst_run, json.loads(dst_run["output"]), "db.r6g.large")
        self.assertEqual([], self.alerts(src))
        print(f"\n[measure] cluster {cluster_id} promoted: destination "
              f"{cloud.transitions(dst, dst_run['executionArn'])} (state transitions, Lambda invocations)")

    def test_51_an_unencrypted_cluster_is_refused_with_a_named_error_and_nothing_is_created(self):
        """Aurora cannot encrypt while copying: an unencrypted cluster fails at Check source cluster with
        UnencryptedClusterException and an alert; no snapshot anywhere, no destination run."""
        src, dst = self.fleet()
        cluster = self.cluster("ledger-plain", encrypted=False, database=False)
        cloud, name = self.cloud, "ledger-plain-run-1"
        before = (cloud.cluster_snapshots(src), cloud.snapshots(src), cloud.cluster_snapshots(dst), cloud.snapshots(dst))
        runs_before = len(dst.client("stepfunctions").list_executions(
            stateMachineArn=cloud.fleet_destination_stack.outputs["DestinationStateMachineArn"])["executions"])
        self.alerts(src)

        result = cloud.follow(src, cloud.start_cluster_replication(cluster, name))

        self.assertEqual("FAILED", result["status"])
        self.assertEqual("ReplicationFailed", result.get("error"))
        entered = self.entered(src, result["executionArn"])
        self.assertIn("Check source cluster failed", entered)
        self.assertIn("Alert without cleanup", entered)
        self.assertNotIn("Create cluster snapshot", entered)
        failures = [e["taskFailedEventDetails"]["error"] for e in self.history(src, result["executionArn"])
                    if e["type"] == "TaskFailed"]
        self.assertEqual([self.ERR + "UnencryptedClusterException"], failures)
        self.assert_preflight_alert(src, name, "Check source cluster", "UnencryptedClusterException")
        self.assertEqual(before, (cloud.cluster_snapshots(src), cloud.snapshots(src), cloud.cluster_snapshots(dst),
                                  cloud.snapshots(dst)), "both accounts as before")
        self.assertEqual(runs_before, len(dst.client("stepfunctions").list_executions(
            stateMachineArn=cloud.fleet_destination_stack.outputs["DestinationStateMachineArn"])["executions"]))
        self.assertEqual([], self.fleet_waits())

    def test_52_a_serverless_v2_clusters_dry_run_reports_its_engine_mode_and_creates_nothing(self):
        """A Serverless v2 cluster's dry run: the plan names cluster snapshots and a message with
        engineMode=serverless-v2; nothing is created in the source account."""
        src, dst = self.fleet()
        cluster = self.cluster("ledger-sv2", serverless=True)
        cloud, name = self.cloud, "ledger-sv2-dry-1"
        before = (cloud.cluster_snapshots(src), cloud.snapshots(src))

        result = cloud.follow(src, cloud.start_cluster_replication(cluster, name, dry_run=True))

        self.assertEqual("SUCCEEDED", result["status"], result.get("error"))
        report = json.loads(result["output"])["preflight"]["report"]
        self.assertEqual((True, cluster, "serverless-v2"), (report["dryRun"], report["dbClusterIdentifier"],
                                                            report["engineMode"]))
        self.assertEqual("ManualClusterSnapshots", report["manualSnapshots"]["name"])
        self.assertEqual(report["snapshot"] + "-share", report["shareableCopy"])
        self.assertTrue(report["message"]["snapshotArn"].endswith(":cluster-snapshot:" + report["shareableCopy"]))
        self.assertEqual(("serverless-v2", cluster), (report["message"]["engineMode"],
                                                      report["message"]["sourceCluster"]))
        self.assertEqual(["Check input", "Prepare cluster dry run", "Dry run: check source cluster",
                          "Dry run: tell the destinations", "Dry run reported"],
                         self.entered(src, result["executionArn"]))
        self.assertEqual(before, (cloud.cluster_snapshots(src), cloud.snapshots(src)))
        self.assertEqual([], self.fleet_waits())
        self.settle_destination(name)

        # Both identifiers: rejected before anything runs.
        both = cloud.follow(src, src.client("stepfunctions").start_execution(
            stateMachineArn=cloud.fleet_source_stack.outputs["SourceStateMachineArn"], name="ledger-both",
            input=json.dumps({"dbClusterIdentifier": cluster, "dbInstanceIdentifier": "orders-db"}))["executionArn"])
        self.assertEqual(self.ERR + "InvalidInputException", both.get("error"))
        self.assertEqual(["Check input", "Input rejected"], self.entered(src, both["executionArn"]))


    # ---- fleets (test_60..): the second account pair (LocalCloud.deploy_fleet) ----------------------
    def test_56_a_serverless_v2_cluster_gets_a_db_serverless_writer_with_its_scaling_limits(self):
        """A Serverless v2 cluster end to end: the message says serverless-v2, the destination's writer is
        db.serverless within the stack's scaling limits, and the cluster's own secret names it (ledger's stays)."""
        src, dst = self.fleet()
        cluster = self.cluster("ledger-sv2", serverless=True)
        cloud, name = self.cloud, "ledger-sv2-run-1"
        ledger_before = cloud.database_secret("cluster/" + self.CLUSTER)

        result = cloud.follow(src, cloud.start_cluster_replication(cluster, name), timeout_s=240)

        self.assertEqual("SUCCEEDED", result["status"], result.get("error"))
        self.assertEqual("serverless-v2", self.destination_input(name).get("engineMode"))
        dst_run = cloud.follow(dst, cloud.destination_execution_arn(name, cloud.fleet_destination_stack), timeout_s=300)
        self.assertEqual("SUCCEEDED", dst_run["status"], dst_run.get("error"))
        cluster_id, restored = self.assert_cluster_promoted(name, dst_run, json.loads(dst_run["output"]),
                                                            "db.serverless")
        self.assertEqual({"MinCapacity": 0.5, "MaxCapacity": 4.0},
                         {k: float(v) for k, v in restored["ServerlessV2ScalingConfiguration"].items()
                          if k in ("MinCapacity", "MaxCapacity")})
        self.assertEqual(ledger_before, cloud.database_secret("cluster/" + self.CLUSTER),
                         "another cluster's secret is untouched")
        self.assertEqual([], self.alerts(src))

    def fleet_pair(self, *, verify: bool | None = None, instance_quota: int | None = None,
                   cluster_quota: int | None = None):
        """The fleet pair and a Fleet helper; the emulator's and the stacks' settings this changes are put back
        when the test ends (the pair is shared with the Aurora scenarios)."""
        from e2e.localaws.fleet import Fleet
        cloud = self.cloud
        cloud.deploy_fleet()
        fleet = Fleet(cloud)
        if cloud.fleet_source.id not in self.alert_queues:
            self.alert_queues[cloud.fleet_source.id] = self._alert_queue(cloud.fleet_source, cloud.fleet_source_stack)
        sim = cloud.rds
        saved = (dict(sim.copy_quota), sim.copy_base_s, sim.copy_per_gib_s)

        def put_back():
            sim.copy_quota.update(saved[0])
            sim.copy_base_s, sim.copy_per_gib_s = saved[1], saved[2]
            fleet.configure(instance_quota=20, cluster_quota=5, verify=True)
            sim.copy_quota.update(saved[0])
        self.addCleanup(put_back)
        fleet.configure(instance_quota=instance_quota, cluster_quota=cluster_quota, verify=verify)
        return fleet

    def assert_fleet_left_no_waits(self):
        for account, stack in ((self.cloud.fleet_source, self.cloud.fleet_source_stack),
                               (self.cloud.fleet_destination, self.cloud.fleet_destination_stack)):
            table = stack.physical["WaitTable"]["Ref"]
            items = account.client("dynamodb").scan(TableName=table)["Items"]
            self.assertEqual([], [i["resourceArn"]["S"] for i in items if not i["resourceArn"]["S"].startswith(
                "promotion-lock:")], f"waits or headroom waiters left in {account.id}")

    def test_60_fleet_of_tagged_databases_one_failing(self):
        """A mixed fleet: the fleet selects the tagged databases of the source account (two instances and an Aurora
        cluster, not an untagged one); one of them cannot be replicated (RDS Custom): its child fails at Check
        source, the report names the error and the step, one fleet alert says so, and the others are replicated,
        restored and promoted in the destination account, each into its own secret."""
        started = time.monotonic()
        fleet = self.fleet_pair(verify=False)
        cloud = self.cloud
        src, dst = cloud.fleet_source, cloud.fleet_destination
        made = fleet.create(3, cluster_every=3, prefix="tagged")  # two instances and an Aurora cluster
        good = [d["id"] for d in made]
        cluster = next(d["id"] for d in made if d["kind"] == "cluster")
        fleet.create(1, cluster_every=0, prefix="untagged", tagged=False)
        src.client("rds").create_db_instance(
            DBInstanceIdentifier="tagged-custom", Engine="postgres", DBInstanceClass="db.m5.large",
            MasterUsername="admin", MasterUserPassword="source-password-1", AllocatedStorage=40,
            Tags=[{"Key": "rds-replicator:replicate", "Value": "true"}])
        # moto cannot create an RDS Custom instance (KeyError on the engine): the emulated instance is made one.
        from moto.rds.models import rds_backends
        rds_backends[src.id][src.region].databases["tagged-custom"].engine = "custom-oracle-ee"
        self.alerts(src)
        before = set(cloud.instances(dst))

        run = fleet.run("fleet-60", timeout_s=300)

        self.assertEqual("SUCCEEDED", run["fleet"]["status"], "one database failing never fails the fleet")
        report = run["report"]
        outcomes = {d["database"]: d for d in report["databases"]}
        self.assertNotIn("untagged-000", outcomes)
        for db in good:
            self.assertEqual("replicated", outcomes[db]["outcome"], db)
            self.assertGreater(outcomes[db]["seconds"], 0)
        failed = outcomes["tagged-custom"]
        self.assertEqual("failed", failed["outcome"])
        self.assertEqual(self.ERR + "UnsupportedEngineException", failed["error"])
        self.assertEqual("Check source", failed["failedStep"])
        self.assertEqual(1, report["totals"]["failed"])
        fleet_alerts = [a for a in self.alerts(src) if a.get("type") == "fleet-report"]
        self.assertEqual(1, len(fleet_alerts), "one fleet alert")
        self.assertIn("tagged-custom", fleet_alerts[0]["summary"])
        self.assertEqual(["tagged-custom"], [f["database"] for f in fleet_alerts[0]["failed"]])
        # Source: a shareable copy per replicated database (a cluster snapshot for the cluster), nothing for the
        # failing one.
        copies = {v["Tags"].get("rds-replicator:source-instance") for k, v in cloud.snapshots(src).items()
                  if k.endswith("-share")}
        copies |= {v["Tags"].get("rds-replicator:source-cluster") for k, v in cloud.cluster_snapshots(src).items()
                   if k.endswith("-share")}
        self.assertTrue(set(good) <= copies, copies)
        self.assertNotIn("tagged-custom", copies)
        # Destination: every replicated database restored and promoted (the cluster with its writer); nothing else.
        clusters = {c["DBClusterIdentifier"]: c for c in dst.client("rds").describe_db_clusters()["DBClusters"]}
        for db in good:
            self.assertEqual("SUCCEEDED", run["destinations"][db]["status"], db)
            out = json.loads(run["destinations"][db]["output"])
            promoted = out["switch"]["currentInstance"]
            self.assertFalse(out["switch"]["superseded"], db)
            self.assertIn(promoted, clusters if db == cluster else cloud.instances(dst), db)
            secret = cloud.database_secret(("cluster/" if db == cluster else "") + db)
            self.assertEqual(promoted, secret.get("dbClusterIdentifier" if db == cluster else "dbInstanceIdentifier"))
        created = set(cloud.instances(dst)) - before
        self.assertEqual(len(good), len(created), created)  # two restored instances and the cluster's writer
        self.assertEqual(set(good), {cloud.instances(dst)[i]["Tags"].get("rds-replicator:source-instance")
                                     or cloud.instances(dst)[i]["Tags"].get("rds-replicator:source-cluster")
                                     for i in created})
        self.assert_fleet_left_no_waits()
        print(f"\n  test_60 mixed fleet of 4 (one failing): {time.monotonic() - started:.0f} s")

    def test_61_fleet_benchmark_a_mixed_burst_through_the_copy_quotas(self):
        """The fleet benchmark at CI size (bash tools/local-run.sh --fleet N is the full one): 12 databases, every
        fourth an Aurora cluster, through 3 instance-copy slots and 1 cluster-copy slot per account (the emulator
        refuses one more copy with SnapshotQuotaExceeded, as RDS does, and both stacks are told the same quotas).
        Copies wait for headroom instead of failing, the emulator's peak stays at each quota on both sides, no run
        fails, every database is replicated, restored and promoted into its own secret (clusters too), and the
        benchmark's figures are printed: makespan against the quota-bound ideal, transitions and invocations per
        database. The ratio is reported, not asserted (a timing, see docs/local-run.md)."""
        started = time.monotonic()
        fleet = self.fleet_pair(verify=False, instance_quota=3, cluster_quota=1)
        cloud = self.cloud
        src, dst = cloud.fleet_source.id, cloud.fleet_destination.id
        cloud.rds.copy_base_s, cloud.rds.copy_per_gib_s = 3.0, 0.05
        dbs = fleet.create(12, cluster_every=4, prefix="burst")
        clusters = [d["id"] for d in dbs if d["kind"] == "cluster"]
        self.assertEqual(3, len(clusters))
        for key in list(cloud.rds.copy_peak):
            if key[0] in (src, dst):
                cloud.rds.copy_peak[key] = 0

        run = fleet.run("fleet-61", dbs, timeout_s=600)

        report = run["report"]
        self.assertEqual({"databases": 12, "replicated": 12, "superseded": 0, "failed": 0}, report["totals"])
        self.assertEqual({d["id"]: "SUCCEEDED" for d in dbs},
                         {db: r["status"] for db, r in run["destinations"].items()})
        self.assertEqual([], fleet.failed_by_quotas(run))
        peaks = {k: v for k, v in cloud.rds.copy_peak.items() if k[0] in (src, dst)}
        self.assertEqual(3, peaks.get((src, REGION, "instance")), peaks)
        self.assertLessEqual(peaks.get((dst, REGION, "instance"), 0), 3, peaks)
        self.assertEqual(1, peaks.get((src, REGION, "cluster")), peaks)
        self.assertNotIn((dst, REGION, "cluster"), peaks, "a cluster is restored from the shared snapshot: no copy")
        waited = {d["database"] for d in report["databases"]
                  if any(s.endswith("wait for headroom") for s in self.entered(cloud.fleet_source, d["executionArn"]))}
        self.assertTrue(waited & set(clusters), "3 clusters through 1 slot: a cluster copy waited for headroom")
        self.assertTrue(waited - set(clusters), "9 instances through 3 slots: an instance copy waited for headroom")
        secrets_ok, secrets_text = fleet.secrets_check(run)
        self.assertTrue(secrets_ok, secrets_text)
        self.assert_fleet_left_no_waits()
        print(fleet.measurements(run))
        print(f"\n  test_61 fleet benchmark of 12 through 3 + 1 slots: {time.monotonic() - started:.0f} s "
              f"({len(waited)} waited for headroom, quota errors {fleet.quota_errors()})")


class TemplateRegions(unittest.TestCase):
    """The template's Region logic, evaluated by the local deployer without deploying anything (no cloud)."""

    class Where:
        def __init__(self, account, region):
            self.id, self.region = account, region

    def stack(self, region: str, **params) -> "Stack":
        from e2e.localaws.template import Stack
        return Stack(ROOT, "regions", self.Where("444444444444", region), params, lambdas=None, bus=None)

    def destination(self, region: str, **params):
        topic = "arn:aws:sns:us-east-1:111111111111:rds-replicator-source-ReplicationTopic"
        return self.stack(region, Role="destination", SourceAccountId="111111111111", SourceTopicArn=topic, **params)

    @staticmethod
    def function(stack, logical):
        return stack.template["Resources"][logical]["Properties"]

    def source_region(self, stack):
        return stack.eval(self.function(stack, "StartRestoreFunction")["Environment"]["Variables"]["REPLICATOR_SOURCE_REGION"])

    def test_sourceRegion_defaultsToTheTopicsRegion_andTheSubscriptionIsMadeThere(self):
        stack = self.destination("us-west-2")
        self.assertEqual("us-east-1", self.source_region(stack))
        self.assertEqual("us-east-1", stack.eval(self.function(stack, "StartRestoreFunction")["Events"]["Replication"]
                                                 ["Properties"]["Region"]))
        self.assertEqual("us-east-1", self.source_region(self.destination("us-west-2", SourceRegion="us-east-1")))

    def test_sourceRegionOtherThanTheTopics_shouldStopTheStackWithANamedTemplateError(self):
        from e2e.localaws.template import TemplateError
        with self.assertRaises(TemplateError) as e:
            self.source_region(self.destination("us-west-2", SourceRegion="us-west-2"))
        self.assertIn("SourceRegionMustEqualTheRegionOfSourceTopicArn", str(e.exception))

    def test_crossRegionDestination_mayUseTheSourceKeyThroughRdsOfBothRegions_andItsOwnKeyOnlyInItsRegion(self):
        stack = self.destination("us-west-2")
        statements = {st["Sid"]: st for st in self.function(stack, "CopySharedSnapshotFunction")["Policies"][0]["Statement"]
                      if isinstance(st, dict) and "Sid" in st}
        source_key = stack.eval(statements["UseSourceKeyThroughRds"])
        self.assertEqual("arn:aws:kms:us-east-1:111111111111:key/*", source_key["Resource"])
        self.assertEqual({"rds.us-west-2.amazonaws.com", "rds.us-east-1.amazonaws.com"},
                         set(source_key["Condition"]["StringEquals"]["kms:ViaService"]))
        self.assertEqual({"StringEquals": {"kms:ViaService": "rds.us-west-2.amazonaws.com"}},
                         stack.eval(statements["UseDestinationKeyThroughRds"]["Condition"]))

    def test_replicationKey_isUsableThroughRdsOfTheSourceRegionAndEveryDestinationRegion(self):
        def via(stack):
            policy = stack.template["Resources"]["ReplicationKey"]["Properties"]["KeyPolicy"]
            grant = [st for st in policy["Statement"] if st["Sid"] == "DestinationAccountsCopyThroughRds"][0]
            return stack.eval(grant["Condition"])["StringEquals"]["kms:ViaService"]
        source = dict(Role="source", DestinationAccountIds="222222222222,444444444444")
        self.assertEqual(["rds.us-east-1.amazonaws.com"], via(self.stack("us-east-1", **source)))
        self.assertEqual(["rds.us-east-1.amazonaws.com", "rds.us-west-2.amazonaws.com", "rds.eu-west-1.amazonaws.com"],
                         via(self.stack("us-east-1", DestinationRegions="us-west-2,eu-west-1", **source)))


if __name__ == "__main__":
    unittest.main()
