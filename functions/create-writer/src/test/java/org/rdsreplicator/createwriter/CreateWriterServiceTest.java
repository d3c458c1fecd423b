package org.rdsreplicator.createwriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.InstanceNotFoundException;
import org.rdsreplicator.common.errors.WaitConflictException;
import org.rdsreplicator.common.naming.Tags;
import org.rdsreplicator.common.records.InstanceInfo;
import org.rdsreplicator.common.testing.FakeRds;
import org.rdsreplicator.common.testing.WaitHarness;

class CreateWriterServiceTest {
    static final String RUN = "ledger-20261124T093000Z";
    static final String CLUSTER = "ledger-20261124t093000z-4469ce";
    static final String WRITER = CLUSTER + "-writer";

    WaitHarness h;
    CreateWriterConfig config = () -> "db.r6g.large";

    @BeforeEach
    void setUp() {
        h = new WaitHarness();
        h.rds.addCluster(CLUSTER, "available");
        ArrayList<software.amazon.awssdk.services.rds.model.Tag> tags = new ArrayList<>(Tags.managedCluster(RUN, "ledger"));
        tags.add(Tags.tag(Tags.SNAPSHOT_TIME, "2026-11-24T09:30:00Z"));
        h.rds.clusterTags.put(CLUSTER, tags);
    }

    CreateWriterService service() {
        return new CreateWriterService(h.rds, h.resources, h.waited, config);
    }

    String writerArn() {
        return "arn:aws:rds:" + FakeRds.REGION + ":" + FakeRds.ACCOUNT + ":db:" + WRITER;
    }

    @Test
    void provisionedCluster_shouldGetAPrivateTaggedWriterOfTheConfiguredClassAndWait() {
        InstanceInfo i = service().create(new CreateWriterRequest(RUN, CLUSTER, "provisioned", "token-1"));

        assertThat(i.dbInstanceIdentifier()).isEqualTo(WRITER);
        FakeRds.Inst writer = h.rds.instances.get(WRITER);
        assertThat(writer.createdWith.dbClusterIdentifier()).isEqualTo(CLUSTER);
        assertThat(writer.createdWith.dbInstanceClass()).isEqualTo("db.r6g.large");
        assertThat(writer.createdWith.engine()).isEqualTo("aurora-postgresql");
        assertThat(writer.createdWith.publiclyAccessible()).isFalse();
        assertThat(Tags.asMap(writer.tags)).containsEntry(Tags.MANAGED_BY, Tags.MANAGED_BY_VALUE)
                .containsEntry(Tags.REPLICATION_ID, RUN).containsEntry(Tags.SOURCE_CLUSTER, "ledger")
                .containsEntry(Tags.SNAPSHOT_TIME, "2026-11-24T09:30:00Z");
        assertThat(h.waits.items).containsKey(writerArn());
        assertThat(h.sfn.successes).isEmpty();
    }

    @Test
    void serverlessV2_shouldGetADbServerlessWriter() {
        service().create(new CreateWriterRequest(RUN, CLUSTER, "serverless-v2", null));

        assertThat(h.rds.instances.get(WRITER).createdWith.dbInstanceClass()).isEqualTo("db.serverless");
    }

    @Test
    void retry_shouldAdoptTheWriterAndCompleteWhenAvailable() {
        service().create(new CreateWriterRequest(RUN, CLUSTER, null, "token-1"));
        h.rds.instances.get(WRITER).status = "available";

        service().create(new CreateWriterRequest(RUN, CLUSTER, null, "token-2"));

        assertThat(h.rds.calls("createDBInstance")).isEqualTo(1);
        assertThat(h.sfn.successes).extracting(s -> s.taskToken()).containsExactly("token-2");
    }

    @Test
    void clusterOfAnotherRun_shouldGetNoWriter() {
        assertThatThrownBy(() -> service().create(new CreateWriterRequest("other-run", CLUSTER, null, "t")))
                .isInstanceOf(WaitConflictException.class);
        assertThatThrownBy(() -> service().create(new CreateWriterRequest(RUN, "no-such-cluster", null, "t")))
                .isInstanceOf(InstanceNotFoundException.class);
        assertThat(h.rds.calls("createDBInstance")).isZero();
    }
}
