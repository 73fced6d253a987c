package io.mmflow.core.schema;

import static io.mmflow.core.schema.ColumnType.DOUBLE;
import static io.mmflow.core.schema.ColumnType.INT;
import static io.mmflow.core.schema.ColumnType.STRING;
import static io.mmflow.core.schema.ColumnType.TIMESTAMP;
import static io.mmflow.core.schema.ColumnType.listOf;

import io.mmflow.core.model.FusedResult;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.OverallSentiment;
import io.mmflow.core.schema.TableSchema.Partition;
import io.mmflow.core.schema.TableSchema.Transform;
import java.util.AbstractList;
import java.util.List;
import java.util.Locale;
import java.util.RandomAccess;

/**
 * The table of {@link FusedResult}s, with {@link OverallSentiment} flattened into {@code
 * sentiment_*} columns that are all null when a window has no sentiment. Column reference:
 * docs/schema.md.
 */
public final class FusedSchema {
  private FusedSchema() {}

  /** One row per (correlation id, window start), partitioned by the day of the window start. */
  public static final TableSchema<FusedResult> TABLE =
      TableSchema.of(
          "one row per correlation id and fusion window",
          Columns.of(FusedResult.class)
              .required(1, "correlation_id", STRING, "correlationId", FusedResult::correlationId)
              .required(2, "window_start", TIMESTAMP, "windowStart", FusedResult::windowStart)
              .required(3, "window_end", TIMESTAMP, "windowEnd", FusedResult::windowEnd)
              .required(
                  4,
                  "modalities_present",
                  listOf(16, STRING),
                  "modalitiesPresent",
                  f -> wireNames(f.modalitiesPresent()))
              .required(
                  5,
                  "modalities_missing",
                  listOf(17, STRING),
                  "modalitiesMissing",
                  f -> wireNames(f.modalitiesMissing()))
              .optional(
                  6,
                  "sentiment_label",
                  STRING,
                  "sentiment.label",
                  f -> f.sentiment() == null ? null : f.sentiment().label())
              .optional(
                  7,
                  "sentiment_score",
                  DOUBLE,
                  "sentiment.score",
                  f -> f.sentiment() == null ? null : f.sentiment().score())
              .optional(
                  8,
                  "sentiment_confidence",
                  DOUBLE,
                  "sentiment.confidence",
                  f -> f.sentiment() == null ? null : f.sentiment().confidence())
              .optional(
                  9,
                  "sentiment_contributing_modalities",
                  listOf(18, STRING),
                  "sentiment.contributingModalities",
                  f ->
                      f.sentiment() == null
                          ? null
                          : wireNames(f.sentiment().contributingModalities()))
              .optional(10, "consistency", DOUBLE, "consistency", FusedResult::consistency)
              .required(11, "strategy", STRING, "strategy", f -> wireName(f.strategy()))
              .required(12, "status", STRING, "status", f -> wireName(f.status()))
              .required(13, "result_count", INT, "resultCount", FusedResult::resultCount)
              .required(14, "fused_at", TIMESTAMP, "fusedAt", FusedResult::fusedAt)
              .required(15, "schema_version", INT, "schemaVersion", FusedResult::schemaVersion)
              .runId(19),
          List.of("correlation_id", "window_start"),
          List.of(new Partition("window_start", Transform.DAY)));

  /** The lowercase name tables store for an enum without a {@code wireName()} of its own. */
  private static String wireName(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /** The modalities' wire names, as a view: no copy per row. */
  private static List<String> wireNames(List<Modality> modalities) {
    return new WireNames(modalities);
  }

  private static final class WireNames extends AbstractList<String> implements RandomAccess {
    private final List<Modality> modalities;

    WireNames(List<Modality> modalities) {
      this.modalities = modalities;
    }

    @Override
    public String get(int index) {
      return modalities.get(index).wireName();
    }

    @Override
    public int size() {
      return modalities.size();
    }
  }
}
