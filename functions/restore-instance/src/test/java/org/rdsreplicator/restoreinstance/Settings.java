package org.rdsreplicator.restoreinstance;

import java.util.List;
import java.util.Optional;

/** {@link RestoreConfig} with fixed values, for unit tests. */
record Settings(Optional<String> instanceClass, Optional<String> subnetGroup, Optional<List<String>> securityGroupIds,
        Optional<String> optionGroup, Optional<String> parameterGroup, boolean multiAz, boolean deletionProtection)
        implements RestoreConfig {

    /** The key per-database secrets are created with. */
    static final String SECRET_KEY = "arn:aws:kms:eu-west-1:111111111111:key/destination";

    @Override
    public Optional<String> secretKmsKeyArn() {
        return Optional.of(SECRET_KEY);
    }

    static Settings full() {
        return new Settings(Optional.of("db.r6g.large"), Optional.of("replica-subnets"),
                Optional.of(List.of("sg-0aaa", "sg-0bbb")), Optional.of("orders-options"),
                Optional.of("orders-params"), true, true);
    }

    static Settings minimal() {
        return new Settings(Optional.of("db.t3.micro"), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false, false);
    }
}
