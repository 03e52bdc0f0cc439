package org.metaunsup.data;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Hex digests used for dataset checksums. */
public final class Checksums {
    private Checksums() {}

    /**
     * @param bytes digest bytes
     * @return lower-case hex text
     */
    public static String hex(byte[] bytes) {
        StringBuilder b = new StringBuilder(bytes.length * 2);
        for (byte x : bytes) {
            b.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return b.toString();
    }

    /**
     * @param algorithm a JDK digest name ("MD5", "SHA-256")
     * @param parts byte arrays digested in order
     * @return lower-case hex digest
     */
    public static String digest(String algorithm, byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            for (byte[] p : parts) {
                md.update(p);
            }
            return hex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }
}
