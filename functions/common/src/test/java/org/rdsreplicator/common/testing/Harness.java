package org.rdsreplicator.common.testing;

import java.time.Clock;

import org.rdsreplicator.common.rds.ManagedResources;
import org.rdsreplicator.common.rds.RdsResources;
import org.rdsreplicator.common.wait.WaitCompleter;
import org.rdsreplicator.common.wait.WaitedStart;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The shared pieces a service under unit test needs, wired over the in-memory fakes. */
public class Harness {
    public final FakeRds rds = new FakeRds();
    public final InMemoryWaits waits = new InMemoryWaits();
    public final RecordingSfn sfn = new RecordingSfn();
    public final ObjectMapper json = new ObjectMapper();
    public final RdsResources resources = new RdsResources(rds);
    public final ManagedResources managed = new ManagedResources(rds);
    public final WaitCompleter completer = new WaitCompleter(waits, resources, sfn, json);
    public final WaitedStart waited = new WaitedStart(waits, completer, resources);
    public Clock clock = Clock.fixed(java.time.Instant.parse("2026-11-24T09:30:00Z"), java.time.ZoneOffset.UTC);
}
