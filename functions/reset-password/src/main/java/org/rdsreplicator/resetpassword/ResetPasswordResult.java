package org.rdsreplicator.resetpassword;

import org.rdsreplicator.common.records.ClusterInfo;
import org.rdsreplicator.common.records.InstanceInfo;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Output of reset-password: the instance, or the Aurora cluster, whose master password was set, as Describe showed
 * it (the workflow's task completes with the event router's description once the password is in effect).
 *
 * @param dbInstanceIdentifier the instance (null for a cluster)
 * @param dbClusterIdentifier  the cluster (null for an instance)
 * @param arn                  its ARN
 * @param status               its RDS status
 * @param passwordPending      true while the new password is not yet in effect
 */
@RegisterForReflection
public record ResetPasswordResult(String dbInstanceIdentifier, String dbClusterIdentifier, String arn, String status,
        boolean passwordPending) {

    static ResetPasswordResult of(InstanceInfo i, boolean pending) {
        return new ResetPasswordResult(i.dbInstanceIdentifier(), null, i.dbInstanceArn(), i.status(), pending);
    }

    static ResetPasswordResult of(ClusterInfo c, boolean pending) {
        return new ResetPasswordResult(null, c.dbClusterIdentifier(), c.dbClusterArn(), c.status(), pending);
    }
}
