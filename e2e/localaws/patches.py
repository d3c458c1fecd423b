"""Small, commented runtime patches of the moto emulator (never shipped in the product).

Each patch closes one gap between moto 5.x and AWS that the local run needs (docs/local-run.md).
They are applied to the moto running in this process.
"""
from __future__ import annotations

import copy
import importlib.metadata
import io
import json
import threading

# The patches reach into moto's internals (model classes, private methods), which change between
# releases: they are written for exactly this version (also pinned in requirements-dev.txt). Another
# version fails here, loudly, rather than half-working; upgrading moto means re-checking each patch.
MOTO_VERSION = "5.2.1"

_applied = False


def check_moto_version():
    have = importlib.metadata.version("moto")
    if have != MOTO_VERSION:
        raise RuntimeError(f"e2e/localaws/patches.py is written for moto {MOTO_VERSION}, but moto {have} is "
                           f"installed: install moto[server]=={MOTO_VERSION} (requirements-dev.txt), or re-check "
                           f"every patch against moto {have} and change MOTO_VERSION and the pin together")
_lock = threading.Lock()


def apply(lambdas, sns_delivery, endpoint=None):
    """lambdas: LambdaService (function ARN -> local process);
    sns_delivery(subscription, message, message_id, subject, attributes); endpoint: this moto server's URL."""
    global _applied
    check_moto_version()
    with _lock:
        if _applied:
            _hooks["lambdas"], _hooks["sns"], _hooks["endpoint"] = lambdas, sns_delivery, endpoint
            return
        _hooks["lambdas"], _hooks["sns"], _hooks["endpoint"] = lambdas, sns_delivery, endpoint
        _cross_account_snapshots()
        _state_machine_deepcopy()
        _step_functions_lambda_tasks()
        _sns_lambda_delivery()
        _execution_start_time_as_text()
        _cross_account_subscriptions()
        _snapshot_option_group()
        _account_attributes()
        _child_executions_in_their_account()
        _cross_account_cluster_snapshots()
        _fresh_task_token_per_attempt()
        _applied = True


_hooks: dict = {}


def _cross_account_snapshots():
    """AWS lets an account copy a snapshot shared with it by ARN; moto looks the ARN up in the caller's
    own account. Resolve the ARN's account, and allow it only if the caller is in the snapshot's
    `restore` attribute (or it is 'all'), as AWS does."""
    from moto.rds import models as rds

    original = rds.RDSBackend.get_snapshot

    def get_snapshot(self, identifier, resource_type, not_found_exception):
        if isinstance(identifier, str) and identifier.startswith("arn:"):
            parts = identifier.split(":")
            region, account, name = parts[3], parts[4], parts[-1]
            if account != self.account_id:
                owner = rds.rds_backends[account][region]
                snap = owner.resource_map[resource_type].get(name)
                allowed = snap is not None and any(
                    self.account_id in values or "all" in values
                    for attr, values in (getattr(snap, "attributes", None) or {}).items() if attr == "restore")
                if not allowed:
                    raise not_found_exception(identifier)
                return snap
        return original(self, identifier, resource_type, not_found_exception)

    rds.RDSBackend.get_snapshot = get_snapshot

    original_extract = rds.RDSBackend.extract_snapshot_name_from_arn

    def extract(self, arn):
        # Only same-account ARNs are reduced to a name; foreign ones stay ARNs for get_snapshot.
        if arn.split(":")[4] != self.account_id:
            return arn
        return original_extract(self, arn)

    rds.RDSBackend.extract_snapshot_name_from_arn = extract


def _state_machine_deepcopy():
    """moto 5.2.1 deep-copies the state machine, live executions (with locks) included, on every
    StartExecution, which fails for the second execution (moto issue 10077). Copy without them."""
    from moto.stepfunctions.models import StateMachine

    def deepcopy(self, memo):
        clone = self.__class__.__new__(self.__class__)
        memo[id(self)] = clone
        for key, value in self.__dict__.items():
            setattr(clone, key, [] if key == "executions" else copy.deepcopy(value, memo))
        return clone

    StateMachine.__deepcopy__ = deepcopy


class _LocalLambdaClient:
    """What moto's Step Functions engine gets instead of a boto3 Lambda client: invokes the real
    function process of the account named in the function ARN."""

    def invoke(self, FunctionName, Payload=None, **_):
        fn = _hooks["lambdas"].by_arn(FunctionName)
        payload = Payload if isinstance(Payload, (str, bytes)) else json.dumps(Payload or {})
        ok, body = fn.invoke(payload)
        resp = {"StatusCode": 200, "Payload": io.BytesIO(json.dumps(body).encode()),
                "ExecutedVersion": "$LATEST"}
        if not ok:
            resp["FunctionError"] = "Unhandled"
        return resp


def _step_functions_lambda_tasks():
    """moto's engine calls Lambda over HTTP as the default account; route Lambda tasks to the local
    function processes instead, by the account in the function ARN."""
    from moto.stepfunctions.parser.asl.component.state.exec.state_task import lambda_eval_utils

    original = lambda_eval_utils.boto_client_for

    def client_for(region, service, state_credentials=None):
        if service == "lambda":
            return _LocalLambdaClient()
        return original(region=region, service=service, state_credentials=state_credentials)

    lambda_eval_utils.boto_client_for = client_for


