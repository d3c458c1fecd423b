#!/usr/bin/env python3
"""Generates statemachines/*.asl.json.

The three workflows share their discipline (retries, wait timeouts, the failure path), so the
definitions are written once here and emitted as plain ASL; the generated files are committed and
are what SAM deploys. Run `python3 tools/gen_asl.py` after editing; `--check` fails when the
committed files differ (CI runs it).

The builders take keyword-only arguments named after the ASL fields they fill (`next`,
`result_path`, `result_selector`, `retry`, `catch`, ...), so a call reads like the state it writes.
"""
import json
import sys
from pathlib import Path

GENERATOR = "tools/gen_asl.py"
ERR = "org.rdsreplicator.common.errors."
LAMBDA_ERRORS = ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException",
                 "Lambda.TooManyRequestsException", "Lambda.ClientExecutionTimeoutException"]
WAIT_TIMEOUT_SECONDS = 3600
# A password reset takes minutes whatever the database's size, and whether RDS-EVENT-0016 marks its start or
# its end is not documented: its wait re-checks (Describe) every 5 minutes instead of every hour.
PASSWORD_WAIT_TIMEOUT_SECONDS = 300
# A copy step waiting for copy-quota headroom is woken when a copy of its kind settles; its timeout only re-checks
# in case a wake-up was lost (or another system's copy freed the slot): every 30 minutes, MAX_REARMS times.
HEADROOM_WAIT_TIMEOUT_SECONDS = 1800
# How often a waited step is invoked again after its wait timed out, before the run fails.
MAX_REARMS = 24
# RDS sends no event when a cluster-snapshot copy finishes: `Copy cluster snapshot` completes only when the step,
# invoked again after its wait timeout, Describes the copy available. A 5-minute timeout bounds how late that is
# seen; 288 re-arms of 5 minutes give a copy a day, as the 24 hourly re-arms do elsewhere.
CLUSTER_COPY_WAIT_TIMEOUT_SECONDS = 300
CLUSTER_COPY_MAX_REARMS = 288
FAILURE = "Clean up and alert"


# ---- Retry and Catch entries ---------------------------------------------------------------------

def retry(*, errors, interval_seconds, max_attempts, backoff_rate, max_delay_seconds=None, jitter=True):
    r = {"ErrorEquals": list(errors), "IntervalSeconds": interval_seconds, "MaxAttempts": max_attempts,
         "BackoffRate": backoff_rate}
    if max_delay_seconds is not None:
        r["MaxDelaySeconds"] = max_delay_seconds
    if jitter:
        r["JitterStrategy"] = "FULL"
    return r


def catch(*, errors, result_path="$.error", next):
    return {"ErrorEquals": list(errors), "ResultPath": result_path, "Next": next}


def lambda_retry():
    return retry(errors=LAMBDA_ERRORS, interval_seconds=2, max_attempts=6, backoff_rate=2, max_delay_seconds=60)


def transient_retry(*also):
    return retry(errors=[ERR + n for n in ("TransientAwsException", "ResourceBusyException", *also)],
                 interval_seconds=30, max_attempts=6, backoff_rate=2, max_delay_seconds=900)


def promotion_retry():
    # Another run of the same destination is switching or pruning: that takes seconds to minutes.
    return retry(errors=[ERR + "PromotionInProgressException"], interval_seconds=10, max_attempts=30,
                 backoff_rate=1.5, max_delay_seconds=120)


def wait_timeout_retry(max_rearms=MAX_REARMS):
    # A wait that timed out invokes the step again at once: it adopts what it started, registers the (new)
    # token and Describes: done, failed, or wait again. No jitter: there is no contention to spread.
    return retry(errors=["States.Timeout"], interval_seconds=1, max_attempts=max_rearms, backoff_rate=1,
                 jitter=False)


# ---- States --------------------------------------------------------------------------------------

def lambda_task(*, function, payload, result_path, next, result_selector=None, retry=(), catch=(),
                wait_for_task_token=False, timeout_seconds=None):
    """A Lambda Task; with wait_for_task_token the payload carries $$.Task.Token and the state's result is what
    SendTaskSuccess sends."""
    state = {
        "Type": "Task",
        "Resource": "arn:${Partition}:states:::lambda:invoke" + (".waitForTaskToken" if wait_for_task_token else ""),
        "Parameters": {"FunctionName": "${%sFunctionArn}" % function,
                       "Payload": dict(payload, **{"taskToken.$": "$$.Task.Token"}) if wait_for_task_token
                       else payload},
    }
    if timeout_seconds is not None:
        state["TimeoutSeconds"] = timeout_seconds
    if result_selector:
        state["ResultSelector"] = result_selector
    state["ResultPath"] = result_path
    state["Retry"] = [*retry, lambda_retry()]
    state["Catch"] = list(catch)
    state["Next"] = next
    return state


def step_failed(states, *, step, next=FAILURE):
    """`<step> failed`: records which step failed, then the failure path."""
    states[f"{step} failed"] = {"Type": "Pass", "Result": step, "ResultPath": "$.failedStep", "Next": next}


