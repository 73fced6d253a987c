package io.mmflow.core.schema;

import static io.mmflow.core.schema.ColumnType.BINARY;
import static io.mmflow.core.schema.ColumnType.BOOLEAN;
import static io.mmflow.core.schema.ColumnType.LONG;
import static io.mmflow.core.schema.ColumnType.STRING;
import static io.mmflow.core.schema.ColumnType.TIMESTAMP;

import io.mmflow.core.model.DeadLetter;
import java.util.List;

/** The table of {@link DeadLetter}s. Column reference: docs/schema.md. */
public final class DeadLetterSchema {
  private DeadLetterSchema() {}

  /** One row per (item, part, stage); low volume, so not partitioned. */
  public static final TableSchema<DeadLetter> TABLE =
      TableSchema.of(
          "one row per rejected item, part and stage",
          Columns.of(DeadLetter.class)
              .required(1, "item_id", STRING, "itemId", DeadLetter::itemId)
              .required(2, "part_id", STRING, "partId", DeadLetter::partId)
              .required(3, "stage", STRING, "stage", DeadLetter::stage)
              .optional(4, "correlation_id", STRING, "correlationId", DeadLetter::correlationId)
              .optional(5, "source_uri", STRING, "sourceUri", DeadLetter::sourceUri)
              .required(6, "error_code", STRING, "code", d -> d.code().code())
              .doc("MMF-nnnn")
              .required(7, "error_name", STRING, "code", d -> d.code().name())
              .required(8, "category", STRING, "code", d -> d.code().category().name())
              .required(9, "message", STRING, "message", DeadLetter::message)
              .required(10, "retryable", BOOLEAN, "retryable", DeadLetter::retryable)
              .optional(11, "media_type", STRING, "mediaType", DeadLetter::mediaType)
              .required(12, "size_bytes", LONG, "sizeBytes", DeadLetter::sizeBytes)
              .optional(13, "content_sha256", STRING, "contentSha256", DeadLetter::contentSha256)
              .required(14, "occurred_at", TIMESTAMP, "occurredAt", DeadLetter::occurredAt)
              .optional(15, "payload", BINARY, "payload", DeadLetter::payload)
              .runId(16),
          List.of("item_id", "part_id", "stage"),
          List.of());
}
