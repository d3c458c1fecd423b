"""End-to-end scenarios: the whole two-account replication against moto, with the packaged
functions, the real state machine definitions and the real template (see docs/local-run.md).

    python3 -m unittest e2e.test_scenarios -v

Scenarios share one emulated cloud and run in order (each asserts the change it causes and the
final state of both accounts), like an operator's week: a first replication, a second with
retention, lost / duplicated / reordered events, a redelivered message, throttling and the copy
quota, a failed snapshot, a foreign message, a rollback.
"""
from __future__ import annotations

import json
import os
import threading
import time
import unittest
from pathlib import Path

from e2e.localaws.cloud import DESTINATION_ACCOUNT, SOURCE_ACCOUNT, LocalCloud

ROOT = Path(__file__).resolve().parents[1]
MANAGED = "rds-replicator:managed-by"
REPLICATION = "rds-replicator:replication-id"
ROLE = "rds-replicator:role"
INSTANCE = "orders-db"


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
        cls.cloud = LocalCloud(ROOT, wait_timeout_seconds=20, rds_delay_s=1.5, quiet=not os.environ.get("E2E_VERBOSE"))
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
        entered = [e["stateEnteredEventDetails"]["name"] for e in history if e["type"] == "TaskStateEntered"
                   or e["type"] == "PassStateEntered" or e["type"] == "ChoiceStateEntered"]
        self.assertIn("Create snapshot: wait timed out", entered)
        self.assertIn("Create snapshot: wait again", entered)
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
        self.assertIn("org.rdsreplicator.common.errors.ThrottledException", failures)
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
        fn = self.cloud.destination_stack.functions["RollbackFunction"]
        ok, result = fn.invoke({"dbInstanceIdentifier": previous[0], "reason": "e2e rollback"})
        self.assertTrue(ok, result)
        self.assert_secret_points_at(previous[0])
        self.assertEqual("retired", self.cloud.instances(self.cloud.destination)[current]["Tags"].get(ROLE))
        ok, result = fn.invoke({"dbInstanceIdentifier": "not-managed-db", "reason": "typo"})
        self.assertFalse(ok)
        self.assert_secret_points_at(previous[0])


if __name__ == "__main__":
    unittest.main()