def waited_step(states, *, name, function, payload, result_path, next, retry, timeout_seconds=WAIT_TIMEOUT_SECONDS,
                failure=FAILURE, max_rearms=MAX_REARMS, also_catch=()):
    """A Task that waits for an RDS event (task token). Its timeout is a retry: on States.Timeout the step is
    invoked again, at most max_rearms times; after that `<name>: waited too long` names the error
    WaitExhaustedException and the failure path runs. also_catch: Catch entries tried before the failure path's."""
    failed, exhausted = f"{name} failed", f"{name}: waited too long"
    states[name] = lambda_task(
        function=function, payload=payload, result_path=result_path, next=next,
        wait_for_task_token=True, timeout_seconds=timeout_seconds,
        retry=[wait_timeout_retry(max_rearms), *retry],
        catch=[catch(errors=["States.Timeout"], next=exhausted), *also_catch,
               catch(errors=["States.ALL"], next=failed)])
    states[exhausted] = {
        "Type": "Pass",
        "Result": {"Error": ERR + "WaitExhaustedException",
                   "Cause": f"RDS did not finish within {max_rearms + 1} wait timeouts of {timeout_seconds} s"},
        "ResultPath": "$.error",
        "Next": failed,
    }
    step_failed(states, step=name, next=failure)


def copy_headroom(states, *, step, kind, failure=FAILURE):
    """`<step>: wait for headroom`: the copy step `step` raised CopyQuotaExceededException (its account and Region
    have `kind` copies in progress up to the quota, or RDS said SnapshotQuotaExceeded). This task registers its token
    in the copy-headroom queue of the account, Region and kind (copy-headroom) and is woken, oldest first, when a copy
    of that kind settles; its timeout re-checks (a lost wake-up strands nothing), at most MAX_REARMS times, then
    WaitExhaustedException takes the failure path. Then `step` runs again. Returns the Catch entry for `step`.
    kind: "instance" (DB snapshot copies) or "cluster" (DB cluster snapshot copies)."""
    name = f"{step}: wait for headroom"
    waited_step(states, name=name, function="CopyHeadroom",
                payload={"replicationId.$": "$.replicationId", "kind": kind},
                result_path=None, next=step, retry=[transient_retry()],
                timeout_seconds=HEADROOM_WAIT_TIMEOUT_SECONDS, failure=failure)
    return catch(errors=[ERR + "CopyQuotaExceededException"], result_path="$.copyQuota", next=name)


def plain_step(states, *, name, function, payload, result_path, result_selector, next, retry=(), failure=FAILURE):
    states[name] = lambda_task(function=function, payload=payload, result_path=result_path,
                               result_selector=result_selector, next=next, retry=retry,
                               catch=[catch(errors=["States.ALL"], next=f"{name} failed")])
    step_failed(states, step=name, next=failure)


def handle_failure(*, side, mode, failed_step, error, result_path, next, on_error_result_path, on_error_next):
    """A call of handle-failure. mode: cleanup (delete what the run created, release its promotion lock, then
    alert), alert (alert only: nothing is listed or deleted), notice (an informational alert). failed_step: a
    JSONPath to the step's name, or the name itself; error: a JSONPath to the error, or the error itself. side:
    the workflow's side (source or destination): with Role=both one account runs both, and a run's cleanup only
    ever touches its own side's resources. If handle-failure fails, on_error_next runs with the error at
    on_error_result_path."""
    payload = {"replicationId.$": "$.replicationId", "executionArn.$": "$$.Execution.Id", "mode": mode,
               "side": side}
    payload["failedStep.$" if failed_step.startswith("$") else "failedStep"] = failed_step
    if isinstance(error, str):
        payload["error.$"] = error
    else:
        payload["error"] = error
    return {
        "Type": "Task",
        "Resource": "arn:${Partition}:states:::lambda:invoke",
        "Parameters": {"FunctionName": "${HandleFailureFunctionArn}", "Payload": payload},
        "ResultSelector": {"deleted.$": "$.Payload.deleted", "alertMessageId.$": "$.Payload.alertMessageId"},
        "ResultPath": result_path,
        "Retry": [transient_retry(), lambda_retry()],
        "Catch": [catch(errors=["States.ALL"], result_path=on_error_result_path, next=on_error_next)],
        "Next": next,
    }


def failure_path(states, *, side, fail_state, fail_error, cleanup=True):
    """The failure path: clean up and alert; if that fails or times out itself, alert without cleaning up, so a
    failure is never silent."""
    alert_only = "Alert without cleanup"
    if cleanup:
        states[FAILURE] = handle_failure(side=side, mode="cleanup", failed_step="$.failedStep", error="$.error",
                                         result_path="$.cleanup", next=fail_state,
                                         on_error_result_path="$.cleanupError", on_error_next=alert_only)
    states[alert_only] = handle_failure(side=side, mode="alert", failed_step="$.failedStep", error="$.error",
                                        result_path="$.alert", next=fail_state,
                                        on_error_result_path="$.alertError", on_error_next=fail_state)
    states[fail_state] = {"Type": "Fail", "Error": fail_error,
                          "Cause": "A step failed; the alerts topic has the replication id, step and cause."}


def machine(*, builder, comment, start_at, states):
    """The state machine document; its Comment says it is generated, and by what."""
    return {
        "Comment": f"Generated by {GENERATOR} ({builder}()) - do not edit; change the generator and run it. "
                   + comment,
        "StartAt": start_at,
        "States": states,
    }


