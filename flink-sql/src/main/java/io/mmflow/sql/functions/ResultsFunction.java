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
import org.apache.flink.table.functions.TableFunction;
import org.apache.flink.table.types.inference.TypeInference;

/**
 * {@code LATERAL TABLE(MMF_RESULTS(content BYTES, source_uri STRING [, event_time
 * TIMESTAMP_LTZ(3)]))}: every row the documents job writes for the input, in the columns of the
 * {@code results} table: one per page ({@code p<n>}) or embedded image ({@code i<n>}), then the
 * document's (part {@code 0}); with the job's item id for {@code source_uri}, so {@code INSERT INTO
 * results} writes the job's keys and a rerun replaces its rows. An input the job would send to the
 * dead letters gives one row with status {@code error} and its {@code MMF-nnnn} code; so does NULL
 * content (as an empty input), so every input row has at least one row.
 */
public final class ResultsFunction extends TableFunction<RowData> {
  private final Configuration config;
  private transient DocumentReader reader;

  public ResultsFunction(Configuration config) {
    this.config = new Configuration(config);
  }

  @Override
  public void open(FunctionContext context) {
    reader = new DocumentReader(config, false, false);
  }

  public void eval(byte[] content, String sourceUri) {
    eval(content, sourceUri, null);
  }

  public void eval(byte[] content, String sourceUri, Instant eventTime) {
    if (content == null) {
      // its error row, so that no input row is dropped unseen
      collect(
          SqlTypes.result(
              reader.unread(
                  SqlInputs.item(new byte[0], sourceUri, eventTime),
                  "no bytes: content is NULL (over the table's max-bytes, or not read)")));
      return;
    }
    for (ModalityResult r : reader.read(SqlInputs.item(content, sourceUri, eventTime))) {
      collect(SqlTypes.result(r));
    }
  }

  @Override
  public TypeInference getTypeInference(DataTypeFactory typeFactory) {
    return Signatures.returning(
        SqlTypes.RESULT,
        List.of(
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
