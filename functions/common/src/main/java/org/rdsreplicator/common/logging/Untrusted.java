package org.rdsreplicator.common.logging;

/**
 * Makes text that came from outside this account (a replication message's fields, its whole body, a
 * parser's complaint about it) safe to echo in a log line or an alert: at most {@link #MAX_LENGTH}
 * characters, with an ellipsis and the original length when cut, and control characters (line breaks
 * included) replaced so one value cannot forge further log lines. An oversized message then still
 * costs one short log line and one small alert.
 */
public final class Untrusted {
    /** Characters of an untrusted value that are kept. */
    public static final int MAX_LENGTH = 256;

    private Untrusted() {
    }

    /** {@code value} cut to {@link #MAX_LENGTH} characters; null stays null. */
    public static String excerpt(String value) {
        return excerpt(value, MAX_LENGTH);
    }

    /**
     * {@code value} cut to {@code max} characters (never inside a surrogate pair), followed by
     * {@code …(N chars)} when it was longer; null stays null.
     */
    public static String excerpt(String value, int max) {
        if (value == null) {
            return null;
        }
        boolean cut = value.length() > max;
        int end = cut ? max : value.length();
        if (cut && end > 0 && Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        StringBuilder b = new StringBuilder(end + 24);
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        if (cut) {
            b.append("…(").append(value.length()).append(" chars)");
        }
        return b.toString();
    }
}