def verify_copy(states, *, instance=None, next, rollback=False, failure=FAILURE, name="Verify copy", cluster=None):
    """`Verify copy`: log in to the instance (or, given `cluster`, the cluster's writer endpoint) with the secret's
    credentials and run the validation query, after the password is in effect and before the secret moves. The
    payload carries no credential (the function reads the secret). Only an endpoint whose name does not resolve yet
    is retried; a refused login, an unreachable database, a failing query or too few rows take the failure path."""
    payload = {"replicationId.$": "$.replicationId"}
    payload["dbClusterIdentifier.$" if cluster else "dbInstanceIdentifier.$"] = cluster or instance
    if rollback:
        payload["rollback"] = True
    plain_step(states, name=name, function="VerifyCopy", payload=payload, result_path="$.verification",
               result_selector={"outcome.$": "$.Payload.outcome", "query.$": "$.Payload.query",
                                "rows.$": "$.Payload.rows", "minRows.$": "$.Payload.minRows",
                                "elapsedMs.$": "$.Payload.elapsedMs"},
               next=next, retry=[transient_retry("InstanceNotAvailableException", "EndpointNotResolvableException")],
               failure=failure)


# ---- The workflows -------------------------------------------------------------------------------

# The source workflow runs one chain of states per kind of source database: the same Lambda functions, which
# branch on the request (an instance identifier, or a cluster's and a cluster-snapshot ARN). The instance chain keeps
# its original state names and payloads; the Aurora cluster chain has its own names, so an execution's history and
# the failure alert say which one ran.
INSTANCE = {
    "field": "dbInstanceIdentifier", "not_available": "InstanceNotAvailableException",
    "prepare": "Prepare replication", "check": "Check source", "create": "Create snapshot", "copy": "Copy snapshot",
    "share": "Share snapshot", "notify": "Notify destination", "prune": "Prune source snapshots",
    "retention_alert": "Alert: retention failed", "done": "Snapshot shared",
    "prepare_dry_run": "Prepare dry run", "dry_run_check": "Dry run: check source",
}
CLUSTER = {
    "field": "dbClusterIdentifier", "not_available": "ClusterNotAvailableException",
    "prepare": "Prepare cluster replication", "check": "Check source cluster", "create": "Create cluster snapshot",
    "copy": "Copy cluster snapshot", "share": "Share cluster snapshot", "notify": "Notify destination of cluster",
    "prune": "Prune source cluster snapshots", "retention_alert": "Alert: cluster retention failed",
    "done": "Cluster snapshot shared", "prepare_dry_run": "Prepare cluster dry run",
    "dry_run_check": "Dry run: check source cluster",
}


def source_preflight(s, *, kind):
    """`Prepare ...` and the preflight of one kind of source, and the same for its dry run (which then tells the
    destinations through the one shared `Dry run: tell the destinations`)."""
    field, k = kind["field"], kind
    s[k["prepare"]] = {
        "Type": "Pass",
        "Parameters": {f"{field}.$": f"$.{field}", "replicationId.$": "$$.Execution.Name",
                       "requestedAt.$": "$$.Execution.StartTime"},
        "Next": k["check"],
    }
    # Preflight: what would make the run fail later, before any RDS work. Nothing was created, so a failure only
    # alerts (no cleanup).
    preflight_payload = {"replicationId.$": "$.replicationId", f"{field}.$": f"$.{field}",
                         "requestedAt.$": "$.requestedAt"}
    # A source not available yet (a backup, a modification) is waited for as Create snapshot did before.
    plain_step(s, name=k["check"], function="PreflightSource", payload=dict(preflight_payload, dryRun=False),
               result_path="$.preflight", result_selector={"report.$": "$.Payload"}, next=k["create"],
               retry=[transient_retry(k["not_available"])], failure="Alert without cleanup")
    # The dry run: the source's preflight and plan, then the same announcement a real run makes, marked as a dry
    # run, so each destination runs its own preflight and plan. Nothing is created or changed anywhere.
    s[k["prepare_dry_run"]] = {
        "Type": "Pass",
        "Parameters": {f"{field}.$": f"$.{field}", "replicationId.$": "$$.Execution.Name",
                       "requestedAt.$": "$$.Execution.StartTime", "dryRun": True},
        "Next": k["dry_run_check"],
    }
    plain_step(s, name=k["dry_run_check"], function="PreflightSource",
               payload=dict(preflight_payload, dryRun=True), result_path="$.preflight",
               result_selector={"report.$": "$.Payload"}, next="Dry run: tell the destinations",
               retry=[transient_retry()], failure="Alert without cleanup")


