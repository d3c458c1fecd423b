"""Deploys template.yaml into one emulated account, resource by resource, through the service APIs.

moto's CloudFormation cannot run this SAM application (it hides the state machines and functions it
creates from the services that execute them, skips SNS subscriptions and cannot create secrets), so
this module evaluates the template itself: parameters, conditions, Globals and the intrinsic functions
the template uses, then creates each resource with the same API call CloudFormation would make.
Functions become local processes (runtime.py); EventBridge rules and SNS subscriptions are
registered with the local event bus and SNS delivery (bus.py).
"""
from __future__ import annotations

import json
import re
import secrets
import string
from pathlib import Path

from cfnlint.decode import cfn_yaml

NO_VALUE = object()


class Stack:
    def __init__(self, root: Path, name: str, account: "Account", parameters: dict[str, str],
                 lambdas, bus, wait_timeout_seconds: int | None = None, log=print,
                 max_retry_interval_seconds: int | None = None, check_timeout_seconds: int | None = None):
        self.root, self.name, self.account = root, name, account
        self.template = cfn_yaml.load(str(root / "template.yaml"))
        self.lambdas, self.bus, self.log = lambdas, bus, log
        self.wait_timeout_seconds = wait_timeout_seconds
        self.check_timeout_seconds = check_timeout_seconds
        self.max_retry_interval_seconds = max_retry_interval_seconds
        self.params = self._parameters(parameters)
        self.conditions: dict[str, bool] = {}
        self.physical: dict[str, dict] = {}   # logical id -> {"Ref": ..., attrs...}
        self.functions: dict[str, object] = {}
        self.outputs: dict[str, str] = {}

    # ---- parameters and conditions -------------------------------------------------------
    def _parameters(self, given: dict[str, str]) -> dict:
        out = {}
        for name, spec in self.template.get("Parameters", {}).items():
            value = given.get(name, spec.get("Default"))
            if value is None:
                raise ValueError(f"parameter {name} needs a value")
            value = str(value)
            if "AllowedValues" in spec and value not in [str(v) for v in spec["AllowedValues"]]:
                raise ValueError(f"parameter {name}={value} not in {spec['AllowedValues']}")
            if "AllowedPattern" in spec and not re.fullmatch(spec["AllowedPattern"], value):
                raise ValueError(f"parameter {name}={value} does not match {spec['AllowedPattern']}")
            out[name] = [v for v in value.split(",")] if spec.get("Type") == "CommaDelimitedList" else value
            if spec.get("Type") == "CommaDelimitedList" and value == "":
                out[name] = [""]
        unknown = set(given) - set(out)
        if unknown:
            raise ValueError(f"unknown parameters {sorted(unknown)}")
        return out

    def condition(self, name: str) -> bool:
        if name not in self.conditions:
            self.conditions[name] = bool(self.eval(self.template["Conditions"][name]))
        return self.conditions[name]

    # ---- intrinsic functions --------------------------------------------------------------
    def pseudo(self, name: str):
        return {"AWS::AccountId": self.account.id, "AWS::Region": self.account.region, "AWS::Partition": "aws",
                "AWS::StackName": self.name, "AWS::NoValue": NO_VALUE, "AWS::URLSuffix": "amazonaws.com"}[name]

    def ref(self, name: str):
        if name.startswith("AWS::"):
            return self.pseudo(name)
        if name in self.params:
            return self.params[name]
        if name.endswith(".Alias"):
            if name[:-6] not in self.physical:
                raise Pending(name[:-6])
            return self.physical[name[:-6]]["Alias"]
        if name not in self.physical:
            raise Pending(name)
        return self.physical[name]["Ref"]

    def eval(self, node):
        if isinstance(node, dict):
            if len(node) == 1:
                (key, arg), = node.items()
                if key == "Ref":
                    return self.ref(arg)
                if key == "Condition":
                    return self.condition(arg)
                if key == "Fn::GetAtt":
                    res, attr = arg if isinstance(arg, list) else arg.split(".", 1)
                    if res not in self.physical:
                        raise Pending(res)
                    return self.physical[res][attr]
                if key == "Fn::Sub":
                    text, extra = (arg, {}) if isinstance(arg, str) else (arg[0], {k: self.eval(v) for k, v in arg[1].items()})
                    return re.sub(r"\$\{([^}!]+)}", lambda m: str(extra[m.group(1)] if m.group(1) in extra else (
                        self.eval({"Fn::GetAtt": m.group(1).split(".", 1)}) if "." in m.group(1) and not m.group(1).startswith("AWS::")
                        else self.ref(m.group(1)))), text)
                if key == "Fn::If":
                    cond, yes, no = arg
                    return self.eval(yes if self.condition(cond) else no)
                if key == "Fn::Join":
                    sep, items = arg
                    values = self.eval(items)
                    return self.eval(sep).join(str(v) for v in values if v is not NO_VALUE)
                if key == "Fn::Split":
                    sep, text = arg
                    return self.eval(text).split(sep)
                if key == "Fn::Select":
                    index, items = arg
                    return self.eval(items)[int(self.eval(index))]
                if key == "Fn::FindInMap":
                    names = [str(self.eval(x)) for x in arg]
                    try:
                        return self.template["Mappings"][names[0]][names[1]][names[2]]
                    except KeyError:
                        # CloudFormation stops the stack with this template error.
                        raise TemplateError(f"Template error: Unable to get mapping for {'::'.join(names)}") from None
                if key == "Fn::Equals":
                    a, b = (self.eval(x) for x in arg)
                    return str(a) == str(b)
                if key == "Fn::Not":
                    return not self.eval(arg[0])
                if key == "Fn::And":
                    return all(self.eval(x) for x in arg)
                if key == "Fn::Or":
                    return any(self.eval(x) for x in arg)
            out = {}
            for k, v in node.items():
                value = self.eval(v)
                if value is not NO_VALUE:
                    out[k] = value
            return out
        if isinstance(node, list):
            return [v for v in (self.eval(x) for x in node) if v is not NO_VALUE]
        return node

    # ---- deployment ------------------------------------------------------------------------
    def deploy(self):
        resources = {k: v for k, v in self.template["Resources"].items()
                     if "Condition" not in v or self.condition(v["Condition"])}
        remaining = dict(resources)
        while remaining:
            progressed = False
            for logical, spec in list(remaining.items()):
                try:
                    self._create(logical, spec)
                except Pending:
                    continue
                del remaining[logical]
                progressed = True
            if not progressed:
                missing = {k: self._why_pending(v) for k, v in remaining.items()}
                raise RuntimeError(f"cannot resolve references: {missing}")
        for name, spec in self.template.get("Outputs", {}).items():
            if "Condition" in spec and not self.condition(spec["Condition"]):
                continue
            self.outputs[name] = self.eval(spec["Value"])
        return self

    def _why_pending(self, spec):
        try:
            self.eval(spec.get("Properties", {}))
        except Pending as p:
            return str(p)
        return "?"

    def _create(self, logical: str, spec: dict):
        kind = spec["Type"]
        props = self.eval(spec.get("Properties", {})) if kind != "AWS::Serverless::Function" else None
        a = self.account
        name = f"{self.name}-{logical}"
        if kind == "AWS::DynamoDB::Table":
            a.client("dynamodb").create_table(TableName=name, BillingMode=props["BillingMode"],
                                              AttributeDefinitions=props["AttributeDefinitions"],
                                              KeySchema=props["KeySchema"])
            ttl = props.get("TimeToLiveSpecification")
            if ttl:
                a.client("dynamodb").update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
            self.physical[logical] = {"Ref": name, "Arn": a.arn("dynamodb", f"table/{name}")}
        elif kind == "AWS::KMS::Key":
            key = a.client("kms").create_key(Description=props.get("Description", ""),
                                             Policy=json.dumps(props["KeyPolicy"]))["KeyMetadata"]
            self.physical[logical] = {"Ref": key["KeyId"], "Arn": key["Arn"]}
        elif kind == "AWS::KMS::Alias":
            a.client("kms").create_alias(AliasName=props["AliasName"], TargetKeyId=props["TargetKeyId"])
            self.physical[logical] = {"Ref": props["AliasName"]}
        elif kind == "AWS::SNS::Topic":
            attrs = {"KmsMasterKeyId": props["KmsMasterKeyId"]} if "KmsMasterKeyId" in props else {}
            arn = a.client("sns").create_topic(Name=name, Attributes=attrs)["TopicArn"]
            self.physical[logical] = {"Ref": arn, "TopicName": name}
        elif kind == "AWS::SNS::TopicPolicy":
            for topic in props["Topics"]:
                a.client("sns").set_topic_attributes(TopicArn=topic, AttributeName="Policy",
                                                     AttributeValue=json.dumps(props["PolicyDocument"]))
            self.physical[logical] = {"Ref": name}
        elif kind == "AWS::SQS::Queue":
            url = a.client("sqs").create_queue(QueueName=name)["QueueUrl"]
            self.physical[logical] = {"Ref": url, "Arn": a.arn("sqs", name, colon=True), "QueueName": name}
        elif kind == "AWS::Logs::LogGroup":
            group = f"/aws/vendedlogs/{name}"
            a.client("logs").create_log_group(logGroupName=group)
            a.client("logs").put_retention_policy(logGroupName=group, retentionInDays=int(props["RetentionInDays"]))
            self.physical[logical] = {"Ref": group, "Arn": a.arn("logs", f"log-group:{group}:*", colon=True)}
        elif kind == "AWS::SecretsManager::Secret":
            gen = props["GenerateSecretString"]
            value = json.loads(gen["SecretStringTemplate"])
            alphabet = "".join(c for c in string.ascii_letters + string.digits + "!#$%^&*()_+-=~"
                               if c not in gen.get("ExcludeCharacters", ""))
            value[gen["GenerateStringKey"]] = "".join(secrets.choice(alphabet) for _ in range(int(gen["PasswordLength"])))
            arn = a.client("secretsmanager").create_secret(Name=name, SecretString=json.dumps(value),
                                                         Description=props.get("Description", ""))["ARN"]
            self.physical[logical] = {"Ref": arn}
        elif kind == "AWS::CloudWatch::Alarm":
            args = {k: v for k, v in props.items() if k in (
                "AlarmDescription", "Namespace", "MetricName", "Dimensions", "Statistic", "Period", "EvaluationPeriods",
                "DatapointsToAlarm", "Threshold", "ComparisonOperator", "TreatMissingData", "AlarmActions")}
            for k in ("Period", "EvaluationPeriods", "DatapointsToAlarm"):
                if k in args:
                    args[k] = int(args[k])
            args["Threshold"] = float(args["Threshold"])
            a.client("cloudwatch").put_metric_alarm(AlarmName=name, **args)
            self.physical[logical] = {"Ref": name}
        elif kind == "AWS::Serverless::StateMachine":
            self._state_machine(logical, name, props)
        elif kind == "AWS::Serverless::Function":
            self._function(logical, spec)
        else:
            raise RuntimeError(f"{logical}: resource type {kind} is not supported by the local deployer")

    def _state_machine(self, logical, name, props):
        text = (self.root / props["DefinitionUri"]).read_text()
        for key, value in props.get("DefinitionSubstitutions", {}).items():
            # Plain replacement (moto's Fn::Sub would also rewrite $$.Task.Token).
            text = text.replace("${" + key + "}", str(value))
        definition = json.loads(text)
        # The local run compresses time, and says so: RDS waits time out after seconds, not an hour,
        # and retry intervals are capped, so the timeout and retry paths run within a test.
        for state in definition["States"].values():
            if self.wait_timeout_seconds and state.get("Resource", "").endswith(".waitForTaskToken"):
                # A wait the ASL checks by re-arm because no RDS event ends it (a cluster-snapshot copy: every
                # 300 s, re-armed 288 times, where an event-driven wait is re-armed 24 times):
                # check_timeout_seconds when given.
                rearms = max([r.get("MaxAttempts", 0) for r in state.get("Retry", [])
                              if "States.Timeout" in r.get("ErrorEquals", [])] or [0])
                checked = rearms > 24 and self.check_timeout_seconds
                state["TimeoutSeconds"] = self.check_timeout_seconds if checked else self.wait_timeout_seconds
            if self.max_retry_interval_seconds:
                for retry in state.get("Retry", []):
                    cap = self.max_retry_interval_seconds
                    retry["IntervalSeconds"] = min(retry.get("IntervalSeconds", 1), cap)
                    if "MaxDelaySeconds" in retry:
                        retry["MaxDelaySeconds"] = min(retry["MaxDelaySeconds"], 2 * cap)
        arn = self.account.client("stepfunctions").create_state_machine(
            name=name, definition=json.dumps(definition), type=props.get("Type", "STANDARD"),
            roleArn=f"arn:aws:iam::{self.account.id}:role/{name}-role")["stateMachineArn"]
        self.physical[logical] = {"Ref": arn, "Name": name}
        for event in props.get("Events", {}).values():
            if event["Type"] in ("Schedule", "ScheduleV2"):
                self.log(f"  schedule of {logical} ({event['Properties'].get('ScheduleExpression')}) "
                         f"is {event['Properties'].get('State', 'ENABLED')}; the local run starts executions on demand")

    def _function(self, logical, spec):
        globals_ = self.template.get("Globals", {}).get("Function", {})
        merged = dict(globals_)
        for k, v in spec["Properties"].items():
            if k == "Environment":
                env = dict(globals_.get("Environment", {}).get("Variables", {}))
                env.update(v.get("Variables", {}))
                merged["Environment"] = {"Variables": env}
            else:
                merged[k] = v
        props = self.eval(merged)  # raises Pending until referenced resources exist
        # CodeUri is the module; its Makefile (sam build) packages target/function.zip, which runs here.
        module = props["CodeUri"].split("/")[1]
        env = {k: str(v) for k, v in props.get("Environment", {}).get("Variables", {}).items()}
        env.pop("JAVA_TOOL_OPTIONS", None)
        zip_path = self.root / props["CodeUri"] / "target" / "function.zip"
        fn = self.lambdas.add(logical, self.account.id, zip_path, self.account.lambda_env(env))
        arn = fn.arn()
        self.physical[logical] = {"Ref": logical, "Arn": arn, "Alias": arn + ":live", "Module": module}
        self.functions[logical] = fn
        retries = int(props.get("EventInvokeConfig", {}).get("MaximumRetryAttempts", 2))
        dlq = props.get("DeadLetterQueue", {}).get("TargetArn")
        for event_name, event in props.get("Events", {}).items():
            p = event["Properties"]
            if event["Type"] == "EventBridgeRule":
                self.bus.add_rule(self.account.id, f"{self.name}-{logical}-{event_name}", p["Pattern"], fn)
            elif event["Type"] == "SNS":
                # SAM subscribes in the event's Region (the topic's): a cross-Region destination subscribes there.
                self.account.client("sns", p.get("Region")).subscribe(TopicArn=p["Topic"], Protocol="lambda",
                                                                      Endpoint=arn)
                self.bus.add_async_config(arn, retries, dlq)
            else:
                raise RuntimeError(f"{logical}: event type {event['Type']} is not supported by the local deployer")


class Pending(Exception):
    """A reference to a resource not created yet."""


class TemplateError(Exception):
    """The template stops the stack (as CloudFormation would, before creating anything further)."""
