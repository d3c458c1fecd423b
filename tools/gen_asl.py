#!/usr/bin/env python3
"""Generates statemachines/*.asl.json.

The two workflows share their discipline (retries, wait re-arming, the failure path), so the
definitions are written once here and emitted as plain ASL; the generated files are committed and
are what SAM deploys. Run `python3 tools/gen_asl.py` after editing; `--check` fails when the
committed files differ (CI runs it).
"""
import json
import sys
from pathlib import Path

ERR = "org.rdsreplicator.common.errors."
LAMBDA_ERRORS = ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException",
                 "Lambda.TooManyRequestsException", "Lambda.ClientExecutionTimeoutException"]
WAIT_TIMEOUT_SECONDS = 3600
# A password reset takes minutes whatever the database's size, and whether RDS-EVENT-0016 marks its start or
# its end is not documented: its wait re-checks (Describe) every 5 minutes instead of every hour.
PASSWORD_WAIT_TIMEOUT_SECONDS = 300
MAX_REARMS = 24


def lambda_retry():
    return {"ErrorEquals": LAMBDA_ERRORS, "IntervalSeconds": 2, "MaxAttempts": 6, "BackoffRate": 2,
            "MaxDelaySeconds": 60, "JitterStrategy": "FULL"}


def transient_retry(extra=()):
    names = [ERR + n for n in ("TransientAwsException", "ResourceBusyException", *extra)]
    return {"ErrorEquals": names, "IntervalSeconds": 30, "MaxAttempts": 6, "BackoffRate": 2,
            "MaxDelaySeconds": 900, "JitterStrategy": "FULL"}


def promotion_retry():
    # Another run of the same destination is switching or pruning: that takes seconds to minutes.
    return {"ErrorEquals": [ERR + "PromotionInProgressException"], "IntervalSeconds": 10, "MaxAttempts": 30,
            "BackoffRate": 1.5, "MaxDelaySeconds": 120, "JitterStrategy": "FULL"}


def copy_quota_retry():
    # Up to 20 copies may run per Region; a queue drains in minutes to hours.
    return {"ErrorEquals": [ERR + "CopyQuotaExceededException"], "IntervalSeconds": 300, "MaxAttempts": 12,
            "BackoffRate": 1.5, "MaxDelaySeconds": 3600, "JitterStrategy": "FULL"}


def invoke(fn, payload, next_state, result_path=None, selector=None, wait=False, retries=(), failed=None,
           timed_out=None, timeout=WAIT_TIMEOUT_SECONDS):
    state = {
        "Type": "Task",
        "Resource": "arn:${Partition}:states:::lambda:invoke" + (".waitForTaskToken" if wait else ""),
        "Parameters": {"FunctionName": "${%sFunctionArn}" % fn, "Payload": payload},
    }
    if wait:
        state["Parameters"]["Payload"] = dict(payload, **{"taskToken.$": "$$.Task.Token"})
        state["TimeoutSeconds"] = timeout
    if selector:
        state["ResultSelector"] = selector
    state["ResultPath"] = result_path
    state["Retry"] = [*retries, lambda_retry()]
    catch = []
    if timed_out:
        catch.append({"ErrorEquals": ["States.Timeout"], "ResultPath": "$.error", "Next": timed_out})
    if failed:
        catch.append({"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": failed})
    state["Catch"] = catch
    state["Next"] = next_state
    return state


def waited_step(states, name, fn, payload, next_state, result_path, counter, counters, retries,
                timeout=WAIT_TIMEOUT_SECONDS, failure="Clean up and alert"):
    """A Task that waits for an RDS event, with its timeout path: on States.Timeout the step is invoked
    again (it adopts what it already started, re-registers the wait and Describes: done, failed or
    wait again), at most MAX_REARMS times."""
    failed = f"{name} failed"
    timed_out = f"{name}: wait timed out"
    rearm = f"{name}: wait again"
    states[name] = invoke(fn, payload, next_state, result_path, wait=True, retries=retries, failed=failed,
                          timed_out=timed_out, timeout=timeout)
    exhausted = f"{name}: waited too long"
    states[timed_out] = {
        "Type": "Choice",
        "Choices": [{"Variable": f"$.rearms.{counter}", "NumericGreaterThanEquals": MAX_REARMS, "Next": exhausted}],
        "Default": rearm,
    }
    states[exhausted] = {
        "Type": "Pass",
        "Result": {"Error": ERR + "WaitExhaustedException",
                   "Cause": f"RDS did not finish within {MAX_REARMS + 1} wait timeouts of {timeout} s"},
        "ResultPath": "$.error",
        "Next": failed,
    }
    params = {f"{c}.$": f"$.rearms.{c}" for c in counters}
    params[f"{counter}.$"] = f"States.MathAdd($.rearms.{counter}, 1)"
    states[rearm] = {"Type": "Pass", "Parameters": params, "ResultPath": "$.rearms", "Next": name}
    note_failure(states, name, failure)


