package io.mmflow.core.schema;

import static io.mmflow.core.schema.ColumnType.BOOLEAN;
import static io.mmflow.core.schema.ColumnType.DOUBLE;
import static io.mmflow.core.schema.ColumnType.FLOAT;
import static io.mmflow.core.schema.ColumnType.INT;
import static io.mmflow.core.schema.ColumnType.LONG;
import static io.mmflow.core.schema.ColumnType.STRING;
import static io.mmflow.core.schema.ColumnType.TIMESTAMP;
import static io.mmflow.core.schema.ColumnType.listOf;
import static io.mmflow.core.schema.ColumnType.mapOf;
import static io.mmflow.core.schema.ColumnType.structOf;

import io.mmflow.core.model.Entity;
import io.mmflow.core.model.Label;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.schema.TableSchema.Partition;
import io.mmflow.core.schema.TableSchema.Transform;
import java.util.List;

/**
 * The table of {@link ModalityResult}s: {@code results}, and {@code late_results} with the same
 * columns, key and partitioning. Column reference: docs/schema.md.
 */
public final class ResultSchema {
  private ResultSchema() {}

  /** A label of a result: the same field names as {@link Label}. */
  static final ColumnType LABEL =
      structOf(
          Columns.of(Label.class)
              .required(31, "label", STRING, "label", Label::label)
              .required(32, "score", DOUBLE, "score", Label::score));

  /** An entity of a result, with its box and audio span flattened. */
  static final ColumnType ENTITY =
      structOf(
          Columns.of(Entity.class)
              .optional(34, "text", STRING, "text", Entity::text)
              .required(35, "type", STRING, "type", Entity::type)
              .optional(36, "char_start", INT, "charStart", Entity::charStart)
              .optional(37, "char_end", INT, "charEnd", Entity::charEnd)
              .optional(38, "box_x", INT, "box.x", e -> e.box() == null ? null : e.box().x())
              .optional(39, "box_y", INT, "box.y", e -> e.box() == null ? null : e.box().y())
              .optional(
                  40, "box_width", INT, "box.width", e -> e.box() == null ? null : e.box().width())
              .optional(
                  41,
                  "box_height",
                  INT,
                  "box.height",
                  e -> e.box() == null ? null : e.box().height())
              .optional(
                  42,
                  "time_start_ms",
                  LONG,
                  "audioSpan.startMs",
                  e -> e.audioSpan() == null ? null : e.audioSpan().startMs())
              .optional(
                  43,
                  "time_end_ms",
                  LONG,
                  "audioSpan.endMs",
                  e -> e.audioSpan() == null ? null : e.audioSpan().endMs())
              .optional(44, "confidence", DOUBLE, "confidence", Entity::confidence));

  /** Results and late results: one row per (item, part, task, model version), by task. */
  public static final TableSchema<ModalityResult> TABLE =
      TableSchema.of(
          "one row per item, part, task and model version",
          Columns.of(ModalityResult.class)
              .required(1, "item_id", STRING, "itemId", ModalityResult::itemId)
              .required(2, "part_id", STRING, "partId", ModalityResult::partId)
              .required(3, "task", STRING, "task", r -> r.task().wireName())
              .required(
                  4,
                  "model_version",
                  STRING,
                  "provenance.modelVersion",
                  r -> r.provenance().modelVersion())
              .required(5, "correlation_id", STRING, "correlationId", ModalityResult::correlationId)
              .required(6, "modality", STRING, "modality", r -> r.modality().wireName())
              .required(7, "status", STRING, "status", r -> r.status().wireName())
              .optional(8, "text", STRING, "text", ModalityResult::text)
              .optional(9, "language", STRING, "language", ModalityResult::language)
              .optional(10, "page_count", INT, "pageCount", ModalityResult::pageCount)
              .optional(11, "confidence", DOUBLE, "confidence", ModalityResult::confidence)
              .optional(12, "calibration", STRING, "calibration", ModalityResult::calibration)
              .optional(13, "labels", listOf(30, LABEL), "labels", ModalityResult::labels)
              .optional(14, "entities", listOf(33, ENTITY), "entities", ModalityResult::entities)
              .optional(15, "embedding", listOf(45, FLOAT), "embedding", ModalityResult::embedding)
              .required(
                  16, "provider", STRING, "provenance.provider", r -> r.provenance().provider())
              .required(17, "model_id", STRING, "provenance.modelId", r -> r.provenance().modelId())
              .optional(
                  18, "source_uri", STRING, "provenance.sourceUri", r -> r.provenance().sourceUri())
              .optional(
                  19,
                  "content_sha256",
                  STRING,
                  "provenance.contentSha256",
                  r -> r.provenance().contentSha256())
              .required(
                  20, "cache_hit", BOOLEAN, "provenance.cacheHit", r -> r.provenance().cacheHit())
              .required(
                  21, "event_time", TIMESTAMP, "timing.eventTime", r -> r.timing().eventTime())
              .required(
                  22, "started_at", TIMESTAMP, "timing.startedAt", r -> r.timing().startedAt())
              .required(
                  23, "finished_at", TIMESTAMP, "timing.finishedAt", r -> r.timing().finishedAt())
              .required(24, "latency_ms", LONG, "timing.latencyMs", r -> r.timing().latencyMs())
              .required(25, "input_tokens", LONG, "cost.inputTokens", r -> r.cost().inputTokens())
              .required(
                  26, "output_tokens", LONG, "cost.outputTokens", r -> r.cost().outputTokens())
              .required(27, "cost_usd", DOUBLE, "cost.usd", r -> r.cost().usd())
              .optional(
                  28,
                  "error_code",
                  STRING,
                  "error.code",
                  r -> r.error() == null ? null : r.error().code().code())
              .doc("MMF-nnnn")
              .optional(
                  29,
                  "error_message",
                  STRING,
                  "error.message",
                  r -> r.error() == null ? null : r.error().message())
              .optional(
                  46,
                  "error_retryable",
                  BOOLEAN,
                  "error.retryable",
                  r -> r.error() == null ? null : r.error().retryable())
              .optional(
                  47,
                  "attributes",
                  mapOf(48, STRING, 49, STRING),
                  "attributes",
                  ModalityResult::attributes)
              .required(50, "schema_version", INT, "schemaVersion", ModalityResult::schemaVersion)
              .runId(51),
          List.of("item_id", "part_id", "task", "model_version"),
          List.of(new Partition("task", Transform.IDENTITY)));
}
