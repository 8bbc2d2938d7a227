package dev.trainstream.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as lowercase hex: the content address of shards and checkpoints. */
public final class Sha256 {
    private Sha256() {
    }

    public static String hex(byte[] data) {
        return HexFormat.of().formatHex(digest().digest(data));
    }

    /** A fresh digest (JDK guarantees SHA-256 exists). */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JVM", e);
        }
    }

    public static boolean isHex(String value) {
        return value != null && value.matches("[0-9a-f]{64}");
    }
}