def note_failure(states, name, failure="Clean up and alert"):
    states[f"{name} failed"] = {"Type": "Pass", "Result": name, "ResultPath": "$.failedStep", "Next": failure}


def plain_step(states, name, fn, payload, next_state, result_path, selector, retries=(), failure="Clean up and alert"):
    states[name] = invoke(fn, payload, next_state, result_path, selector=selector, retries=retries,
                          failed=f"{name} failed")
    note_failure(states, name, failure)


def handle_failure(side, mode, step, error_path, result_path, next_state, catch_path, catch_next):
    """A call of handle-failure. mode: cleanup (delete what the run created, release its promotion lock, then
    alert), alert (alert only: nothing is listed or deleted), notice (an informational alert). step: a JSONPath
    to the step's name, or the name itself; error_path: a JSONPath to the error, or the error itself. side: the
    workflow's side (source or destination): with Role=both one account runs both, and a run's cleanup only
    ever touches its own side's resources."""
    payload = {"replicationId.$": "$.replicationId", "executionArn.$": "$$.Execution.Id", "mode": mode,
               "side": side}
    payload["failedStep.$" if step.startswith("$") else "failedStep"] = step
    if isinstance(error_path, str):
        payload["error.$"] = error_path
    else:
        payload["error"] = error_path
    return {
        "Type": "Task",
        "Resource": "arn:${Partition}:states:::lambda:invoke",
        "Parameters": {"FunctionName": "${HandleFailureFunctionArn}", "Payload": payload},
        "ResultSelector": {"deleted.$": "$.Payload.deleted", "alertMessageId.$": "$.Payload.alertMessageId"},
        "ResultPath": result_path,
        "Retry": [transient_retry(), lambda_retry()],
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": catch_path, "Next": catch_next}],
        "Next": next_state,
    }


def failure_path(states, side, fail_name, fail_error, cleanup=True):
    """The failure path: clean up and alert; if that fails or times out itself, alert without cleaning up, so a
    failure is never silent."""
    alert_only = "Alert without cleanup"
    if cleanup:
        states["Clean up and alert"] = handle_failure(side, "cleanup", "$.failedStep", "$.error", "$.cleanup", fail_name,
                                                      "$.cleanupError", alert_only)
    states[alert_only] = handle_failure(side, "alert", "$.failedStep", "$.error", "$.alert", fail_name, "$.alertError",
                                        fail_name)
    states[fail_name] = {"Type": "Fail", "Error": fail_error,
                         "Cause": "A step failed; the alerts topic has the replication id, step and cause."}


