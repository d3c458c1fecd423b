package org.rdsreplicator.common.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.rdsreplicator.common.errors.InvalidInputException;

class RdsArnTest {

    @Test
    void parse_shouldReadEveryPartWhateverTheRegionNameLength() {
        RdsArn a = RdsArn.parse("arn:aws-us-gov:rds:ap-southeast-2:111111111111:snapshot:orders-db-x");
        assertThat(a.partition()).isEqualTo("aws-us-gov");
        assertThat(a.region()).isEqualTo("ap-southeast-2");
        assertThat(a.accountId()).isEqualTo("111111111111");
        assertThat(a.isSnapshot()).isTrue();
        assertThat(a.identifier()).isEqualTo("orders-db-x");
        assertThat(a.toString()).isEqualTo("arn:aws-us-gov:rds:ap-southeast-2:111111111111:snapshot:orders-db-x");
    }

    @Test
    void sibling_shouldKeepPartitionRegionAndAccount() {
        RdsArn db = RdsArn.parse("arn:aws:rds:eu-west-1:111111111111:db:orders-db");
        assertThat(db.isInstance()).isTrue();
        assertThat(db.sibling(RdsArn.SNAPSHOT, "s1").toString()).isEqualTo("arn:aws:rds:eu-west-1:111111111111:snapshot:s1");
    }

    @Test
    void parse_shouldRejectWhatIsNotAnRdsResourceArn() {
        assertThatThrownBy(() -> RdsArn.parse("arn:aws:sns:eu-west-1:111111111111:topic")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> RdsArn.parse("orders-db")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> RdsArn.parse(null)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void requireSnapshot_shouldAcceptSnapshotsAndNameTheFieldOtherwise() {
        assertThat(RdsArn.requireSnapshot("snapshotArn", "arn:aws:rds:eu-west-1:111111111111:snapshot:s1").identifier())
                .isEqualTo("s1");
        assertThatThrownBy(() -> RdsArn.requireSnapshot("snapshotArn", "arn:aws:rds:eu-west-1:111111111111:db:orders-db"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("snapshotArn")
                .hasMessageContaining("not a DB snapshot ARN");
    }
}
