package org.rdsreplicator.common.naming;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;

import org.rdsreplicator.common.errors.InvalidInputException;

/**
 * RDS identifier rules in one place: 1-63 letters, digits and hyphens, starting with a letter, no
 * double hyphen, no trailing hyphen. Names this system creates are the source name plus a UTC
 * timestamp and a role suffix, so they sort by time and say what they are.
 */
public final class Identifiers {
    public static final int MAX_LENGTH = 63;
    /** Suffix of the source account's shareable copy of a run's snapshot ({@code <snapshot>-share}). */
    public static final String SHAREABLE_COPY_SUFFIX = "share";
    /** Suffix of the destination account's copy of the shared snapshot ({@code <shared snapshot>-local}). */
    public static final String LOCAL_COPY_SUFFIX = "local";
    private static final Pattern VALID = Pattern.compile("^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{0,62}(?<!-)$");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private Identifiers() {
    }

    /** True when {@code id} is a valid RDS instance or snapshot identifier. */
    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    /**
     * Checks a caller-supplied identifier and returns it unchanged.
     *
     * @throws InvalidInputException when missing or not a valid RDS identifier
     */
    public static String requireValid(String field, String id) {
        if (id == null || id.isBlank()) {
            throw new InvalidInputException(field + " is required");
        }
        if (!isValid(id)) {
            throw new InvalidInputException(field + " '" + id + "' is not a valid RDS identifier "
                    + "(1-63 letters, digits or hyphens, starting with a letter, no '--', no trailing '-')");
        }
        return id;
    }

    /** UTC timestamp used in every generated name and replication id, e.g. {@code 20261124T093000Z}. */
    public static String stamp(Instant time) {
        return STAMP.format(time);
    }

    /**
     * Builds {@code <base>-<stamp>-<suffix>}, with {@code base} sanitised (an automated snapshot's
     * {@code rds:} prefix removed, invalid characters turned into hyphens, lower case) and cut so that
     * the whole stays within 63 characters.
     */
    public static String derive(String base, Instant time, String suffix) {
        String tail = "-" + stamp(time).toLowerCase(Locale.ROOT) + (suffix == null || suffix.isEmpty() ? "" : "-" + suffix);
        String clean = sanitise(base);
        int room = MAX_LENGTH - tail.length();
        if (clean.length() > room) {
            clean = trimHyphens(clean.substring(0, room));
        }
        return clean + tail;
    }

    /**
     * The name a replication gives what it creates from {@code base} at {@code time}:
     * {@code <base>-<stamp>-<hash of the replication id>} (the source snapshot from the instance and the
     * execution's start time; the restored instance from the source instance and the snapshot's time), the same
     * on every retry of the replication.
     */
    public static String forReplication(String base, Instant time, String replicationId) {
        return derive(base, time, shortHash(replicationId));
    }

    /** Removes {@code rds:} prefixes and maps the rest onto the identifier alphabet. */
    public static String sanitise(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException("an identifier is required");
        }
        String s = name.trim();
        while (s.toLowerCase(Locale.ROOT).startsWith("rds:")) {
            s = s.substring(4);
        }
        s = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("-{2,}", "-");
        s = trimHyphens(s);
        if (s.isEmpty() || !Character.isLetter(s.charAt(0))) {
            s = "db-" + s;
            s = trimHyphens(s);
        }
        return s;
    }

    private static String trimHyphens(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '-') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '-') {
            end--;
        }
        return s.substring(start, end);
    }

    /**
     * {@code <base>-<suffix>}. When that is too long, {@code base} is cut and a hash of the whole
     * {@code base} is kept in its place, so names derived from different bases stay different.
     */
    public static String withSuffix(String base, String suffix) {
        String tail = "-" + suffix;
        String clean = sanitise(base);
        int room = MAX_LENGTH - tail.length();
        if (clean.length() > room) {
            String hash = "-" + shortHash(clean);
            clean = trimHyphens(clean.substring(0, room - hash.length())) + hash;
        }
        return clean + tail;
    }

    /**
     * A short, stable token derived from a replication id (6 hex digits of its SHA-256): makes names
     * unique per replication yet the same on every retry of the same replication.
     */
    public static String shortHash(String value) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 3);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final Pattern REPLICATION_ID = Pattern.compile("^[A-Za-z0-9_-]{1,80}$");

    /**
     * Checks a replication id: it becomes a Step Functions execution name and a tag value, so 1-80
     * letters, digits, hyphens or underscores.
     *
     * @throws InvalidInputException when it does not fit
     */
    public static String requireReplicationId(String id) {
        if (id == null || !REPLICATION_ID.matcher(id).matches()) {
            throw new InvalidInputException("replicationId '" + id
                    + "' must be 1-80 letters, digits, hyphens or underscores");
        }
        return id;
    }
}
