package org.rdsreplicator.common.kms;

import jakarta.enterprise.context.ApplicationScoped;

import org.rdsreplicator.common.errors.AwsFailures;
import org.rdsreplicator.common.errors.ConfigurationException;
import org.rdsreplicator.common.errors.KmsKeyNotUsableException;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/**
 * Whether a customer-managed key can encrypt RDS copies, asked before any RDS work ({@code DescribeKey}):
 * it exists, is enabled (not disabled, pending deletion or pending import) and is a symmetric
 * encrypt/decrypt key. Whether RDS may use it through its key policy only RDS itself can tell; a key
 * policy that denies RDS still fails the copy ({@code KMSKeyNotAccessibleFault}).
 */
@ApplicationScoped
public class KeyCheck {
    private final KmsClient kms;

    public KeyCheck(KmsClient kms) {
        this.kms = kms;
    }

    /**
     * The key's metadata when it is usable.
     *
     * @param what the key's role, for the error text (e.g. "the stack's ReplicationKey")
     * @throws KmsKeyNotUsableException when it does not exist, cannot be described or is not usable
     * @throws ConfigurationException   when {@code keyArn} is blank
     */
    public KeyMetadata requireUsable(String keyArn, String what) {
        if (keyArn == null || keyArn.isBlank()) {
            throw new ConfigurationException(what + ": no KMS key configured");
        }
        KeyMetadata key;
        try {
            key = kms.describeKey(r -> r.keyId(keyArn)).keyMetadata();
        } catch (NotFoundException e) {
            throw new KmsKeyNotUsableException(what + " " + keyArn + " does not exist", e);
        } catch (KmsException e) {
            if (AwsFailures.isTransient(e)) {
                throw AwsFailures.translate(e, "cannot describe " + what + " " + keyArn);
            }
            throw new KmsKeyNotUsableException(what + " " + keyArn + " cannot be described: "
                    + e.awsErrorDetails().errorCode(), e);
        } catch (AwsServiceException e) {
            throw AwsFailures.translate(e, "cannot describe " + what + " " + keyArn);
        }
        if (key.keyState() != KeyState.ENABLED || Boolean.FALSE.equals(key.enabled())) {
            throw new KmsKeyNotUsableException(what + " " + keyArn + " is " + key.keyStateAsString() + ", not Enabled");
        }
        if (key.keyUsage() != null && key.keyUsage() != KeyUsageType.ENCRYPT_DECRYPT) {
            throw new KmsKeyNotUsableException(what + " " + keyArn + " is for " + key.keyUsageAsString()
                    + ", not ENCRYPT_DECRYPT");
        }
        if (key.keySpecAsString() != null && !"SYMMETRIC_DEFAULT".equals(key.keySpecAsString())) {
            throw new KmsKeyNotUsableException(what + " " + keyArn + " is " + key.keySpecAsString()
                    + ", not a symmetric key");
        }
        return key;
    }
}
