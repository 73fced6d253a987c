package io.mmflow.sql.functions;

import io.mmflow.model.text.LanguageIdentifier;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * {@code MMF_LANGUAGE(text STRING) → STRING}: the ISO 639-1 code of the text's language, by the
 * identifier the jobs use for the {@code language} column; NULL when the text is too short or too
 * mixed to tell, and for NULL.
 */
public final class LanguageFunction extends ScalarFunction {
  private transient LanguageIdentifier languages;

  @Override
  public void open(FunctionContext context) {
    languages = new LanguageIdentifier();
  }

  public String eval(String text) {
    LanguageIdentifier.Detection d = text == null ? null : languages.detect(text);
    return d == null ? null : d.language();
  }
}
