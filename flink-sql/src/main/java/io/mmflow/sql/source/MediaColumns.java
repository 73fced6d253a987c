package io.mmflow.sql.source;

import io.mmflow.core.model.MediaItem;
import io.mmflow.model.tika.MediaTypeDetector;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.DataType;

/**
 * The columns a {@code mmflow-media} table may declare, one row per object: which of them a query
 * reads decides what the source does (the bytes are read only for {@code content}, {@code
 * content_sha256} and {@code media_type}).
 */
enum MediaColumns {
  ITEM_ID("item_id", DataTypes.STRING(), false),
  SOURCE_URI("source_uri", DataTypes.STRING(), false),
  MEDIA_TYPE("media_type", DataTypes.STRING(), true),
  SIZE_BYTES("size_bytes", DataTypes.BIGINT(), false),
  CONTENT_SHA256("content_sha256", DataTypes.STRING(), true),
  CONTENT("content", DataTypes.BYTES(), true),
  CONTENT_REF("content_ref", DataTypes.STRING(), false),
  EVENT_TIME("event_time", DataTypes.TIMESTAMP_LTZ(3), false),
  ATTRIBUTES("attributes", DataTypes.MAP(DataTypes.STRING(), DataTypes.STRING()), false);

  final String column;
  final DataType type;
  final boolean needsBytes;

  MediaColumns(String column, DataType type, boolean needsBytes) {
    this.column = column;
    this.type = type;
    this.needsBytes = needsBytes;
  }

  /** The column of {@code name} declared with {@code declared}, or a clear refusal. */
  static MediaColumns of(String name, DataType declared) {
    for (MediaColumns c : values()) {
      if (c.column.equals(name.toLowerCase(Locale.ROOT))) {
        if (!declared.getLogicalType().copy(true).equals(c.type.getLogicalType().copy(true))) {
          throw new ValidationException(
              "mmflow-media: column "
                  + name
                  + " must be "
                  + c.type.getLogicalType().asSummaryString()
                  + ", not "
                  + declared.getLogicalType().asSummaryString());
        }
        return c;
      }
    }
    throw new ValidationException(
        "mmflow-media: no column " + name + "; a media table has " + described());
  }

  static String described() {
    List<String> out = new ArrayList<>();
    for (MediaColumns c : values()) {
      out.add(c.column + " " + c.type.getLogicalType().asSummaryString());
    }
    return String.join(", ", out);
  }

  /** Makes rows of the given columns from items; detects the media type when it is one. */
  static final class Rows implements Serializable {
    private final MediaColumns[] columns;
    private transient MediaTypeDetector detector;

    Rows(List<MediaColumns> columns) {
      this.columns = columns.toArray(MediaColumns[]::new);
    }

    RowData row(MediaItem item) {
      GenericRowData row = new GenericRowData(columns.length);
      for (int i = 0; i < columns.length; i++) {
        row.setField(i, value(columns[i], item));
      }
      return row;
    }

    private Object value(MediaColumns c, MediaItem item) {
      return switch (c) {
        case ITEM_ID -> StringData.fromString(item.itemId());
        case SOURCE_URI -> StringData.fromString(item.sourceUri());
        case MEDIA_TYPE -> item.hasContent() ? StringData.fromString(detect(item)) : null;
        case SIZE_BYTES -> item.sizeBytes();
        case CONTENT_SHA256 -> string(item.contentSha256());
        case CONTENT -> item.content();
        // bytes not read (over max-bytes): where to fetch them
        case CONTENT_REF ->
            item.hasContent()
                ? null
                : StringData.fromString(
                    item.contentRef() != null ? item.contentRef() : item.sourceUri());
        case EVENT_TIME -> TimestampData.fromInstant(item.eventTime());
        case ATTRIBUTES -> attributes(item.attributes());
      };
    }

    private String detect(MediaItem item) {
      if (detector == null) {
        detector = new MediaTypeDetector();
      }
      return detector.detect(item.content());
    }

    private static StringData string(String s) {
      return s == null ? null : StringData.fromString(s);
    }

    private static GenericMapData attributes(Map<String, String> attributes) {
      Map<StringData, StringData> out = new HashMap<>();
      attributes.forEach((k, v) -> out.put(StringData.fromString(k), StringData.fromString(v)));
      return new GenericMapData(out);
    }
  }
}
