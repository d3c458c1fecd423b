"""End-to-end scenarios: the whole two-account replication against moto, with the packaged
functions, the real state machine definitions and the real template (see docs/local-run.md).

    python3 -m unittest e2e.test_scenarios -v

Scenarios share one emulated cloud and run in order (each asserts the change it causes and the
final state of both accounts), like an operator's week: a first replication, a second with
retention, lost / duplicated / reordered events, a redelivered message, throttling and the copy
quota, a failed snapshot, a foreign message, a rollback; then the promotion's guarantees: the password is in
effect before the secret moves, an older copy finishing last never moves the secret back, transient errors
during the switch are retried and delete nothing, a failed task completion is retried, and one account of
Role=both replicates to itself without its destination ever deleting its source's copy.
"""
from __future__ import annotations

import json
import os
import threading
import time
import unittest
from pathlib import Path

from e2e.localaws.cloud import BOTH_ACCOUNT, DESTINATION_ACCOUNT, SOURCE_ACCOUNT, LocalCloud

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
                  lambda: preflight.restart_with({"REPLICATOR_RESTORE_SUBNET_GROUP": "no-such-subnet-group"}),
                  lambda: preflight.restart_with({"REPLICATOR_RESTORE_SUBNET_GROUP": None})),
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
        self.assertEqual([DESTINATION_ACCOUNT], a["destinationAccounts"])
        self.assertTrue(a["snapshot"].startswith(INSTANCE + "-"), a["snapshot"])
        self.assertEqual(a["snapshot"] + "-share", a["shareableCopy"])
        self.assertNotIn(a["snapshot"], before[SOURCE_ACCOUNT]["snapshots"])
        # Retention as prune-snapshots would carry it out after this run: its own intermediate snapshot goes.
        self.assertIn(f"{a['snapshot']}: replaced by the shareable copy of replication dry-run-1",
                      a["retentionWouldDelete"])
        copies = [k for k, t in before[SOURCE_ACCOUNT]["snapshots"].items()
                  if t.get("rds-replicator:kind") == "shareable-copy"]
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

if __name__ == "__main__":
    unittest.main()