def replication_chain(s, *, kind):
    """Snapshot, re-encrypted copy, share, announce, prune: the source workflow's work for one kind of source."""
    field, k = kind["field"], kind
    cluster = kind is CLUSTER
    waited_step(s, name=k["create"], function="CreateSnapshot",
                payload={f"{field}.$": f"$.{field}", "replicationId.$": "$.replicationId",
                         "requestedAt.$": "$.requestedAt"},
                result_path="$.snapshot", next=k["copy"],
                retry=[transient_retry(k["not_available"])])
    # No RDS event announces a finished cluster-snapshot copy: the cluster's copy wait is completed by the step's
    # own Describe when it is invoked again after each (shorter) timeout; see CLUSTER_COPY_WAIT_TIMEOUT_SECONDS.
    waited_step(s, name=k["copy"], function="CopySnapshot",
                payload={"replicationId.$": "$.replicationId", "sourceSnapshotArn.$": "$.snapshot.snapshotArn"},
                result_path="$.copy", next=k["share"],
                retry=[transient_retry()],
                also_catch=[copy_headroom(s, step=k["copy"], kind="cluster" if cluster else "instance")],
                **({"timeout_seconds": CLUSTER_COPY_WAIT_TIMEOUT_SECONDS, "max_rearms": CLUSTER_COPY_MAX_REARMS}
                   if cluster else {}))
    plain_step(s, name=k["share"], function="ShareSnapshot",
               payload={"replicationId.$": "$.replicationId", "snapshotArn.$": "$.copy.snapshotArn"},
               result_path="$.share", result_selector={"sharedWith.$": "$.Payload.sharedWith"},
               next=k["notify"],
               retry=[transient_retry("ShareNotAppliedException")])
    notify_payload = {"replicationId.$": "$.replicationId", "snapshotArn.$": "$.copy.snapshotArn"}
    if cluster:
        notify_payload.update({"sourceCluster.$": "$.dbClusterIdentifier",
                               "engineMode.$": "$.preflight.report.engineMode"})
    else:
        notify_payload["sourceInstance.$"] = "$.dbInstanceIdentifier"
    plain_step(s, name=k["notify"], function="NotifyDestination", payload=notify_payload,
               result_path="$.notification", result_selector={"messageId.$": "$.Payload.messageId"},
               next=k["prune"],
               retry=[transient_retry()])
    # Retention on the source side is best effort: the copy is shared and announced, so a failure here
    # must not run the failure path (it would delete the snapshot the destination is copying); the
    # next replication prunes again. The error stays in the execution output and the function's logs ...
    s[k["prune"]] = lambda_task(
        function="PruneSnapshots",
        payload={"replicationId.$": "$.replicationId", f"{field}.$": f"$.{field}"},
        result_path="$.retention", result_selector={"deleted.$": "$.Payload.deleted"},
        next=k["done"],
        retry=[transient_retry()],
        catch=[catch(errors=["States.ALL"], result_path="$.retentionError", next=k["retention_alert"])])
    # ... but it is not silent: an alert names the error; the replication itself succeeded.
    s[k["retention_alert"]] = handle_failure(
        side="source", mode="alert", failed_step=k["prune"], error="$.retentionError",
        result_path="$.retentionAlert", next=k["done"],
        on_error_result_path="$.retentionAlertError", on_error_next=k["done"])
    s[k["done"]] = {"Type": "Succeed"}


def source():
    s = {}
    instance_given = [{"Variable": "$.dbInstanceIdentifier", "IsPresent": True},
                      {"Variable": "$.dbInstanceIdentifier", "IsString": True}]
    cluster_given = [{"Variable": "$.dbClusterIdentifier", "IsPresent": True},
                     {"Variable": "$.dbClusterIdentifier", "IsString": True}]
    dry_run = [{"Variable": "$.dryRun", "IsPresent": True}, {"Variable": "$.dryRun", "IsBoolean": True},
               {"Variable": "$.dryRun", "BooleanEquals": True}]
    s["Check input"] = {
        "Type": "Choice",
        "Choices": [
            # Exactly one source: an instance or an Aurora cluster, never both.
            {"And": [{"Variable": "$.dbInstanceIdentifier", "IsPresent": True},
                     {"Variable": "$.dbClusterIdentifier", "IsPresent": True}],
             "Next": "Input rejected"},
            # {"dryRun": true}: preflight and plan only, on both sides; anything but a boolean is refused, so a
            # mistyped flag never starts a real run.
            {"And": [*instance_given, *dry_run], "Next": "Prepare dry run"},
            {"And": [*cluster_given, *dry_run], "Next": "Prepare cluster dry run"},
            {"And": [{"Variable": "$.dryRun", "IsPresent": True}, {"Not": {"Variable": "$.dryRun", "IsBoolean": True}}],
             "Next": "Input rejected"},
            {"And": instance_given, "Next": "Prepare replication"},
            {"And": cluster_given, "Next": "Prepare cluster replication"}],
        "Default": "Input rejected",
    }
    s["Input rejected"] = {"Type": "Fail", "Error": ERR + "InvalidInputException",
                           "Cause": "The input must be {\"dbInstanceIdentifier\": \"<source instance>\"} or "
                                    "{\"dbClusterIdentifier\": \"<source Aurora cluster>\"} (not both), optionally "
                                    "with \"dryRun\": true."}
    source_preflight(s, kind=INSTANCE)
    plain_step(s, name="Dry run: tell the destinations", function="NotifyDestination",
               payload={"replicationId.$": "$.replicationId", "dryRunMessage.$": "$.preflight.report.message"},
               result_path="$.notification", result_selector={"messageId.$": "$.Payload.messageId"},
               next="Dry run reported", retry=[transient_retry()], failure="Alert without cleanup")
    s["Dry run reported"] = {"Type": "Succeed"}
    replication_chain(s, kind=INSTANCE)
    source_preflight(s, kind=CLUSTER)
    replication_chain(s, kind=CLUSTER)
    failure_path(s, side="source", fail_state="Replication failed", fail_error="ReplicationFailed")
    return machine(
        builder="source",
        comment="Source account: snapshot the instance (or Aurora cluster), copy it re-encrypted with the shareable "
                "key, share it with the destination account(s), announce it on the replication topic. RDS progress "
                "arrives as aws.rds events through rds-event-router (task tokens); there is no polling loop (a "
                "cluster-snapshot copy, which has no event, is Describe'd by its step at each wait timeout).",
        start_at="Check input", states=s)


