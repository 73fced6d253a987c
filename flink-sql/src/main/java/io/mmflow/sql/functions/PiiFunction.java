package io.mmflow.sql.functions;

import io.mmflow.operators.preprocess.text.PiiDetector;
import io.mmflow.operators.preprocess.text.PiiSpan;
import java.util.List;
import java.util.Locale;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.types.Row;

/**
 * {@code MMF_PII(text STRING) → ARRAY<ROW<type, placeholder, char_start, char_end>>}: the personal
 * data the jobs' PII guard finds in the text (payment cards passing Luhn, IBANs with their check
 * digits, US and UK national ids, e-mail addresses, IP addresses, phone numbers valid for their
 * region), as spans in UTF-16 offsets, end exclusive, in text order. The values themselves are not
 * returned: {@code SUBSTRING} of the caller's own column gives them where a query needs them. NULL
 * for NULL.
 */
public final class PiiFunction extends ScalarFunction {
  private transient PiiDetector detector;

  @Override
  public void open(FunctionContext context) {
    detector = new PiiDetector();
  }

  public @DataTypeHint(
      "ARRAY<ROW<type STRING NOT NULL, placeholder STRING NOT NULL, char_start INT NOT NULL,"
          + " char_end INT NOT NULL> NOT NULL>") Row[] eval(String text) {
    if (text == null) {
      return null;
    }
    List<PiiSpan> spans = detector.detect(text);
    Row[] out = new Row[spans.size()];
    for (int i = 0; i < out.length; i++) {
      PiiSpan s = spans.get(i);
      out[i] =
          Row.of(
              s.type().name().toLowerCase(Locale.ROOT), s.type().placeholder(), s.start(), s.end());
    }
    return out;
  }
}
