package org.rdsreplicator.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Least privilege, checked on template.yaml: no action wildcards, no mutating action on
 * {@code Resource: '*'}, and no key administration for any principal but the key's own account.
 */
class IamPolicyContractTest {
    /** Actions AWS does not scope to resources, allowed on '*' (each commented in the template). */
    private static final Set<String> UNSCOPED_ALLOWED = Set.of("states:SendTaskSuccess", "states:SendTaskFailure",
            "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
            "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies",
            "logs:DescribeLogGroups");
    private static final Pattern READ_ONLY = Pattern.compile("^[a-z0-9-]+:(Describe|List|Get)[A-Za-z*]*$");
    private static final Pattern KEY_ADMIN = Pattern.compile(
            "^kms:(\\*|Put.*|Create(Alias|Key)|Delete.*|Disable.*|Enable.*|Update.*|ScheduleKeyDeletion|CancelKeyDeletion|"
                    + "TagResource|UntagResource|RevokeGrant|RetireGrant|ImportKeyMaterial|ReplicateKey)$");
    private static final Object OWN_ROOT = Map.of("Fn::Sub", "arn:${AWS::Partition}:iam::${AWS::AccountId}:root");

    record Stmt(String where, Map<String, Object> body, boolean keyPolicy) {
    }

    @Test
    void noStatement_shouldUseAnActionWildcard_exceptTheOwnAccountOnItsOwnKey() {
        for (Stmt s : statements()) {
            boolean ownKeyAdmin = s.keyPolicy() && OWN_ROOT.equals(principal(s));
            for (String a : actions(s)) {
                if (!ownKeyAdmin) {
                    assertThat(a).as(s.where()).doesNotEndWith(":*").isNotEqualTo("*");
                }
            }
        }
    }

    @Test
    void resourceStar_shouldOnlyCarryActionsAwsDoesNotScope() {
        for (Stmt s : statements()) {
            if (s.keyPolicy() || !resources(s).contains("*")) {
                continue; // in a key policy '*' means the key itself
            }
            for (String a : actions(s)) {
                assertThat(UNSCOPED_ALLOWED.contains(a) || READ_ONLY.matcher(a).matches())
                        .as("%s: %s on Resource '*'", s.where(), a).isTrue();
            }
        }
    }

    @Test
    void foreignPrincipals_shouldHaveNoKeyAdministration_andOnlyThroughRds() {
        int foreign = 0;
        for (Stmt s : statements()) {
            if (!s.keyPolicy() || OWN_ROOT.equals(principal(s)) || principal(s) instanceof Map<?, ?> m
                    && m.containsKey("Service")) {
                continue;
            }
            foreign++;
            for (String a : actions(s)) {
                assertThat(KEY_ADMIN.matcher(a).matches()).as("%s grants %s", s.where(), a).isFalse();
            }
            assertThat(String.valueOf(s.body().get("Condition"))).as(s.where()).contains("kms:ViaService");
        }
        assertThat(foreign).as("the destination accounts' grant on the replication key").isEqualTo(1);
    }

    @Test
    void deletes_shouldBeConditionedOnTheManagedByTag() {
        for (Stmt s : statements()) {
            if (actions(s).stream().anyMatch(a -> a.startsWith("rds:Delete") || a.equals("rds:ModifyDBSnapshotAttribute"))) {
                assertThat(String.valueOf(s.body().get("Condition"))).as(s.where())
                        .contains("aws:ResourceTag/rds-replicator:managed-by");
            }
        }
    }

    // ---- reading the template --------------------------------------------------------------

    @SuppressWarnings("unchecked")
    static List<Stmt> statements() {
        List<Stmt> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : Project.resources().entrySet()) {
            Map<String, Object> res = (Map<String, Object>) e.getValue();
            Map<String, Object> props = Project.properties(res);
            if (props == null) {
                continue;
            }
            String type = (String) res.get("Type");
            if (props.get("Policies") instanceof List<?> policies) {
                for (Object p : policies) {
                    if (p instanceof Map<?, ?> m && m.get("Statement") instanceof List<?> st) {
                        collect(e.getKey(), st, false, out);
                    }
                }
            }
            if ("AWS::KMS::Key".equals(type)) {
                collect(e.getKey(), (List<?>) ((Map<String, Object>) props.get("KeyPolicy")).get("Statement"), true, out);
            }
            if ("AWS::SNS::TopicPolicy".equals(type)) {
                collect(e.getKey(), (List<?>) ((Map<String, Object>) props.get("PolicyDocument")).get("Statement"), false,
                        out);
            }
        }
        assertThat(out).hasSizeGreaterThan(20);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void collect(String where, List<?> list, boolean key, List<Stmt> out) {
        for (Object o : list) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (m.containsKey("Fn::If")) {
                List<Object> branches = (List<Object>) m.get("Fn::If");
                collect(where, branches.subList(1, 3).stream().filter(b -> b instanceof Map<?, ?> bm && !bm.containsKey("Ref"))
                        .toList(), key, out);
                continue;
            }
            out.add(new Stmt(where + "/" + m.getOrDefault("Sid", "?"), m, key));
        }
    }

    private static Object principal(Stmt s) {
        Object p = s.body().get("Principal");
        if (p instanceof Map<?, ?> m && m.containsKey("AWS")) {
            return m.get("AWS");
        }
        return p;
    }

    private static List<String> actions(Stmt s) {
        return strings(s.body().get("Action"));
    }

    private static List<String> resources(Stmt s) {
        return strings(s.body().get("Resource"));
    }

    private static List<String> strings(Object o) {
        if (o instanceof String str) {
            return List.of(str);
        }
        if (o instanceof List<?> l) {
            return l.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return List.of();
    }
}