def destination():
    s = {}
    s["Prepare restore"] = {
        "Type": "Pass",
        "Parameters": {"replicationId.$": "$.replicationId", "message.$": "$"},
        "Next": "Check destination",
    }
    # Preflight: what would make the run fail later, before any RDS work; in a dry run also the plan. Nothing was
    # created, so a failure only alerts (no cleanup).
    plain_step(s, name="Check destination", function="PreflightDestination",
               payload={"replicationId.$": "$.replicationId", "message.$": "$.message"},
               result_path="$.preflight", result_selector={"report.$": "$.Payload"}, next="Dry run?",
               retry=[transient_retry()], failure="Alert without cleanup")
    s["Dry run?"] = {
        "Type": "Choice",
        "Choices": [{"And": [{"Variable": "$.message.dryRun", "IsPresent": True},
                             {"Variable": "$.message.dryRun", "IsBoolean": True},
                             {"Variable": "$.message.dryRun", "BooleanEquals": True}],
                     "Next": "Dry run reported"},
                    # An Aurora cluster's message (start-restore writes engineMode for every cluster).
                    {"And": [{"Variable": "$.message.sourceCluster", "IsPresent": True},
                             {"Variable": "$.message.sourceCluster", "IsString": True}],
                     "Next": "Restore cluster"}],
        "Default": "Copy shared snapshot",
    }
    s["Dry run reported"] = {"Type": "Succeed"}
    destination_cluster_path(s)
    waited_step(s, name="Copy shared snapshot", function="CopySharedSnapshot",
                payload={"replicationId.$": "$.replicationId", "sourceSnapshotArn.$": "$.message.snapshotArn",
                         "sourceInstance.$": "$.message.sourceInstance",
                         # start-restore writes every message field (null when absent): a path that always resolves.
                         "sourceOptionGroup.$": "$.message.optionGroupName"},
                result_path="$.copy", next="Restore instance",
                retry=[transient_retry()],
                also_catch=[copy_headroom(s, step="Copy shared snapshot", kind="instance")])
    waited_step(s, name="Restore instance", function="RestoreInstance",
                payload={"replicationId.$": "$.replicationId", "snapshotArn.$": "$.copy.snapshotArn",
                         "sourceInstance.$": "$.message.sourceInstance"},
                result_path="$.instance", next="Set master password",
                retry=[transient_retry("CapacityUnavailableException")])
    # The secret's password becomes the new instance's; the secret moves only once it is in effect.
    waited_step(s, name="Set master password", function="ResetPassword",
                payload={"replicationId.$": "$.replicationId",
                         "dbInstanceIdentifier.$": "$.instance.dbInstanceIdentifier"},
                result_path=None, next="Verify copy",
                retry=[transient_retry("InstanceNotAvailableException")],
                timeout_seconds=PASSWORD_WAIT_TIMEOUT_SECONDS)
    verify_copy(s, instance="$.instance.dbInstanceIdentifier", next="Switch endpoint")
    plain_step(s, name="Switch endpoint", function="SwitchEndpoint",
               payload={"replicationId.$": "$.replicationId",
                        "dbInstanceIdentifier.$": "$.instance.dbInstanceIdentifier"},
               result_path="$.switch",
               result_selector={"previousInstance.$": "$.Payload.previousInstance",
                                "currentInstance.$": "$.Payload.currentInstance",
                                "secretVersionId.$": "$.Payload.secretVersionId",
                                "superseded.$": "$.Payload.superseded"},
               next="Newer than the current copy?",
               retry=[transient_retry("InstanceNotAvailableException"), promotion_retry()])
    s["Newer than the current copy?"] = {
        "Type": "Choice",
        "Choices": [{"Variable": "$.switch.superseded", "BooleanEquals": True, "Next": "Report superseded run"}],
        "Default": "Prune instances",
    }
    # An older copy finishing after a newer one: the secret stays, the run ends well and says so.
    s["Report superseded run"] = handle_failure(
        side="destination", mode="notice", failed_step="Switch endpoint",
        error={"Error": "Superseded", "Cause": "This copy holds an older snapshot than the instance the secret names: "
                                               "the secret was left alone and the copy is tagged for cleanup."},
        result_path="$.notice", next="Superseded by a newer copy",
        on_error_result_path="$.noticeError", on_error_next="Superseded by a newer copy")
    s["Superseded by a newer copy"] = {"Type": "Succeed"}
    plain_step(s, name="Prune instances", function="PruneInstances",
               payload={"replicationId.$": "$.replicationId", "sourceInstance.$": "$.message.sourceInstance"},
               result_path="$.prune",
               result_selector={"kept.$": "$.Payload.kept", "deleted.$": "$.Payload.deleted",
                                "skipped.$": "$.Payload.skipped"},
               next="Copy in service",
               retry=[transient_retry()])
    s["Copy in service"] = {"Type": "Succeed"}
    failure_path(s, side="destination", fail_state="Restore failed", fail_error="RestoreFailed")
    return machine(
        builder="destination",
        comment="Destination account: copy the shared snapshot with this account's key, restore a new instance, set "
                "the secret's password on it and wait until it is in effect, point the database secret at it (never "
                "back to older data), keep the newest N. RDS progress arrives as aws.rds events through "
                "rds-event-router (task tokens); there is no polling loop.",
        start_at="Prepare restore", states=s)