def source():
    s = {}
    s["Check input"] = {
        "Type": "Choice",
        "Choices": [{"And": [{"Variable": "$.dbInstanceIdentifier", "IsPresent": True},
                             {"Variable": "$.dbInstanceIdentifier", "IsString": True}],
                     "Next": "Prepare replication"}],
        "Default": "Input rejected",
    }
    s["Input rejected"] = {"Type": "Fail", "Error": ERR + "InvalidInputException",
                           "Cause": "The input must be {\"dbInstanceIdentifier\": \"<source instance>\"}."}
    s["Prepare replication"] = {
        "Type": "Pass",
        "Parameters": {"dbInstanceIdentifier.$": "$.dbInstanceIdentifier", "replicationId.$": "$$.Execution.Name",
                       "requestedAt.$": "$$.Execution.StartTime", "rearms": {"snapshot": 0, "copy": 0}},
        "Next": "Create snapshot",
    }
    counters = ("snapshot", "copy")
    waited_step(s, "Create snapshot", "CreateSnapshot",
                {"dbInstanceIdentifier.$": "$.dbInstanceIdentifier", "replicationId.$": "$.replicationId",
                 "requestedAt.$": "$.requestedAt"},
                "Copy snapshot", "$.snapshot", "snapshot", counters,
                [transient_retry(("InstanceNotAvailableException",))])
    waited_step(s, "Copy snapshot", "CopySnapshot",
                {"replicationId.$": "$.replicationId", "sourceSnapshotArn.$": "$.snapshot.snapshotArn"},
                "Share snapshot", "$.copy", "copy", counters, [transient_retry(), copy_quota_retry()])
    plain_step(s, "Share snapshot", "ShareSnapshot",
               {"replicationId.$": "$.replicationId", "snapshotArn.$": "$.copy.snapshotArn"},
               "Notify destination", "$.share", {"sharedWith.$": "$.Payload.sharedWith"},
               [transient_retry(("ShareNotAppliedException",))])
    plain_step(s, "Notify destination", "NotifyDestination",
               {"replicationId.$": "$.replicationId", "snapshotArn.$": "$.copy.snapshotArn",
                "sourceInstance.$": "$.dbInstanceIdentifier"},
               "Prune source snapshots", "$.notification", {"messageId.$": "$.Payload.messageId"},
               [transient_retry()])
    # Retention on the source side is best effort: the copy is shared and announced, so a failure here
    # must not run the failure path (it would delete the snapshot the destination is copying); the
    # next replication prunes again. The error stays in the execution output and the function's logs.
    s["Prune source snapshots"] = invoke(
        "PruneSnapshots", {"replicationId.$": "$.replicationId", "dbInstanceIdentifier.$": "$.dbInstanceIdentifier"},
        "Snapshot shared", "$.retention", selector={"deleted.$": "$.Payload.deleted"}, retries=[transient_retry()],
        failed="Snapshot shared")
    s["Prune source snapshots"]["Catch"][0]["ResultPath"] = "$.retentionError"
    s["Prune source snapshots"]["Catch"][0]["Next"] = "Alert: retention failed"
    # ... but it is not silent: an alert names the error; the replication itself succeeded.
    s["Alert: retention failed"] = handle_failure("source", "alert", "Prune source snapshots",
                                                  "$.retentionError", "$.retentionAlert", "Snapshot shared",
                                                  "$.retentionAlertError", "Snapshot shared")
    s["Snapshot shared"] = {"Type": "Succeed"}
    failure_path(s, "source", "Replication failed", "ReplicationFailed")
    return {
        "Comment": "Source account: snapshot the instance, copy it re-encrypted with the shareable key, share it "
                   "with the destination account(s), announce it on the replication topic. RDS progress arrives as "
                   "aws.rds events through rds-event-router (task tokens); there is no polling loop.",
        "StartAt": "Check input",
        "States": s,
    }


def destination():
    s = {}
    s["Prepare restore"] = {
        "Type": "Pass",
        "Parameters": {"replicationId.$": "$.replicationId", "message.$": "$",
                       "rearms": {"copy": 0, "restore": 0, "password": 0}},
        "Next": "Copy shared snapshot",
    }
    counters = ("copy", "restore", "password")
    waited_step(s, "Copy shared snapshot", "CopySharedSnapshot",
                {"replicationId.$": "$.replicationId", "sourceSnapshotArn.$": "$.message.snapshotArn",
                 "sourceInstance.$": "$.message.sourceInstance"},
                "Restore instance", "$.copy", "copy", counters, [transient_retry(), copy_quota_retry()])
    waited_step(s, "Restore instance", "RestoreInstance",
                {"replicationId.$": "$.replicationId", "snapshotArn.$": "$.copy.snapshotArn",
                 "sourceInstance.$": "$.message.sourceInstance"},
                "Set master password", "$.instance", "restore", counters,
                [transient_retry(("CapacityUnavailableException",))])
    # The secret's password becomes the new instance's; the secret moves only once it is in effect.
    waited_step(s, "Set master password", "ResetPassword",
                {"replicationId.$": "$.replicationId", "dbInstanceIdentifier.$": "$.instance.dbInstanceIdentifier"},
                "Switch endpoint", None, "password", counters,
                [transient_retry(("InstanceNotAvailableException",))], timeout=PASSWORD_WAIT_TIMEOUT_SECONDS)
    plain_step(s, "Switch endpoint", "SwitchEndpoint",
               {"replicationId.$": "$.replicationId", "dbInstanceIdentifier.$": "$.instance.dbInstanceIdentifier"},
               "Newer than the current copy?", "$.switch",
               {"previousInstance.$": "$.Payload.previousInstance", "currentInstance.$": "$.Payload.currentInstance",
                "secretVersionId.$": "$.Payload.secretVersionId", "superseded.$": "$.Payload.superseded"},
               [transient_retry(("InstanceNotAvailableException",)), promotion_retry()])
    s["Newer than the current copy?"] = {
        "Type": "Choice",
        "Choices": [{"Variable": "$.switch.superseded", "BooleanEquals": True, "Next": "Report superseded run"}],
        "Default": "Prune instances",
    }
    # An older copy finishing after a newer one: the secret stays, the run ends well and says so.
    s["Report superseded run"] = handle_failure(
        "destination", "notice", "Switch endpoint",
        {"Error": "Superseded", "Cause": "This copy holds an older snapshot than the instance the secret names: the "
                                         "secret was left alone and the copy is tagged for cleanup."}, "$.notice",
        "Superseded by a newer copy", "$.noticeError", "Superseded by a newer copy")
    s["Superseded by a newer copy"] = {"Type": "Succeed"}
    plain_step(s, "Prune instances", "PruneInstances", {"replicationId.$": "$.replicationId"},
               "Copy in service", "$.prune",
               {"kept.$": "$.Payload.kept", "deleted.$": "$.Payload.deleted", "skipped.$": "$.Payload.skipped"},
               [transient_retry()])
    s["Copy in service"] = {"Type": "Succeed"}
    failure_path(s, "destination", "Restore failed", "RestoreFailed")
    return {
        "Comment": "Destination account: copy the shared snapshot with this account's key, restore a new instance, "
                   "set the secret's password on it and wait until it is in effect, point the database secret at "
                   "it (never back to older data), keep the newest N. RDS progress arrives as aws.rds events "
                   "through rds-event-router (task tokens); there is no polling loop.",
        "StartAt": "Prepare restore",
        "States": s,
    }


