package io.mmflow.core.util;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers for content hashes and stable ids. */
public final class Hashing {
  private Hashing() {}

  public static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  public static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }

  /**
   * A stable id for a source object: the first 32 hex digits of the SHA-256 of its URI. The same
   * object gets the same id on every run, which makes re-runs idempotent.
   */
  public static String stableId(String sourceUri) {
    return sha256Hex(sourceUri.getBytes(StandardCharsets.UTF_8)).substring(0, 32);
  }
}