def destination_cluster_path(s):
    """The destination's states for an Aurora cluster: restore the cluster straight from the shared cluster snapshot
    (no copy: Aurora restores a shared encrypted cluster snapshot with this account's key), create its writer, set
    the secret's password on the cluster and wait until it is in effect, verify through the writer endpoint, switch,
    then the same retention step as instances (which releases the promotion lock)."""
    waited_step(s, name="Restore cluster", function="RestoreCluster",
                payload={"replicationId.$": "$.replicationId", "snapshotArn.$": "$.message.snapshotArn",
                         "sourceCluster.$": "$.message.sourceCluster", "engine.$": "$.message.engine",
                         "engineVersion.$": "$.message.engineVersion", "engineMode.$": "$.message.engineMode",
                         "createdAt.$": "$.message.createdAt"},
                result_path="$.cluster", next="Create writer instance",
                retry=[transient_retry("CapacityUnavailableException")])
    waited_step(s, name="Create writer instance", function="CreateWriter",
                payload={"replicationId.$": "$.replicationId", "dbClusterIdentifier.$": "$.cluster.dbClusterIdentifier",
                         "engineMode.$": "$.message.engineMode"},
                result_path="$.writer", next="Set cluster master password",
                retry=[transient_retry("CapacityUnavailableException")])
    # On Aurora the password belongs to the cluster (ModifyDBCluster); done when the cluster has none pending.
    waited_step(s, name="Set cluster master password", function="ResetPassword",
                payload={"replicationId.$": "$.replicationId",
                         "dbClusterIdentifier.$": "$.cluster.dbClusterIdentifier"},
                result_path=None, next="Verify cluster copy",
                retry=[transient_retry("InstanceNotAvailableException")],
                timeout_seconds=PASSWORD_WAIT_TIMEOUT_SECONDS)
    verify_copy(s, name="Verify cluster copy", cluster="$.cluster.dbClusterIdentifier",
                next="Switch endpoint to cluster")
    plain_step(s, name="Switch endpoint to cluster", function="SwitchEndpoint",
               payload={"replicationId.$": "$.replicationId",
                        "dbClusterIdentifier.$": "$.cluster.dbClusterIdentifier"},
               result_path="$.switch",
               result_selector={"previousInstance.$": "$.Payload.previousInstance",
                                "currentInstance.$": "$.Payload.currentInstance",
                                "secretVersionId.$": "$.Payload.secretVersionId",
                                "superseded.$": "$.Payload.superseded"},
               next="Newer than the current cluster?",
               retry=[transient_retry("InstanceNotAvailableException"), promotion_retry()])
    s["Newer than the current cluster?"] = {
        "Type": "Choice",
        "Choices": [{"Variable": "$.switch.superseded", "BooleanEquals": True, "Next": "Report superseded run"}],
        "Default": "Prune instances",
    }


def rollback_cluster_path(s, *, failure):
    """The rollback of an Aurora cluster: the same steps as an instance's, on the cluster (password on the cluster,
    verification and the secret on its writer endpoint)."""
    s["Prepare cluster rollback"] = {
        "Type": "Pass",
        "Parameters": {"replicationId.$": "$$.Execution.Name", "dbClusterIdentifier.$": "$.dbClusterIdentifier",
                       "reason.$": "$.reason"},
        "Next": "Check cluster rollback target",
    }
    plain_step(s, name="Check cluster rollback target", function="Rollback",
               payload={"replicationId.$": "$.replicationId", "dbClusterIdentifier.$": "$.dbClusterIdentifier",
                        "reason.$": "$.reason"},
               result_path="$.target",
               result_selector={"dbClusterIdentifier.$": "$.Payload.dbClusterIdentifier",
                                "previousInstance.$": "$.Payload.previousInstance"},
               next="Set cluster master password", retry=[transient_retry()], failure=failure)
    waited_step(s, name="Set cluster master password", function="ResetPassword",
                payload={"replicationId.$": "$.replicationId",
                         "dbClusterIdentifier.$": "$.target.dbClusterIdentifier"},
                result_path=None, next="Verify cluster copy",
                retry=[transient_retry("InstanceNotAvailableException")],
                timeout_seconds=PASSWORD_WAIT_TIMEOUT_SECONDS, failure=failure)
    verify_copy(s, name="Verify cluster copy", cluster="$.target.dbClusterIdentifier", next="Switch endpoint to cluster",
                rollback=True, failure=failure)
    plain_step(s, name="Switch endpoint to cluster", function="SwitchEndpoint",
               payload={"replicationId.$": "$.replicationId",
                        "dbClusterIdentifier.$": "$.target.dbClusterIdentifier", "rollback": True},
               result_path="$.switch",
               result_selector={"previousInstance.$": "$.Payload.previousInstance",
                                "currentInstance.$": "$.Payload.currentInstance",
                                "secretVersionId.$": "$.Payload.secretVersionId"},
               next="Rolled back",
               retry=[transient_retry("InstanceNotAvailableException"), promotion_retry()], failure=failure)


