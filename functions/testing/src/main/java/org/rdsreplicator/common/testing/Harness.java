package org.rdsreplicator.common.testing;

import java.time.Clock;

import org.rdsreplicator.common.rds.ManagedResources;
import org.rdsreplicator.common.rds.RdsResources;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The shared pieces a service under unit test needs, wired over the in-memory RDS fake. A step that
 * waits for RDS work uses {@link WaitHarness}, which adds the wait registry and Step Functions.
 */
public class Harness {
    public final FakeRds rds = new FakeRds();
    public final ObjectMapper json = new ObjectMapper();
    public final RdsResources resources = new RdsResources(rds);
    public final ManagedResources managed = new ManagedResources(rds);
    public Clock clock = Clock.fixed(java.time.Instant.parse("2026-11-24T09:30:00Z"), java.time.ZoneOffset.UTC);
}