def rollback():
    s = {}
    s["Check input"] = {
        "Type": "Choice",
        "Choices": [{"And": [{"Variable": "$.dbInstanceIdentifier", "IsPresent": True},
                             {"Variable": "$.dbInstanceIdentifier", "IsString": True},
                             {"Variable": "$.reason", "IsPresent": True},
                             {"Variable": "$.reason", "IsString": True}],
                     "Next": "Prepare rollback"}],
        "Default": "Input rejected",
    }
    s["Input rejected"] = {"Type": "Fail", "Error": ERR + "InvalidInputException",
                           "Cause": "The input must be {\"dbInstanceIdentifier\": \"<retained instance>\", "
                                    "\"reason\": \"...\"}."}
    s["Prepare rollback"] = {
        "Type": "Pass",
        "Parameters": {"replicationId.$": "$$.Execution.Name", "dbInstanceIdentifier.$": "$.dbInstanceIdentifier",
                       "reason.$": "$.reason", "rearms": {"password": 0}},
        "Next": "Check rollback target",
    }
    failure = "Alert without cleanup"
    plain_step(s, "Check rollback target", "Rollback",
               {"replicationId.$": "$.replicationId", "dbInstanceIdentifier.$": "$.dbInstanceIdentifier",
                "reason.$": "$.reason"},
               "Set master password", "$.target",
               {"dbInstanceIdentifier.$": "$.Payload.dbInstanceIdentifier",
                "previousInstance.$": "$.Payload.previousInstance"},
               [transient_retry()], failure=failure)
    waited_step(s, "Set master password", "ResetPassword",
                {"replicationId.$": "$.replicationId", "dbInstanceIdentifier.$": "$.target.dbInstanceIdentifier"},
                "Switch endpoint", None, "password", ("password",),
                [transient_retry(("InstanceNotAvailableException",))], timeout=PASSWORD_WAIT_TIMEOUT_SECONDS,
                failure=failure)
    plain_step(s, "Switch endpoint", "SwitchEndpoint",
               {"replicationId.$": "$.replicationId", "dbInstanceIdentifier.$": "$.target.dbInstanceIdentifier",
                "rollback": True},
               "Rolled back", "$.switch",
               {"previousInstance.$": "$.Payload.previousInstance", "currentInstance.$": "$.Payload.currentInstance",
                "secretVersionId.$": "$.Payload.secretVersionId"},
               [transient_retry(("InstanceNotAvailableException",)), promotion_retry()], failure=failure)
    s["Rolled back"] = {"Type": "Succeed"}
    # A rollback creates nothing, so its failure path only alerts.
    failure_path(s, "destination", "Rollback failed", "RollbackFailed", cleanup=False)
    return {
        "Comment": "Destination account, on demand: point the database secret back at a retained earlier instance, "
                   "after setting the secret's password on it and waiting until it is in effect.",
        "StartAt": "Check input",
        "States": s,
    }


def main():
    root = Path(__file__).resolve().parent.parent
    out = {"source-replication.asl.json": source(), "destination-restore.asl.json": destination(),
           "rollback.asl.json": rollback()}
    check = "--check" in sys.argv
    stale = []
    for name, doc in out.items():
        text = json.dumps(doc, indent=2) + "\n"
        path = root / "statemachines" / name
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(name)
        else:
            path.write_text(text)
    if stale:
        print("statemachines out of date (run python3 tools/gen_asl.py): " + ", ".join(stale))
        sys.exit(1)


if __name__ == "__main__":
    main()