def rollback():
    s = {}
    s["Check input"] = {
        "Type": "Choice",
        "Choices": [{"And": [{"Variable": "$.dbInstanceIdentifier", "IsPresent": True},
                             {"Variable": "$.dbInstanceIdentifier", "IsString": True},
                             {"Variable": "$.reason", "IsPresent": True},
                             {"Variable": "$.reason", "IsString": True}],
                     "Next": "Prepare rollback"},
                    # An Aurora cluster: {"dbClusterIdentifier": "<retained cluster>", "reason": "..."}.
                    {"And": [{"Variable": "$.dbClusterIdentifier", "IsPresent": True},
                             {"Variable": "$.dbClusterIdentifier", "IsString": True},
                             {"Variable": "$.reason", "IsPresent": True},
                             {"Variable": "$.reason", "IsString": True}],
                     "Next": "Prepare cluster rollback"}],
        "Default": "Input rejected",
    }
    s["Input rejected"] = {"Type": "Fail", "Error": ERR + "InvalidInputException",
                           "Cause": "The input must be {\"dbInstanceIdentifier\": \"<retained instance>\", "
                                    "\"reason\": \"...\"} (an Aurora cluster: {\"dbClusterIdentifier\": ...})."}
    s["Prepare rollback"] = {
        "Type": "Pass",
        "Parameters": {"replicationId.$": "$$.Execution.Name", "dbInstanceIdentifier.$": "$.dbInstanceIdentifier",
                       "reason.$": "$.reason"},
        "Next": "Check rollback target",
    }
    # A rollback creates nothing, so its failure path only alerts.
    failure = "Alert without cleanup"
    plain_step(s, name="Check rollback target", function="Rollback",
               payload={"replicationId.$": "$.replicationId", "dbInstanceIdentifier.$": "$.dbInstanceIdentifier",
                        "reason.$": "$.reason"},
               result_path="$.target",
               result_selector={"dbInstanceIdentifier.$": "$.Payload.dbInstanceIdentifier",
                                "previousInstance.$": "$.Payload.previousInstance"},
               next="Set master password",
               retry=[transient_retry()], failure=failure)
    waited_step(s, name="Set master password", function="ResetPassword",
                payload={"replicationId.$": "$.replicationId",
                         "dbInstanceIdentifier.$": "$.target.dbInstanceIdentifier"},
                result_path=None, next="Verify copy",
                retry=[transient_retry("InstanceNotAvailableException")],
                timeout_seconds=PASSWORD_WAIT_TIMEOUT_SECONDS, failure=failure)
    # An operator rolls back to something that works: the retained instance is verified like a new copy
    # (a failure alerts; the instance keeps its tags and the secret stays).
    verify_copy(s, instance="$.target.dbInstanceIdentifier", next="Switch endpoint", rollback=True, failure=failure)
    plain_step(s, name="Switch endpoint", function="SwitchEndpoint",
               payload={"replicationId.$": "$.replicationId",
                        "dbInstanceIdentifier.$": "$.target.dbInstanceIdentifier", "rollback": True},
               result_path="$.switch",
               result_selector={"previousInstance.$": "$.Payload.previousInstance",
                                "currentInstance.$": "$.Payload.currentInstance",
                                "secretVersionId.$": "$.Payload.secretVersionId"},
               next="Rolled back",
               retry=[transient_retry("InstanceNotAvailableException"), promotion_retry()], failure=failure)
    s["Rolled back"] = {"Type": "Succeed"}
    rollback_cluster_path(s, failure=failure)
    failure_path(s, side="destination", fail_state="Rollback failed", fail_error="RollbackFailed", cleanup=False)
    return machine(
        builder="rollback",
        comment="Destination account, on demand: point the database secret back at a retained earlier instance, "
                "after setting the secret's password on it and waiting until it is in effect.",
        start_at="Check input", states=s)


