package org.rdsreplicator.common.testing;

import org.rdsreplicator.common.wait.CopyHeadroom;
import org.rdsreplicator.common.wait.WaitCompleter;
import org.rdsreplicator.common.wait.WaitedStart;

/**
 * {@link Harness} plus the in-memory wait registry, a recording Step Functions client, the copy-headroom queue
 * (quotas 20 and 5, as RDS's defaults) and the waited start over them.
 */
public class WaitHarness extends Harness {
    public final InMemoryWaits waits = new InMemoryWaits();
    public final RecordingSfn sfn = new RecordingSfn();
    public final InMemoryHeadroomQueue headroomQueue = new InMemoryHeadroomQueue();
    public final CopyHeadroom headroom = new CopyHeadroom(rds, headroomQueue, sfn, new InMemoryHeadroomQueue.Quotas(20, 5));
    public final WaitCompleter completer = new WaitCompleter(waits, resources, sfn, json, headroom);
    public final WaitedStart waited = new WaitedStart(waits, completer, resources);
}