def _sns_lambda_delivery():
    """moto delivers `lambda` subscriptions to its own Lambda backend; deliver the standard SNS event
    to the real function instead (asynchronously, with Lambda's retry and dead-letter behaviour)."""
    from moto.sns import models as sns

    original = sns.Subscription.publish

    def publish(self, message, message_id, subject=None, message_attributes=None, group_id=None,
                deduplication_id=None, message_structure=None):
        if self.protocol == "lambda":
            _hooks["sns"](self, message, message_id, subject, message_attributes or {})
            return
        return original(self, message, message_id, subject=subject, message_attributes=message_attributes,
                        group_id=group_id, deduplication_id=deduplication_id, message_structure=message_structure)

    sns.Subscription.publish = publish


def _execution_start_time_as_text():
    """AWS gives `$$.Execution.StartTime` as an ISO-8601 string ("2026-11-24T09:30:00.123Z"); moto
    passes a datetime, which then breaks DescribeExecution's JSON. Hand the engine the string."""
    from moto.stepfunctions.parser.backend import execution_worker

    original = execution_worker.ExecutionData

    def execution_data(**kw):
        start = kw.get("StartTime")
        if hasattr(start, "strftime"):
            kw["StartTime"] = start.strftime("%Y-%m-%dT%H:%M:%S.") + f"{start.microsecond // 1000:03d}Z"
        return original(**kw)

    execution_worker.ExecutionData = execution_data


def _cross_account_subscriptions():
    """A subscription created by another account (the destination stack subscribing its function to
    the source topic) is kept by moto in the subscriber's backend, but the topic publishes to the
    subscriptions of its owner's backend. Record it on the owner's side too, as AWS does."""
    from moto.sns import models as sns

    original = sns.SNSBackend.subscribe

    def subscribe(self, topic_arn, endpoint, protocol):
        sub = original(self, topic_arn, endpoint, protocol)
        owner, region = topic_arn.split(":")[4], topic_arn.split(":")[3]
        if owner != self.account_id:
            sns.sns_backends[owner][region].subscriptions[sub.arn] = sub
        return sub

    sns.SNSBackend.subscribe = subscribe


def _snapshot_option_group():
    """RDS reports a DB snapshot's option group (`OptionGroupName`, that of its instance); moto 5.2.1 leaves it
    out. Report the instance's, so a snapshot of an instance with a non-default option group says so (a
    cross-Region copy then needs CopyOptionGroup)."""
    from moto.rds import models as rds

    if not hasattr(rds.DBSnapshot, "option_group_name"):
        rds.DBSnapshot.option_group_name = property(lambda self: self.database.option_group_name)
# Quotas a scenario has lowered: (account, quota name) -> Max (faults.ServiceFaults.set_quota_max).
quota_max: dict[tuple[str, str], int] = {}
# RDS's default quotas per account and Region (AWS documentation: 100 manual snapshots, 40 DB instances).
DEFAULT_QUOTA_MAX = {"ManualSnapshots": 100, "DBInstances": 40, "ManualClusterSnapshots": 100, "DBClusters": 40}


def _account_attributes():
    """moto 5.2.1 has no DescribeAccountAttributes (NotImplementedError), which both preflights read. Answer it
    as RDS does: AccountQuotas with Used counted from the account's own moto backend (manual snapshots, DB
    instances, manual cluster snapshots) and Max from RDS's defaults, or the lower value a scenario set in quota_max."""
    from moto.core.responses import ActionResult
    from moto.rds.responses import RDSResponse

    def describe_account_attributes(self):
        backend = self.backend
        used = {"ManualSnapshots": sum(1 for s in backend.database_snapshots.values() if s.snapshot_type == "manual"),
                "DBInstances": len(backend.databases),
                "ManualClusterSnapshots": sum(1 for s in backend.cluster_snapshots.values()
                                              if s.snapshot_type == "manual"),
                "DBClusters": len(backend.clusters)}
        return ActionResult({"AccountQuotas": [
            {"AccountQuotaName": name, "Used": used[name],
             "Max": quota_max.get((self.current_account, name), DEFAULT_QUOTA_MAX[name])} for name in used]})

    RDSResponse.describe_account_attributes = describe_account_attributes


_child_account = threading.local()


