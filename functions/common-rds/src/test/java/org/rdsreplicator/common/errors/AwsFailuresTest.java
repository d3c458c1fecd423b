package org.rdsreplicator.common.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rdsreplicator.common.rds.RdsErrors;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;
import software.amazon.awssdk.services.sns.model.AuthorizationErrorException;
import software.amazon.awssdk.services.sns.model.KmsThrottlingException;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sns.model.ThrottledException;

/** The one transient/terminal decision, for every AWS service family the functions call. */
class AwsFailuresTest {

    static AwsServiceException error(AwsServiceException.Builder b, String service, String code, int status) {
        return b.awsErrorDetails(AwsErrorDetails.builder().serviceName(service).errorCode(code)
                .errorMessage(code + " from " + service).build()).message(code).statusCode(status)
                .requestId("req-1").build();
    }

    static Stream<Arguments> transientFailures() {
        return Stream.of(
                Arguments.of("RDS throttling", error(RdsException.builder(), "Rds", "Throttling", 400)),
                Arguments.of("RDS 5xx", error(RdsException.builder(), "Rds", "InternalFailure", 500)),
                Arguments.of("DynamoDB throttling",
                        error(ProvisionedThroughputExceededException.builder(), "DynamoDb",
                                "ProvisionedThroughputExceededException", 400)),
                Arguments.of("DynamoDB 5xx", error(DynamoDbException.builder(), "DynamoDb", "InternalServerError", 500)),
                Arguments.of("Step Functions throttling", error(SfnException.builder(), "Sfn", "ThrottlingException", 400)),
                Arguments.of("Step Functions 5xx", error(SfnException.builder(), "Sfn", "ServiceUnavailable", 503)),
                Arguments.of("SNS throttling", error(ThrottledException.builder(), "Sns", "Throttled", 400)),
                Arguments.of("SNS 5xx", error(SnsException.builder(), "Sns", "InternalError", 500)),
                Arguments.of("KMS throttling behind SNS", error(KmsThrottlingException.builder(), "Sns", "KMSThrottling", 400)),
                Arguments.of("Secrets Manager throttling",
                        error(SecretsManagerException.builder(), "SecretsManager", "ThrottlingException", 400)),
                Arguments.of("Secrets Manager 5xx",
                        error(SecretsManagerException.builder(), "SecretsManager", "InternalServiceError", 500)),
                Arguments.of("HTTP 429 of any service", error(SnsException.builder(), "Sns", "Whatever", 429)),
                Arguments.of("client call timeout", ApiCallTimeoutException.create(30_000)),
                Arguments.of("client attempt timeout", ApiCallAttemptTimeoutException.create(5_000)),
                Arguments.of("connection refused", SdkClientException.builder()
                        .message("Unable to execute HTTP request: Connection refused")
                        .cause(new ConnectException("Connection refused")).build()));
    }

    static Stream<Arguments> terminalFailures() {
        return Stream.of(
                Arguments.of("RDS access denied", error(RdsException.builder(), "Rds", "AccessDenied", 403)),
                Arguments.of("RDS validation", error(RdsException.builder(), "Rds", "InvalidParameterValue", 400)),
                Arguments.of("RDS not found", error(DbInstanceNotFoundException.builder(), "Rds", "DBInstanceNotFound", 404)),
                Arguments.of("DynamoDB condition", error(ConditionalCheckFailedException.builder(), "DynamoDb",
                        "ConditionalCheckFailedException", 400)),
                Arguments.of("DynamoDB access denied",
                        error(DynamoDbException.builder(), "DynamoDb", "AccessDeniedException", 400)),
                Arguments.of("Step Functions spent token", error(TaskTimedOutException.builder(), "Sfn", "TaskTimedOut", 400)),
                Arguments.of("SNS authorization", error(AuthorizationErrorException.builder(), "Sns", "AuthorizationError", 403)),
                Arguments.of("Secrets Manager access denied",
                        error(SecretsManagerException.builder(), "SecretsManager", "AccessDeniedException", 400)),
                Arguments.of("Secrets Manager quota",
                        error(SecretsManagerException.builder(), "SecretsManager", "LimitExceededException", 400)),
                Arguments.of("client without an I/O cause (e.g. no Region)",
                        SdkClientException.create("Unable to load region from any of the providers")),
                Arguments.of("not an AWS error", new IllegalStateException("bug")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transientFailures")
    void transientFailure_shouldBecomeTransientAwsExceptionKeepingTheCause(String what, RuntimeException e) {
        RuntimeException translated = AwsFailures.translate(e, "cannot do it");

        assertThat(AwsFailures.isTransient(e)).isTrue();
        assertThat(translated).isInstanceOf(TransientAwsException.class).hasCause(e)
                .hasMessageStartingWith("cannot do it: transient AWS failure, ");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("terminalFailures")
    void terminalFailure_shouldKeepItsOwnName(String what, RuntimeException e) {
        assertThat(AwsFailures.isTransient(e)).isFalse();
        assertThat(AwsFailures.translate(e, "cannot do it")).isSameAs(e);
    }

    @Test
    void message_shouldNameServiceCodeStatusAndRequestButNotTheResponseText() {
        AwsServiceException e = error(SecretsManagerException.builder(), "SecretsManager", "InternalServiceError", 500)
                .toBuilder().awsErrorDetails(AwsErrorDetails.builder().serviceName("SecretsManager")
                        .errorCode("InternalServiceError").errorMessage("echo {\"password\":\"S3cr3t\"}").build())
                .build();

        assertThat(AwsFailures.translate(e, null).getMessage())
                .isEqualTo("transient AWS failure, SecretsManager InternalServiceError (HTTP 500, request req-1)")
                .doesNotContain("S3cr3t");
    }

    @Test
    void namedError_shouldKeepItsMeaningEvenWithATransientCause() {
        RuntimeException throttle = error(RdsException.builder(), "Rds", "Throttling", 400);
        ResourceBusyException named = new ResourceBusyException("busy", throttle);
        TransientAwsException already = new TransientAwsException("x", throttle);

        assertThat(AwsFailures.isTransient(named)).isFalse();
        assertThat(AwsFailures.translate(named, null)).isSameAs(named);
        assertThat(AwsFailures.translate(already, "again")).isSameAs(already);
        assertThat(AwsFailures.isTransient(new IllegalStateException("wrapped", throttle))).isTrue();
    }

    @Test
    void rdsErrors_shouldReturnTransientAwsExceptionForThrottlingAnd5xxAndKeepSpecificNames() {
        assertThat(RdsErrors.translate(error(RdsException.builder(), "Rds", "Throttling", 400), "describe"))
                .isInstanceOf(TransientAwsException.class);
        assertThat(RdsErrors.translate(error(RdsException.builder(), "Rds", "InternalFailure", 500), "describe"))
                .isInstanceOf(TransientAwsException.class);
        assertThat(RdsErrors.translate(error(DbInstanceNotFoundException.builder(), "Rds", "DBInstanceNotFound", 404),
                "describe")).isInstanceOf(InstanceNotFoundException.class);
        AwsServiceException denied = error(RdsException.builder(), "Rds", "AccessDenied", 403);
        assertThat(RdsErrors.translate(denied, "describe")).isSameAs(denied);
    }
}
