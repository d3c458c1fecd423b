package org.rdsreplicator.createsnapshot;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.rdsreplicator.common.errors.InstanceNotAvailableException;
import org.rdsreplicator.common.errors.InstanceNotFoundException;
import org.rdsreplicator.common.errors.InvalidInputException;
import org.rdsreplicator.common.naming.Identifiers;
import org.rdsreplicator.common.naming.RdsArn;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.rds.RdsErrors;
import org.rdsreplicator.common.rds.RdsResources;
import org.rdsreplicator.common.records.SnapshotInfo;
import org.rdsreplicator.common.wait.WaitedStart;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;

/**
 * Takes a manual snapshot of the source instance. The snapshot name is derived from the instance,
 * the replication's start time and a hash of the replication id, so calling again for the same
 * replication (a Retry, or a re-armed wait after a timeout) adopts the snapshot already made instead
 * of failing or making a second one.
 */
@ApplicationScoped
public class CreateSnapshotService {
    static final String STEP = "create-snapshot";
    private static final Logger LOG = Logger.getLogger(CreateSnapshotService.class);

    private final RdsClient rds;
    private final RdsResources resources;
    private final WaitedStart waited;
    private final Clock clock;
    private final CreateClusterSnapshot clusters;

    public CreateSnapshotService(RdsClient rds, RdsResources resources, WaitedStart waited, Clock clock) {
        this.clusters = new CreateClusterSnapshot(rds, resources, waited);
        this.rds = rds;
        this.resources = resources;
        this.waited = waited;
        this.clock = clock;
    }

    public SnapshotInfo create(CreateSnapshotRequest req) {
        if (req == null) {
            throw new InvalidInputException("an input with dbInstanceIdentifier is required");
        }
        if (req.dbClusterIdentifier() != null) {
            if (req.dbInstanceIdentifier() != null) {
                throw new InvalidInputException("give dbInstanceIdentifier or dbClusterIdentifier, not both");
            }
            String clusterId = Identifiers.requireValid("dbClusterIdentifier", req.dbClusterIdentifier());
            Instant at = requestedAt(req.requestedAt());
            String replicationId = req.replicationId() == null ? Identifiers.derive(clusterId, at, null)
                    : Identifiers.requireReplicationId(req.replicationId());
            return clusters.create(clusterId, at, replicationId, req.taskToken());
        }
        String instanceId = Identifiers.requireValid("dbInstanceIdentifier", req.dbInstanceIdentifier());
        Instant at = requestedAt(req.requestedAt());
        String replicationId = req.replicationId() == null
                ? Identifiers.derive(instanceId, at, null)
                : Identifiers.requireReplicationId(req.replicationId());

        DBInstance instance = resources.instance(instanceId)
                .orElseThrow(() -> new InstanceNotFoundException("DB instance " + instanceId + " does not exist"));
        String snapshotId = Identifiers.forReplication(instanceId, at, replicationId);
        RdsArn snapshotArn = RdsArn.parse(instance.dbInstanceArn()).sibling(RdsArn.SNAPSHOT, snapshotId);

        Optional<DBSnapshot> existing = resources.snapshot(snapshotId);
        if (existing.isPresent()) {
            adopt(existing.get(), replicationId);
        } else if (!"available".equals(instance.dbInstanceStatus())) {
            throw new InstanceNotAvailableException("DB instance " + instanceId + " is "
                    + instance.dbInstanceStatus() + ", not available");
        }

        DBSnapshot snapshot = waited.run(snapshotArn.toString(), req.taskToken(), replicationId, STEP, existing,
                () -> start(instanceId, snapshotId, replicationId));
        return SnapshotInfo.of(snapshot);
    }

    private DBSnapshot start(String instanceId, String snapshotId, String replicationId) {
        try {
            DBSnapshot s = rds.createDBSnapshot(r -> r.dbInstanceIdentifier(instanceId).dbSnapshotIdentifier(snapshotId)
                    .tags(Tags.managed(replicationId, instanceId, Tags.KIND_SOURCE_SNAPSHOT))).dbSnapshot();
            LOG.infof("creating snapshot %s of %s for replication %s", snapshotId, instanceId, replicationId);
            return s;
        } catch (AwsServiceException e) {
            throw RdsErrors.translate(e, "cannot snapshot " + instanceId);
        }
    }

    private void adopt(DBSnapshot s, String replicationId) {
        waited.requireOwnedBy(s.dbSnapshotArn(), "snapshot " + s.dbSnapshotIdentifier(), replicationId);
        LOG.infof("adopting snapshot %s already made by replication %s", s.dbSnapshotIdentifier(), replicationId);
    }

    private Instant requestedAt(String value) {
        if (value == null || value.isBlank()) {
            return clock.instant();
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("requestedAt '" + value + "' is not an ISO-8601 instant", e);
        }
    }
}
