package io.mmflow.sql.functions;

import io.mmflow.model.tika.MediaTypeDetector;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code MMF_CONTENT_TYPE(content BYTES) → STRING}: the IANA media type detected from the bytes
 * (Tika's magic patterns and container inspection, never a file name), as the jobs' validation
 * detects it; {@code application/octet-stream} when nothing matches, NULL for NULL.
 */
public final class ContentTypeFunction extends ScalarFunction {
  private transient MediaTypeDetector detector;

  @Override
  public void open(FunctionContext context) {
    detector = new MediaTypeDetector();
  }

  public String eval(byte[] content) {
    return content == null ? null : detector.detect(content);
  }
}
