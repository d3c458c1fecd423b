package org.rdsreplicator.common.testing;

import java.util.Map;
import java.util.function.Consumer;

import org.rdsreplicator.common.naming.Tags;

import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.CreateDbInstanceRequest;

/** The RDS fixtures the function tests create in moto: one shape of instance, and its tags read back. */
public final class MotoRds {
    /** The master user of every test instance (the secrets of the tests carry it as {@code username}). */
    public static final String MASTER_USER = "app";

    private MotoRds() {
    }

    /** A small PostgreSQL instance; {@code more} adds what a test needs (tags, encryption, protection). */
    public static void instance(RdsClient rds, String id, Consumer<CreateDbInstanceRequest.Builder> more) {
        rds.createDBInstance(r -> {
            r.dbInstanceIdentifier(id).engine("postgres").dbInstanceClass("db.t3.micro")
                    .masterUsername(MASTER_USER).masterUserPassword("source-password-1").allocatedStorage(20);
            more.accept(r);
        });
    }

    public static void instance(RdsClient rds, String id) {
        instance(rds, id, r -> { });
    }

    /** The instance's tags, read with ListTagsForResource (what a later Describe would not show). */
    public static Map<String, String> tags(RdsClient rds, String id) {
        String arn = rds.describeDBInstances(r -> r.dbInstanceIdentifier(id)).dbInstances().get(0).dbInstanceArn();
        return Tags.asMap(rds.listTagsForResource(r -> r.resourceName(arn)).tagList());
    }
}
