package org.rdsreplicator.common.testing;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.rdsreplicator.common.config.ReplicatorConfig;

/**
 * {@link ReplicatorConfig} for unit tests: the named optional settings set, every other one empty
 * (a proxy, so settings added to the interface later need no change here).
 */
public final class StubConfig {
    private StubConfig() {
    }

    /** Source-side steps: the key, destination accounts and replication topic. */
    public static ReplicatorConfig of(String kmsKeyArn, List<String> destinationAccounts, String replicationTopicArn) {
        Map<String, Object> values = new HashMap<>();
        values.put("kmsKeyArn", kmsKeyArn);
        values.put("destinationAccounts", destinationAccounts);
        values.put("replicationTopicArn", replicationTopicArn);
        return of(values);
    }

    /** The failure path: alerts topic and (destination side) the database secret. */
    public static ReplicatorConfig of(String alertsTopicArn, String secretArn) {
        Map<String, Object> values = new HashMap<>();
        values.put("alertsTopicArn", alertsTopicArn);
        values.put("secretArn", secretArn);
        return of(values);
    }

    /** Any optional settings by method name; null values read as empty. */
    public static ReplicatorConfig of(Map<String, Object> values) {
        return (ReplicatorConfig) Proxy.newProxyInstance(StubConfig.class.getClassLoader(),
                new Class<?>[] { ReplicatorConfig.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "toString" -> "StubConfig" + values;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> {
                        if (method.getReturnType() == Optional.class) {
                            yield Optional.ofNullable(values.get(method.getName()));
                        }
                        throw new UnsupportedOperationException("not stubbed: " + method.getName());
                    }
                });
    }
}
