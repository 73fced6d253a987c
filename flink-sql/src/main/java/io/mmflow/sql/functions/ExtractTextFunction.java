package io.mmflow.sql.functions;

import io.mmflow.core.model.ModalityResult;
import io.mmflow.sql.SqlInputs;
import io.mmflow.sql.types.SqlTypes;
import java.time.Instant;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.table.types.inference.TypeInference;

/**
 * {@code MMF_EXTRACT_TEXT(content BYTES [, source_uri STRING [, event_time TIMESTAMP_LTZ(3)]]) →
 * RESULT}: the document's result as the documents job makes it (part {@code 0}, task extraction):
 * PDFs and images page by page (text layer, else OCR with its preprocessing), other documents
 * through Tika with its limits and the OCR of their embedded images; text, language, page count,
 * calibrated confidence, provenance. An input the job would send to the dead letters gives a row
 * with status {@code error} and its {@code MMF-nnnn} code in {@code error_code}; the query goes on.
 */
public final class ExtractTextFunction extends ScalarFunction {
  private final Configuration config;
  private transient DocumentReader reader;

  public ExtractTextFunction(Configuration config) {
    this.config = new Configuration(config);
  }

  @Override
  public void open(FunctionContext context) {
    reader = new DocumentReader(config, false, false);
  }

  public RowData eval(byte[] content) {
    return eval(content, null, null);
  }

  public RowData eval(byte[] content, String sourceUri) {
    return eval(content, sourceUri, null);
  }

  public RowData eval(byte[] content, String sourceUri, Instant eventTime) {
    if (content == null) {
      return null;
    }
    List<ModalityResult> results = reader.read(SqlInputs.item(content, sourceUri, eventTime));
    return SqlTypes.result(results.get(results.size() - 1)); // the document's is the last
  }

  @Override
  public TypeInference getTypeInference(DataTypeFactory typeFactory) {
    return Signatures.returning(
        SqlTypes.RESULT,
        List.of(
            List.of(DataTypes.BYTES()),
            List.of(DataTypes.BYTES(), DataTypes.STRING()),
            List.of(DataTypes.BYTES(), DataTypes.STRING(), DataTypes.TIMESTAMP_LTZ(3))));
  }

  @Override
  public void close() {
    if (reader != null) {
      reader.close();
    }
  }
}
