package org.rdsreplicator.copysnapshot;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;

import org.rdsreplicator.common.config.ReplicatorConfig;

/**
 * Configuration for unit tests: the settings this step reads; every other optional setting empty
 * (a proxy, so settings added to {@link ReplicatorConfig} later need no change here).
 */
final class StubConfig {
    private StubConfig() {
    }

    static ReplicatorConfig of(String kmsKeyArn, List<String> destinationAccounts, String replicationTopicArn) {
        return (ReplicatorConfig) Proxy.newProxyInstance(StubConfig.class.getClassLoader(),
                new Class<?>[] { ReplicatorConfig.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "kmsKeyArn" -> Optional.ofNullable(kmsKeyArn);
                    case "destinationAccounts" -> Optional.ofNullable(destinationAccounts);
                    case "replicationTopicArn" -> Optional.ofNullable(replicationTopicArn);
                    case "toString" -> "StubConfig";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> {
                        if (method.getReturnType() == Optional.class) {
                            yield Optional.empty();
                        }
                        throw new UnsupportedOperationException("not stubbed: " + method.getName());
                    }
                });
    }
}
