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
MAX_REARMS = 24


def lambda_retry():
    return {"ErrorEquals": LAMBDA_ERRORS, "IntervalSeconds": 2, "MaxAttempts": 6, "BackoffRate": 2,
            "MaxDelaySeconds": 60, "JitterStrategy": "FULL"}


def transient_retry(extra=()):
    names = [ERR + n for n in ("TransientAwsException", "ResourceBusyException", *extra)]
    return {"ErrorEquals": names, "IntervalSeconds": 30, "MaxAttempts": 6, "BackoffRate": 2,
            "MaxDelaySeconds": 900, "JitterStrategy": "FULL"}


def copy_quota_retry():
    # Up to 20 copies may run per Region; a queue drains in minutes to hours.
    return {"ErrorEquals": [ERR + "CopyQuotaExceededException"], "IntervalSeconds": 300, "MaxAttempts": 12,
            "BackoffRate": 1.5, "MaxDelaySeconds": 3600, "JitterStrategy": "FULL"}


def invoke(fn, payload, next_state, result_path=None, selector=None, wait=False, retries=(), failed=None,
           timed_out=None):
    state = {
        "Type": "Task",
        "Resource": "arn:${Partition}:states:::lambda:invoke" + (".waitForTaskToken" if wait else ""),
        "Parameters": {"FunctionName": "${%sFunctionArn}" % fn, "Payload": payload},
    }
    if wait:
        state["Parameters"]["Payload"] = dict(payload, **{"taskToken.$": "$$.Task.Token"})
        state["TimeoutSeconds"] = WAIT_TIMEOUT_SECONDS
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


def waited_step(states, name, fn, payload, next_state, result_path, counter, counters, retries):
    """A Task that waits for an RDS event, with its timeout path: on States.Timeout the step is invoked
    again (it adopts what it already started, re-registers the wait and Describes: done, failed or
    wait again), at most MAX_REARMS times."""
    failed = f"{name} failed"
    timed_out = f"{name}: wait timed out"
    rearm = f"{name}: wait again"
    states[name] = invoke(fn, payload, next_state, result_path, wait=True, retries=retries, failed=failed,
                          timed_out=timed_out)
    exhausted = f"{name}: waited too long"
    states[timed_out] = {
        "Type": "Choice",
        "Choices": [{"Variable": f"$.rearms.{counter}", "NumericGreaterThanEquals": MAX_REARMS, "Next": exhausted}],
        "Default": rearm,
    }
    states[exhausted] = {
        "Type": "Pass",
        "Result": {"Error": ERR + "WaitExhaustedException",
                   "Cause": f"RDS did not finish within {MAX_REARMS + 1} wait timeouts of {WAIT_TIMEOUT_SECONDS} s"},
        "ResultPath": "$.error",
        "Next": failed,
    }
    params = {f"{c}.$": f"$.rearms.{c}" for c in counters}
    params[f"{counter}.$"] = f"States.MathAdd($.rearms.{counter}, 1)"
    states[rearm] = {"Type": "Pass", "Parameters": params, "ResultPath": "$.rearms", "Next": name}
    note_failure(states, name)


def note_failure(states, name):
    states[f"{name} failed"] = {"Type": "Pass", "Result": name, "ResultPath": "$.failedStep",
                                "Next": "Clean up and alert"}


def plain_step(states, name, fn, payload, next_state, result_path, selector, retries=()):
    states[name] = invoke(fn, payload, next_state, result_path, selector=selector, retries=retries,
                          failed=f"{name} failed")
    note_failure(states, name)


def failure_path(states, fail_name, fail_error):
    states["Clean up and alert"] = {
        "Type": "Task",
        "Resource": "arn:${Partition}:states:::lambda:invoke",
        "Parameters": {"FunctionName": "${HandleFailureFunctionArn}", "Payload": {
            "replicationId.$": "$.replicationId", "failedStep.$": "$.failedStep", "error.$": "$.error",
            "executionArn.$": "$$.Execution.Id"}},
        "ResultSelector": {"deleted.$": "$.Payload.deleted", "alertMessageId.$": "$.Payload.alertMessageId"},
        "ResultPath": "$.cleanup",
        "Retry": [lambda_retry()],
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.cleanupError", "Next": fail_name}],
        "Next": fail_name,
    }
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
    s["Snapshot shared"] = {"Type": "Succeed"}
    failure_path(s, "Replication failed", "ReplicationFailed")
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
        "Parameters": {"replicationId.$": "$.replicationId", "message.$": "$", "rearms": {"copy": 0, "restore": 0}},
        "Next": "Copy shared snapshot",
    }
    counters = ("copy", "restore")
    waited_step(s, "Copy shared snapshot", "CopySharedSnapshot",
                {"replicationId.$": "$.replicationId", "sourceSnapshotArn.$": "$.message.snapshotArn",
                 "sourceInstance.$": "$.message.sourceInstance"},
                "Restore instance", "$.copy", "copy", counters, [transient_retry(), copy_quota_retry()])
    waited_step(s, "Restore instance", "RestoreInstance",
                {"replicationId.$": "$.replicationId", "snapshotArn.$": "$.copy.snapshotArn",
                 "sourceInstance.$": "$.message.sourceInstance"},
                "Switch endpoint", "$.instance", "restore", counters,
                [transient_retry(("CapacityUnavailableException",))])
    plain_step(s, "Switch endpoint", "SwitchEndpoint",
               {"replicationId.$": "$.replicationId", "dbInstanceIdentifier.$": "$.instance.dbInstanceIdentifier"},
               "Prune instances", "$.switch",
               {"previousInstance.$": "$.Payload.previousInstance", "currentInstance.$": "$.Payload.currentInstance",
                "secretVersionId.$": "$.Payload.secretVersionId"},
               [transient_retry(("InstanceNotAvailableException",))])
    plain_step(s, "Prune instances", "PruneInstances", {"replicationId.$": "$.replicationId"},
               "Copy in service", "$.prune",
               {"kept.$": "$.Payload.kept", "deleted.$": "$.Payload.deleted", "skipped.$": "$.Payload.skipped"},
               [transient_retry()])
    s["Copy in service"] = {"Type": "Succeed"}
    failure_path(s, "Restore failed", "RestoreFailed")
    return {
        "Comment": "Destination account: copy the shared snapshot with this account's key, restore a new instance, "
                   "point the database secret at it, keep the newest N. RDS progress arrives as aws.rds events "
                   "through rds-event-router (task tokens); there is no polling loop.",
        "StartAt": "Prepare restore",
        "States": s,
    }


def main():
    root = Path(__file__).resolve().parent.parent
    out = {"source-replication.asl.json": source(), "destination-restore.asl.json": destination()}
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
