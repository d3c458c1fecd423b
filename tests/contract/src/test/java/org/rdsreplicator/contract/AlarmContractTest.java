package org.rdsreplicator.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Alarms in template.yaml watch what they claim to watch and reach the alerts topic. */
class AlarmContractTest {

    @Test
    @SuppressWarnings("unchecked")
    void routerErrors_shouldAlarmOnTheAlertsTopicWhereverTheRouterExists() {
        // A broken router turns every wait into a one-hour timeout without failing anything.
        Map<String, Object> resources = Project.resources();
        Map<String, Object> router = (Map<String, Object>) resources.get("RdsEventRouterFunction");
        List<Map<String, Object>> alarms = resources.values().stream().map(r -> (Map<String, Object>) r)
                .filter(r -> "AWS::CloudWatch::Alarm".equals(r.get("Type")))
                .filter(r -> "AWS/Lambda".equals(Project.properties(r).get("Namespace"))
                        && "Errors".equals(Project.properties(r).get("MetricName"))
                        && List.of(Map.of("Name", "FunctionName", "Value", Map.of("Ref", "RdsEventRouterFunction")))
                                .equals(Project.properties(r).get("Dimensions")))
                .toList();

        assertThat(alarms).as("one Errors alarm on rds-event-router").hasSize(1);
        Map<String, Object> alarm = alarms.get(0);
        assertThat(alarm.get("Condition")).as("exists in the same roles as the router").isEqualTo(router.get("Condition"));
        Map<String, Object> p = Project.properties(alarm);
        assertThat(p).containsEntry("Statistic", "Sum").containsEntry("Period", 300)
                .containsEntry("EvaluationPeriods", 1).containsEntry("Threshold", 1)
                .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold")
                .containsEntry("TreatMissingData", "notBreaching");
        assertThat((List<Object>) p.get("AlarmActions")).containsExactly(Map.of("Ref", "AlertsTopic"));
    }
}
