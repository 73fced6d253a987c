package io.mmflow.sql.functions;

import io.mmflow.core.util.Hashing;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code MMF_SHA256(content BYTES) → STRING}: the lower-case hex SHA-256 of the bytes, the {@code
 * content_sha256} column of every result; NULL for NULL.
 */
public final class Sha256Function extends ScalarFunction {
  public String eval(byte[] content) {
    return content == null ? null : Hashing.sha256Hex(content);
  }
}
