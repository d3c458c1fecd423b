package org.rdsreplicator.common.testing;

import org.rdsreplicator.common.wait.WaitCompleter;
import org.rdsreplicator.common.wait.WaitedStart;

/** {@link Harness} plus the in-memory wait registry, a recording Step Functions client and the waited start over them. */
public class WaitHarness extends Harness {
    public final InMemoryWaits waits = new InMemoryWaits();
    public final RecordingSfn sfn = new RecordingSfn();
    public final WaitCompleter completer = new WaitCompleter(waits, resources, sfn, json);
    public final WaitedStart waited = new WaitedStart(waits, completer, resources);
}