def _child_executions_in_their_account():
    """moto's engine calls Step Functions (states:startExecution.sync:2, the fleet's child executions) as the
    default account. Call it as the account of the state machine (or execution) the task names, as AWS does for
    a task in that account: the account goes in moto's x-moto-account-id header, to this server (moto's own client
    goes to localhost:$MOTO_PORT, 5000 when unset). And moto 5.2.1 hands boto3 the
    ASL's parameter names (StateMachineArn, Name, Input), which boto3's Step Functions client calls
    stateMachineArn, name, input (KeyError 'StateMachineArn'), and reads boto3's answer with the service's names
    (KeyError 'ExecutionArn'): pass boto3's names, and give the answer the service's names too."""
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import state_task_service_sfn as sfn

    import boto3
    from botocore.config import Config

    def client_for(region, service, state_credentials=None):
        client = boto3.client(service, region_name=region, endpoint_url=_hooks["endpoint"], aws_access_key_id="ak",
                              aws_secret_access_key="sk",
                              config=Config(parameter_validation=False, retries={"total_max_attempts": 1}))
        account = getattr(_child_account, "id", None)
        if account:
            client.meta.events.register("before-send.*.*", lambda request, **_: request.headers.__setitem__(
                "x-moto-account-id", account))
        return client

    sfn.boto_client_for = client_for

    def in_account_of_task(method):
        def wrapper(self, env, resource_runtime_part, normalised_parameters, *a, **kw):
            arn = next((v for k, v in normalised_parameters.items()
                        if k.lower() in ("statemachinearn", "executionarn") and isinstance(v, str)), "")
            _child_account.id = arn.split(":")[4] if arn.count(":") >= 5 else None
            try:
                return method(self, env, resource_runtime_part, normalised_parameters, *a, **kw)
            finally:
                _child_account.id = None
        return wrapper

    for name in ("_eval_service_task", "_build_sync_resolver", "_build_sync2_resolver"):
        setattr(sfn.StateTaskServiceSfn, name, in_account_of_task(getattr(sfn.StateTaskServiceSfn, name)))

    eval_task = sfn.StateTaskServiceSfn._eval_service_task

    def with_boto3_names(self, env, resource_runtime_part, normalised_parameters, *a, **kw):
        camel = {k[:1].lower() + k[1:]: v for k, v in normalised_parameters.items()}
        normalised_parameters.clear()
        normalised_parameters.update(camel)
        result = eval_task(self, env, resource_runtime_part, normalised_parameters, *a, **kw)
        if env.stack and isinstance(env.stack[-1], dict):
            answer = env.stack[-1]
            answer.update({k[:1].upper() + k[1:]: v for k, v in list(answer.items())})
        return result

    sfn.StateTaskServiceSfn._eval_service_task = with_boto3_names

    # AWS learns that a child ended from its EventBridge rule; moto's engine asks DescribeExecution every 0.5 s per
    # child. With 40 children that is 80 requests a second to this one-process emulator: ask every 2 s (a child's
    # end is then seen up to 2 s late).
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import state_task_service_callback
    state_task_service_callback._DELAY_SECONDS_SYNC_CONDITION_CHECK = 2.0


def _cross_account_cluster_snapshots():
    """As _cross_account_snapshots, for Aurora cluster snapshots: AWS restores a cluster snapshot shared with the
    caller by its ARN; moto 5.2.1 looks the identifier up in the caller's own account (DBClusterSnapshotNotFound).
    Resolve a foreign ARN in its owner's account, allowed only if the caller is in the snapshot's `restore`
    attribute (or it is 'all'). RestoreDBClusterFromSnapshot and DescribeDBClusterSnapshots go through here."""
    from moto.rds import models as rds
    from moto.rds.exceptions import DBClusterSnapshotNotFoundError

    original = rds.RDSBackend.describe_db_cluster_snapshots

    def describe_db_cluster_snapshots(self, db_cluster_identifier, db_snapshot_identifier, snapshot_type=None,
                                      filters=None):
        ident = db_snapshot_identifier
        if isinstance(ident, str) and ident.startswith("arn:") and ident.split(":")[4] != self.account_id:
            parts = ident.split(":")
            owner = rds.rds_backends[parts[4]][parts[3]]
            snap = owner.cluster_snapshots.get(parts[-1])
            allowed = snap is not None and any(self.account_id in v or "all" in v
                                               for k, v in (snap.attributes or {}).items() if k == "restore")
            if not allowed:
                raise DBClusterSnapshotNotFoundError(ident)
            return [snap]
        return original(self, db_cluster_identifier, db_snapshot_identifier, snapshot_type, filters)

    rds.RDSBackend.describe_db_cluster_snapshots = describe_db_cluster_snapshots


def _fresh_task_token_per_attempt():
    """AWS gives every attempt of a .waitForTaskToken task a new task token: a retry after States.Timeout (a
    re-arm) waits its full TimeoutSeconds for the new token. moto 5.2.1 makes the token once per state entry and
    keeps it for the retries, and the first timeout interrupts its callback endpoint for good: every later attempt
    then "times out" at once, so a wait checked by re-arm (a cluster-snapshot copy) is re-invoked every second or
    so instead of every TimeoutSeconds. Give each retry attempt a new token and endpoint, as AWS does."""
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import state_task_service_callback as cb
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.resource import ResourceCondition

    evaluate = cb.StateTaskServiceCallback._evaluate_with_timeout

    def with_fresh_token(self, env):
        data = env.states.context_object.context_object_data
        if (data.get("State", {}).get("RetryCount", 0) > 0 and "Task" in data and self._is_integration_pattern()
                and self.resource.condition == ResourceCondition.WaitForTaskToken):
            env.callback_pool_manager.add(env.states.context_object.update_task_token())
        return evaluate(self, env)

    cb.StateTaskServiceCallback._evaluate_with_timeout = with_fresh_token