def fleet():
    s = {}
    refused = [{"Variable": "$.dbInstanceIdentifier", "IsPresent": True},
               {"Variable": "$.dbClusterIdentifier", "IsPresent": True},
               {"And": [{"Variable": "$.databases", "IsPresent": True},
                        {"Or": [{"Variable": "$.databases", "IsString": True},
                                {"Variable": "$.databases", "IsNumeric": True},
                                {"Variable": "$.databases", "IsBoolean": True},
                                {"Variable": "$.databases", "IsNull": True}]}]}]
    # {} is the stack's selection, {"databases": [...]} a list on demand; select-fleet checks the list itself (each
    # item one identifier, nothing else in the input) and refuses anything else the same way: nothing is started.
    s["Check input"] = {"Type": "Choice", "Choices": [dict(r, Next="Input rejected") for r in refused],
                        "Default": "Prepare fleet"}
    s["Input rejected"] = {"Type": "Fail", "Error": ERR + "InvalidInputException",
                           "Cause": "The input must be {} (the stack's selection) or {\"databases\": "
                                    "[{\"dbInstanceIdentifier\": \"<id>\"} or {\"dbClusterIdentifier\": \"<id>\"}, "
                                    "...]}."}
    s["Prepare fleet"] = {
        "Type": "Pass",
        "Parameters": {"replicationId.$": "$$.Execution.Name", "input.$": "$"},
        "Next": "Select databases",
    }
    s["Select databases"] = lambda_task(
        function="SelectFleet", payload={"replicationId.$": "$.replicationId", "input.$": "$.input"},
        result_path="$.selection",
        result_selector={"selectedBy.$": "$.Payload.selectedBy", "instances.$": "$.Payload.instances",
                         "clusters.$": "$.Payload.clusters",
                         "instanceConcurrency.$": "$.Payload.instanceConcurrency",
                         "clusterConcurrency.$": "$.Payload.clusterConcurrency"},
        next="Replicate databases", retry=[transient_retry()],
        catch=[catch(errors=[ERR + "InvalidInputException"], next="Input rejected"),
               catch(errors=["States.ALL"], next="Select databases failed")])
    step_failed(s, step="Select databases", next="Alert without cleanup")
    # Instances and clusters in separate Maps, so cluster children (5 copy slots) never crowd out instance children
    # (20 slots). Each item is one child execution of source-replication with its own history, retries and alerts.
    s["Replicate databases"] = {
        "Type": "Parallel",
        "Branches": [fleet_branch(kind="instances", one="instance", concurrency="instanceConcurrency"),
                     fleet_branch(kind="clusters", one="cluster", concurrency="clusterConcurrency")],
        "ResultPath": "$.runs",
        "Next": "Report fleet",
        "Catch": [catch(errors=["States.ALL"], next="Replicate databases failed")],
    }
    step_failed(s, step="Replicate databases", next="Alert without cleanup")
    s["Report fleet"] = lambda_task(
        function="FleetReport", payload={"replicationId.$": "$.replicationId", "runs.$": "$.runs"},
        result_path="$.report",
        result_selector={"fleet.$": "$.Payload.fleet", "totals.$": "$.Payload.totals",
                         "databases.$": "$.Payload.databases", "alertMessageId.$": "$.Payload.alertMessageId"},
        next="Fleet reported", retry=[transient_retry()],
        catch=[catch(errors=["States.ALL"], next="Report fleet failed")])
    step_failed(s, step="Report fleet", next="Alert without cleanup")
    s["Fleet reported"] = {"Type": "Succeed", "OutputPath": "$.report"}
    failure_path(s, side="source", fail_state="Fleet failed", fail_error="FleetFailed", cleanup=False)
    return machine(
        builder="fleet",
        comment="Source account: replicate a fleet of databases (the stack's tag or list selection, or a list given "
                "on demand), one source-replication execution per database, instances and clusters in separate Maps "
                "whose concurrency follows the copy quotas; one database failing never stops the others. Ends with "
                "the fleet report (also published to the alerts topic when anything failed).",
        start_at="Check input", states=s)


def fleet_branch(*, kind, one, concurrency):
    """One Map of child executions: `kind` is the selection's list (instances or clusters), `one` names one of them
    in the state names (unique in the whole machine). A database whose source replication is already running is not
    started again (superseded); a child that fails, or cannot be started, records its error and the Map goes on."""
    running, superseded, start, failed = (f"{one.capitalize()} already running?", f"{one.capitalize()} superseded",
                                          f"Replicate {one}", f"{one.capitalize()} failed")
    item = {
        running: {
            "Type": "Choice",
            "Choices": [{"And": [{"Variable": "$.runningExecutionArn", "IsPresent": True},
                                 {"Variable": "$.runningExecutionArn", "IsString": True}],
                         "Next": superseded}],
            "Default": start,
        },
        superseded: {"Type": "Pass", "End": True},
        # The child's name is derived from the fleet execution's and the database's (select-fleet): a retried
        # start finds the child it already started instead of starting a second.
        start: {
            "Type": "Task",
            "Resource": "arn:${Partition}:states:::states:startExecution.sync:2",
            "Parameters": {"StateMachineArn": "${SourceReplicationStateMachineArn}", "Name.$": "$.executionName",
                           "Input.$": "$.input"},
            "ResultPath": None,
            "Retry": [retry(errors=["StepFunctions.ExecutionLimitExceededException",
                                    "StepFunctions.SdkClientException", "StepFunctions.AWSStepFunctionsException"],
                            interval_seconds=5, max_attempts=6, backoff_rate=2, max_delay_seconds=300)],
            "Catch": [catch(errors=["States.ALL"], result_path="$.startError", next=failed)],
            "End": True,
        },
        failed: {"Type": "Pass", "End": True},
    }
    name = f"Replicate {kind}"
    return {"StartAt": name, "States": {name: {
        "Type": "Map",
        "ItemsPath": f"$.selection.{kind}",
        "MaxConcurrencyPath": f"$.selection.{concurrency}",
        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": running, "States": item},
        "End": True,
    }}}


def main():
    root = Path(__file__).resolve().parent.parent
    out = {"source-replication.asl.json": source(), "destination-restore.asl.json": destination(),
           "rollback.asl.json": rollback(), "fleet-replication.asl.json": fleet()}
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
