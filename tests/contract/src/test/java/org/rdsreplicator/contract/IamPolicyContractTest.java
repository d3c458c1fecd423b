package org.rdsreplicator.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Least privilege, checked on template.yaml: no action wildcards, no mutating action on
 * {@code Resource: '*'}, no key administration for any principal but the key's own account, and no
 * way to make a resource deletable (tag it managed-by) other than creating it with that tag.
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

    private static final String MANAGED_BY = "rds-replicator:managed-by";
    private static final String MANAGED_BY_VALUE = "rds-replicator";
    /** The RDS actions that create a resource and accept Tags (tag on create). */
    private static final Set<String> CREATE_ACTIONS = Set.of("rds:CreateDBSnapshot", "rds:CopyDBSnapshot",
            "rds:RestoreDBInstanceFromDBSnapshot", "rds:CreateDBClusterSnapshot", "rds:CopyDBClusterSnapshot",
            "rds:RestoreDBClusterFromSnapshot", "rds:CreateDBInstance");
    /** DeleteDBInstance's final snapshot needs CreateDBSnapshot, and that call carries no tags to condition on. */
    private static final Set<String> UNTAGGED_CREATES = Set.of("PruneInstancesFunction/FinalSnapshotsOfDeletedInstances",
            "PruneInstancesFunction/FinalSnapshotsOfDeletedClusters");

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

    @Test
    void tagGrants_shouldOnlyTagAtCreationWithOwnershipTags_orRetagWhatIsAlreadyManaged() {
        int grants = 0;
        List<Stmt> all = statements();
        for (Stmt s : all) {
            if (!allows(s, "rds:AddTagsToResource")) {
                continue;
            }
            grants++;
            String role = s.where().split("/")[0];
            assertThat(problems(s, all.stream().filter(o -> o.where().startsWith(role + "/")).toList()))
                    .as(s.where()).isEmpty();
        }
        assertThat(grants).as("tag grants of create-snapshot, copy-snapshot, copy-shared-snapshot, restore-instance, "
                + "switch-endpoint, rollback, prune-instances").isGreaterThanOrEqualTo(7);
    }

    @Test
    void createActions_shouldRequireTheOwnershipTagInTheRequest() {
        int creates = 0;
        for (Stmt s : statements()) {
            if (CREATE_ACTIONS.stream().noneMatch(a -> allows(s, a)) || UNTAGGED_CREATES.contains(s.where())) {
                continue;
            }
            creates++;
            assertThat(requires(s, "StringEquals", "aws:RequestTag/" + MANAGED_BY)).as(s.where()).isTrue();
            assertThat(tagKeys(s)).as(s.where() + ": aws:TagKeys").isNotEmpty();
        }
        assertThat(creates).isGreaterThanOrEqualTo(4);
    }

    @Test
    void everyTagKeyTheCodeWrites_shouldBeAllowedByTheTemplate() throws IOException {
        // A key missing here would make RDS refuse the create call (AccessDenied) in a real account.
        Set<String> allowed = new TreeSet<>();
        statements().stream().filter(s -> allows(s, "rds:AddTagsToResource")).forEach(s -> allowed.addAll(tagKeys(s)));
        Set<String> written = new TreeSet<>();
        Pattern literal = Pattern.compile("\"(rds-replicator:[a-z][a-z-]*)\"");
        try (Stream<Path> src = Files.walk(Project.root().resolve("functions"))) {
            for (Path f : src.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
                    .toList()) {
                Matcher m = literal.matcher(Project.read(f));
                while (m.find()) {
                    written.add(m.group(1));
                }
            }
        }
        assertThat(written).contains(MANAGED_BY, "rds-replicator:replaces");
        // The fleet tag (FleetTagKey's default) is set by operators on their databases; the code only reads it.
        written.remove("rds-replicator:replicate");
        assertThat(allowed).containsAll(written);
    }

    @Test
    void tagGrantChecks_shouldRefuseGrantsThatWidenDeletes() {
        // The rule above, shown to refuse what it exists to refuse (and to accept the two good shapes).
        Map<String, Object> onCreate = Map.of("StringEquals", Map.of("aws:RequestTag/" + MANAGED_BY, MANAGED_BY_VALUE),
                "ForAllValues:StringEquals", Map.of("aws:TagKeys", List.of(MANAGED_BY, "rds-replicator:kind")));
        assertThat(problems(grant(List.of("rds:CreateDBSnapshot", "rds:AddTagsToResource"), onCreate))).isEmpty();
        assertThat(problems(grant(List.of("rds:AddTagsToResource"), Map.of(
                "StringEquals", Map.of("aws:ResourceTag/" + MANAGED_BY, MANAGED_BY_VALUE),
                "ForAllValues:StringEquals", Map.of("aws:TagKeys", List.of("rds-replicator:role")))))).isEmpty();

        // no condition at all; through a wildcard
        assertThat(problems(grant(List.of("rds:AddTagsToResource"), null))).isNotEmpty();
        assertThat(problems(grant(List.of("rds:AddTags*"), onCreate))).isNotEmpty();
        // tag on create without a key limit, or with a key outside the project
        assertThat(problems(grant(List.of("rds:CreateDBSnapshot", "rds:AddTagsToResource"),
                Map.of("StringEquals", Map.of("aws:RequestTag/" + MANAGED_BY, MANAGED_BY_VALUE))))).isNotEmpty();
        assertThat(problems(grant(List.of("rds:CreateDBSnapshot", "rds:AddTagsToResource"), Map.of(
                "StringEquals", Map.of("aws:RequestTag/" + MANAGED_BY, MANAGED_BY_VALUE),
                "ForAllValues:StringEquals", Map.of("aws:TagKeys", List.of(MANAGED_BY, "owner")))))).isNotEmpty();
        // request-tag condition in a role that creates nothing: that is re-tagging any resource with managed-by
        assertThat(problems(grant(List.of("rds:AddTagsToResource"), onCreate))).isNotEmpty();
        // re-tagging a managed resource with any key, or adding managed-by with any value
        assertThat(problems(grant(List.of("rds:AddTagsToResource"),
                Map.of("StringEquals", Map.of("aws:ResourceTag/" + MANAGED_BY, MANAGED_BY_VALUE))))).isNotEmpty();
        assertThat(problems(grant(List.of("rds:AddTagsToResource"), Map.of(
                "StringEquals", Map.of("aws:ResourceTag/" + MANAGED_BY, MANAGED_BY_VALUE),
                "ForAllValues:StringEquals", Map.of("aws:TagKeys", List.of(MANAGED_BY, "rds-replicator:role"))))))
                .isNotEmpty();
        // conditioned on some other tag of the resource, not managed-by: adds managed-by to unmanaged resources
        assertThat(problems(grant(List.of("rds:AddTagsToResource"), Map.of(
                "StringEquals", Map.of("aws:ResourceTag/rds-replicator:kind", "local-copy"),
                "ForAllValues:StringEquals", Map.of("aws:TagKeys", List.of(MANAGED_BY)))))).isNotEmpty();
    }

    /**
     * Why a statement allowing rds:AddTagsToResource could make a foreign resource deletable (empty when it
     * cannot). Either it is a tag-on-create grant (a create action in the same role, {@code
     * aws:RequestTag/managed-by = rds-replicator}, only project tag keys), or it re-tags only resources that
     * already carry managed-by=rds-replicator, without adding that key (or only re-stating the same value).
     */
    private static List<String> problems(Stmt s, List<Stmt> role) {
        List<String> out = new ArrayList<>();
        if (actions(s).stream().anyMatch(a -> a.contains("*"))) {
            out.add("AddTagsToResource through a wildcard action");
        }
        List<String> keys = tagKeys(s);
        if (keys.isEmpty()) {
            out.add("no ForAllValues:StringEquals aws:TagKeys limit");
        }
        if (!keys.stream().allMatch(k -> k.startsWith("rds-replicator:"))) {
            out.add("tag keys outside the project: " + keys);
        }
        if (requires(s, "StringEquals", "aws:ResourceTag/" + MANAGED_BY)) {
            boolean sameValue = requires(s, "StringEquals", "aws:RequestTag/" + MANAGED_BY)
                    || requires(s, "StringEqualsIfExists", "aws:RequestTag/" + MANAGED_BY);
            if (keys.contains(MANAGED_BY) && !sameValue) {
                out.add("re-tagging may set " + MANAGED_BY + " to another value");
            }
        } else {
            if (!requires(s, "StringEquals", "aws:RequestTag/" + MANAGED_BY)) {
                out.add("neither aws:ResourceTag nor aws:RequestTag " + MANAGED_BY + "=" + MANAGED_BY_VALUE + " required");
            }
            if (role.stream().noneMatch(o -> CREATE_ACTIONS.stream().anyMatch(a -> allows(o, a)))) {
                out.add("tags without an aws:ResourceTag condition in a role that creates nothing");
            }
        }
        return out;
    }

    /** An example statement that is alone in its role. */
    private static List<String> problems(Stmt s) {
        return problems(s, List.of(s));
    }

    private static Stmt grant(List<String> actions, Map<String, Object> condition) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("Effect", "Allow", "Action", actions,
                "Resource", "arn:aws:rds:us-east-1:123456789012:snapshot:*"));
        if (condition != null) {
            body.put("Condition", condition);
        }
        return new Stmt("Example/Grant", body, false);
    }

    /** True when an Allow statement grants {@code action}, literally or through a wildcard. */
    private static boolean allows(Stmt s, String action) {
        if (!"Allow".equals(s.body().get("Effect"))) {
            return false;
        }
        return actions(s).stream().anyMatch(a -> a.equals(action) || a.equals("*") || a.contains("*")
                && action.matches(Pattern.quote(a).replace("*", "\\E.*\\Q")));
    }

    /** True when the condition operator {@code op} pins {@code key} to exactly {@code rds-replicator}. */
    private static boolean requires(Stmt s, String op, String key) {
        Object ops = s.body().get("Condition");
        if (!(ops instanceof Map<?, ?> m) || !(m.get(op) instanceof Map<?, ?> keys)) {
            return false;
        }
        return List.of(MANAGED_BY_VALUE).equals(strings(keys.get(key)));
    }

    private static List<String> tagKeys(Stmt s) {
        Object ops = s.body().get("Condition");
        if (!(ops instanceof Map<?, ?> m) || !(m.get("ForAllValues:StringEquals") instanceof Map<?, ?> keys)) {
            return List.of();
        }
        return strings(keys.get("aws:TagKeys"));
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
