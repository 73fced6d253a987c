package io.mmflow.sql.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mmflow.core.config.ModelOptions;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.model.onnx.ModelRegistry;
import io.mmflow.operators.infer.local.TextClassification;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code CREATE MODEL ... WITH ('provider' = 'mmflow')} and {@code ML_PREDICT} on a MiniCluster,
 * over the registry's sentiment model (the project's own small model, built from its training
 * data): every row gets what the jobs' text stage gives the same text, a blank text an error row,
 * and a model whose columns do not fit is refused with the names it could use.
 */
class MmflowModelProviderITCase {
  static final List<String> TEXTS =
      List.of(
          "The hotel was wonderful, the staff friendly and the room spotless.",
          "Terrible service, the order came late and cold. Never again.",
          "Die Lieferung kam pünktlich und alles war in Ordnung.",
          "Call me at +44 20 7946 0958 about the refund, it was awful.",
          " ");
  static TableEnvironment sql;

  @BeforeAll
  static void setUp() {
    sql = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
    StringBuilder values = new StringBuilder();
    for (String t : TEXTS) {
      values.append(values.length() == 0 ? "" : ", ").append("('").append(t.replace("'", "''"));
      values.append("')");
    }
    sql.executeSql("CREATE TEMPORARY VIEW reviews(review) AS VALUES " + values);
    sql.executeSql(
        "CREATE MODEL sentiment INPUT (text STRING) OUTPUT (label STRING, score DOUBLE,"
            + " confidence DOUBLE, calibration STRING, `language` STRING, status STRING, error_code"
            + " STRING, model_id STRING, entities ARRAY<ROW<text STRING, type STRING, char_start"
            + " INT, char_end INT, box_x INT, box_y INT, box_width INT, box_height INT,"
            + " time_start_ms BIGINT, time_end_ms BIGINT, confidence DOUBLE>>)"
            + " WITH ('provider' = 'mmflow', 'model' = 'sentiment-en', 'max-batch' = '4')");
  }

  @Test
  void mlPredictGivesTheTextStagesAnswers() throws Exception {
    Map<String, Row> rows = new HashMap<>();
    try (CloseableIterator<Row> it =
        sql.executeSql(
                "SELECT review, label, score, confidence, calibration, `language`, status,"
                    + " error_code, model_id, CARDINALITY(entities) FROM ML_PREDICT(TABLE reviews,"
                    + " MODEL sentiment, DESCRIPTOR(review))")
            .collect()) {
      it.forEachRemaining(r -> rows.put((String) r.getField(0), r));
    }
    assertThat(rows).hasSize(TEXTS.size());

    // the jobs' text stage on the same texts
    TextClassification stage =
        new TextClassification(
            ModelRegistry.DEFAULT_LOCATION, "sentiment-en", ModelOptions.PiiMode.DETECT);
    stage.open(null);
    List<ModalityResult> inputs = new ArrayList<>();
    for (String t : TEXTS.subList(0, 4)) {
      inputs.add(LocalPredictFunction.textPart(t));
    }
    List<ModalityResult> expected = stage.apply(inputs);
    stage.close();
    for (int i = 0; i < 4; i++) {
      Row r = rows.get(TEXTS.get(i));
      ModalityResult e = expected.get(i);
      assertThat(r.getField(1)).isEqualTo(e.labels().get(0).label());
      assertThat((Double) r.getField(2)).isCloseTo(e.labels().get(0).score(), within());
      assertThat((Double) r.getField(3)).isCloseTo(e.confidence(), within());
      assertThat(r.getField(4)).isEqualTo(e.calibration());
      assertThat(r.getField(5)).isEqualTo(e.language());
      assertThat(r.getField(6)).isEqualTo("ok");
      assertThat(r.getField(8)).isEqualTo("sentiment-en");
    }
    assertThat(rows.get(TEXTS.get(0)).getField(1)).isEqualTo("positive");
    assertThat(rows.get(TEXTS.get(1)).getField(1)).isEqualTo("negative");
    assertThat(rows.get(TEXTS.get(2)).getField(5)).isEqualTo("de");
    assertThat(rows.get(TEXTS.get(3)).getField(9)).isEqualTo(1); // the phone number, as pii:phone
    // a blank text: an error row with its code, the query finished
    assertThat(rows.get(" ").getField(6)).isEqualTo("error");
    assertThat(rows.get(" ").getField(7)).isEqualTo("MMF-1012");
  }

  @Test
  void aModelWhoseColumnsDoNotFitIsRefused() {
    sql.executeSql(
        "CREATE MODEL wrong INPUT (text STRING) OUTPUT (sentiment STRING)"
            + " WITH ('provider' = 'mmflow', 'model' = 'sentiment-en')");
    assertThatThrownBy(
            () ->
                sql.executeSql(
                        "SELECT * FROM ML_PREDICT(TABLE reviews, MODEL wrong, DESCRIPTOR(review))")
                    .await())
        .hasStackTraceContaining("output column 'sentiment' is not a field of mmflow's result")
        .hasStackTraceContaining("label STRING");
    sql.executeSql(
        "CREATE MODEL missing_model INPUT (text STRING) OUTPUT (label STRING)"
            + " WITH ('provider' = 'mmflow', 'model' = 'no-such-model')");
    assertThatThrownBy(
            () ->
                sql.executeSql(
                        "SELECT * FROM ML_PREDICT(TABLE reviews, MODEL missing_model, DESCRIPTOR(review))")
                    .await())
        .hasStackTraceContaining("no-such-model");
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-6);
  }
}
