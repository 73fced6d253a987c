package io.mmflow.sql.module;

import io.mmflow.sql.functions.ContentTypeFunction;
import io.mmflow.sql.functions.ExtractTextFunction;
import io.mmflow.sql.functions.LanguageFunction;
import io.mmflow.sql.functions.OcrFunction;
import io.mmflow.sql.functions.PagesFunction;
import io.mmflow.sql.functions.PiiFunction;
import io.mmflow.sql.functions.RedactFunction;
import io.mmflow.sql.functions.ResultsFunction;
import io.mmflow.sql.functions.Sha256Function;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.table.module.Module;

/**
 * mmflow's functions for Flink SQL, loaded the way Hive's are: {@code LOAD MODULE mmflow}, or
 * {@code LOAD MODULE mmflow WITH ('mmflow.ocr.language' = 'deu')} with any mmflow settings (the
 * keys of {@code bin/mmflow options}) for the functions that read documents. Names are matched
 * without regard to case. docs/sql.md has each function with an example.
 */
public final class MmflowModule implements Module {
  private final Map<String, Function<Configuration, FunctionDefinition>> functions =
      new TreeMap<>();
  private final Configuration config;

  public MmflowModule(Configuration config) {
    this.config = new Configuration(config);
    functions.put("mmf_content_type", c -> new ContentTypeFunction());
    functions.put("mmf_sha256", c -> new Sha256Function());
    functions.put("mmf_language", c -> new LanguageFunction());
    functions.put("mmf_pii", c -> new PiiFunction());
    functions.put("mmf_redact", c -> new RedactFunction());
    functions.put("mmf_extract_text", ExtractTextFunction::new);
    functions.put("mmf_ocr", OcrFunction::new);
    functions.put("mmf_pages", PagesFunction::new);
    functions.put("mmf_results", ResultsFunction::new);
  }

  @Override
  public Set<String> listFunctions() {
    return functions.keySet();
  }

  @Override
  public Optional<FunctionDefinition> getFunctionDefinition(String name) {
    return Optional.ofNullable(functions.get(name.toLowerCase(Locale.ROOT)))
        .map(f -> f.apply(config));
  }
}
