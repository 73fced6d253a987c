package io.mmflow.sql.functions;

import io.mmflow.operators.preprocess.text.PiiDetector;
import io.mmflow.operators.preprocess.text.PiiRedactor;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code MMF_REDACT(text STRING) → STRING}: the text with every span {@code MMF_PII} finds replaced
 * by its placeholder ({@code [EMAIL]}, {@code [PHONE]}, ...), as the jobs redact a text before it
 * reaches a model or a provider; NULL for NULL.
 */
public final class RedactFunction extends ScalarFunction {
  private transient PiiRedactor redactor;

  @Override
  public void open(FunctionContext context) {
    redactor = new PiiRedactor(new PiiDetector());
  }

  public String eval(String text) {
    return text == null ? null : redactor.redact(text).text();
  }
}
