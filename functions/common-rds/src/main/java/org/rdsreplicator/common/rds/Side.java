package org.rdsreplicator.common.rds;

/**
 * Which workflow made a resource. With {@code Role=both} one account holds both sides' resources of the
 * same replication id; cleanup after a failure stays on the side that failed.
 */
public enum Side {
    /** source-replication: the source snapshot and its shareable copy. */
    SOURCE,
    /** destination-restore: the local copy, the restored instance and final snapshots. */
    DESTINATION
}
