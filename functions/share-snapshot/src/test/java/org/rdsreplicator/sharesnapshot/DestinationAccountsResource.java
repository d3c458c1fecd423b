package org.rdsreplicator.sharesnapshot;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** The destination accounts the function shares with in the {@code @QuarkusTest} (what the template sets). */
public class DestinationAccountsResource implements QuarkusTestResourceLifecycleManager {
    static final String ACCOUNT_B = "222222222222";
    static final String ACCOUNT_C = "333333333333";

    @Override
    public Map<String, String> start() {
        return Map.of("replicator.destination-accounts", ACCOUNT_B + "," + ACCOUNT_C);
    }

    @Override
    public void stop() {
        // nothing to stop
    }
}
