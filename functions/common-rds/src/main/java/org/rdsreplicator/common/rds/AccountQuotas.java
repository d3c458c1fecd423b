package org.rdsreplicator.common.rds;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.annotations.RegisterForReflection;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.AccountQuota;

/** The account's RDS quotas and their use in this Region ({@code DescribeAccountAttributes}), for the preflights. */
@ApplicationScoped
public class AccountQuotas {
    /** Quota names of {@code DescribeAccountAttributes}. */
    public static final String MANUAL_SNAPSHOTS = "ManualSnapshots";
    public static final String DB_INSTANCES = "DBInstances";
    /** Manual DB cluster snapshots (Aurora) in this Region. */
    public static final String MANUAL_CLUSTER_SNAPSHOTS = "ManualClusterSnapshots";
    /** Aurora DB clusters of the account in this Region. */
    public static final String DB_CLUSTERS = "DBClusters";

    /**
     * One quota: {@code used} of {@code max}.
     *
     * @param name the quota's name, e.g. {@value #MANUAL_SNAPSHOTS}
     * @param used how many the account has
     * @param max  how many it may have
     */
    @RegisterForReflection
    public record Quota(String name, long used, long max) {
        /** True when {@code more} more of them fit. */
        public boolean fits(int more) {
            return used + more <= max;
        }
    }

    private final RdsClient rds;

    public AccountQuotas(RdsClient rds) {
        this.rds = rds;
    }

    /** The quota named {@code name}; empty when RDS does not report it. */
    public Optional<Quota> quota(String name) {
        try {
            return rds.describeAccountAttributes(r -> { }).accountQuotas().stream()
                    .filter(q -> name.equals(q.accountQuotaName())).findFirst()
                    .map(AccountQuotas::of);
        } catch (AwsServiceException e) {
            throw RdsErrors.translate(e, "cannot read the account's RDS quotas");
        }
    }

    private static Quota of(AccountQuota q) {
        return new Quota(q.accountQuotaName(), q.used() == null ? 0 : q.used(), q.max() == null ? Long.MAX_VALUE : q.max());
    }
}
