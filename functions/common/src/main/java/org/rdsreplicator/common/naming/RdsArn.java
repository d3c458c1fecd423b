package org.rdsreplicator.common.naming;

import org.rdsreplicator.common.errors.InvalidInputException;

import software.amazon.awssdk.arns.Arn;

/**
 * An RDS resource ARN, parsed with the SDK's ARN parser (never by character offsets).
 * {@code arn:<partition>:rds:<region>:<account>:<type>:<identifier>}, type one of
 * {@code db}, {@code snapshot}, {@code cluster}, {@code cluster-snapshot}.
 */
public record RdsArn(String partition, String region, String accountId, String type, String identifier) {

    public static final String DB = "db";
    public static final String SNAPSHOT = "snapshot";
    /** An Aurora DB cluster. */
    public static final String CLUSTER = "cluster";
    /** An Aurora DB cluster snapshot. */
    public static final String CLUSTER_SNAPSHOT = "cluster-snapshot";

    /** @throws InvalidInputException when {@code arn} is not an RDS resource ARN */
    public static RdsArn parse(String arn) {
        if (arn == null || arn.isBlank()) {
            throw new InvalidInputException("an RDS ARN is required");
        }
        Arn parsed;
        try {
            parsed = Arn.fromString(arn);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("'" + arn + "' is not an ARN", e);
        }
        if (!"rds".equals(parsed.service()) || parsed.region().isEmpty() || parsed.accountId().isEmpty()
                || parsed.resource().resourceType().isEmpty()) {
            throw new InvalidInputException("'" + arn + "' is not an RDS resource ARN");
        }
        return new RdsArn(parsed.partition(), parsed.region().get(), parsed.accountId().get(),
                parsed.resource().resourceType().get(), parsed.resource().resource());
    }

    /**
     * Parses {@code arn} and requires a DB snapshot ARN.
     *
     * @param field the input field, named in the error
     * @throws InvalidInputException when it is missing, not an RDS ARN, or not a snapshot's
     */
    public static RdsArn requireSnapshot(String field, String arn) {
        RdsArn parsed = parse(arn);
        if (!parsed.isSnapshot()) {
            throw new InvalidInputException(field + " '" + arn + "' is not a DB snapshot ARN");
        }
        return parsed;
    }

    /** The ARN of another resource of {@code type} in the same partition, Region and account. */
    public RdsArn sibling(String otherType, String otherIdentifier) {
        return new RdsArn(partition, region, accountId, otherType, otherIdentifier);
    }

    public boolean isSnapshot() {
        return SNAPSHOT.equals(type);
    }

    public boolean isInstance() {
        return DB.equals(type);
    }

    public boolean isCluster() {
        return CLUSTER.equals(type);
    }

    public boolean isClusterSnapshot() {
        return CLUSTER_SNAPSHOT.equals(type);
    }

    /**
     * Parses {@code arn} and requires a DB cluster snapshot ARN.
     *
     * @param field the input field, named in the error
     * @throws InvalidInputException when it is missing, not an RDS ARN, or not a cluster snapshot's
     */
    public static RdsArn requireClusterSnapshot(String field, String arn) {
        RdsArn parsed = parse(arn);
        if (!parsed.isClusterSnapshot()) {
            throw new InvalidInputException(field + " '" + arn + "' is not a DB cluster snapshot ARN");
        }
        return parsed;
    }

    @Override
    public String toString() {
        return "arn:" + partition + ":rds:" + region + ":" + accountId + ":" + type + ":" + identifier;
    }
}
