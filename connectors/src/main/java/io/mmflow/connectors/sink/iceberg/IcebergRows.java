package io.mmflow.connectors.sink.iceberg;

import io.mmflow.core.model.DeadLetter;
import io.mmflow.core.model.Entity;
import io.mmflow.core.model.FusedResult;
import io.mmflow.core.model.Label;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.OverallSentiment;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/** Canonical records as Flink {@link RowData} in the column order of {@link IcebergTables}. */
public final class IcebergRows {
  private IcebergRows() {}

  public static RowData result(ModalityResult r) {
    GenericRowData row = new GenericRowData(IcebergTables.RESULTS.columns().size());
    int i = 0;
    row.setField(i++, str(r.itemId()));
    row.setField(i++, str(r.partId()));
    row.setField(i++, str(r.task().wireName()));
    row.setField(i++, str(r.provenance().modelVersion()));
    row.setField(i++, str(r.correlationId()));
    row.setField(i++, str(r.modality().wireName()));
    row.setField(i++, str(r.status().wireName()));
    row.setField(i++, str(r.text()));
    row.setField(i++, str(r.language()));
    row.setField(i++, r.pageCount());
    row.setField(i++, r.confidence());
    row.setField(i++, str(r.calibration()));
    row.setField(i++, labels(r.labels()));
    row.setField(i++, entities(r.entities()));
    row.setField(i++, r.embedding() == null ? null : new GenericArrayData(r.embedding()));
    row.setField(i++, str(r.provenance().provider()));
    row.setField(i++, str(r.provenance().modelId()));
    row.setField(i++, str(r.provenance().sourceUri()));
    row.setField(i++, str(r.provenance().contentSha256()));
    row.setField(i++, r.provenance().cacheHit());
    row.setField(i++, ts(r.timing().eventTime()));
    row.setField(i++, ts(r.timing().startedAt()));
    row.setField(i++, ts(r.timing().finishedAt()));
    row.setField(i++, r.timing().latencyMs());
    row.setField(i++, r.cost().inputTokens());
    row.setField(i++, r.cost().outputTokens());
    row.setField(i++, r.cost().usd());
    row.setField(i++, r.error() == null ? null : str(r.error().code().code()));
    row.setField(i++, r.error() == null ? null : str(r.error().message()));
    row.setField(i++, r.error() == null ? null : r.error().retryable());
    row.setField(i++, attributes(r.attributes()));
    row.setField(i, r.schemaVersion());
    return row;
  }

  public static RowData deadLetter(DeadLetter d) {
    GenericRowData row = new GenericRowData(IcebergTables.DEAD_LETTERS.columns().size());
    int i = 0;
    row.setField(i++, str(d.itemId()));
    row.setField(i++, str(d.partId()));
    row.setField(i++, str(d.stage()));
    row.setField(i++, str(d.correlationId()));
    row.setField(i++, str(d.sourceUri()));
    row.setField(i++, str(d.code().code()));
    row.setField(i++, str(d.code().name()));
    row.setField(i++, str(d.code().category().name()));
    row.setField(i++, str(d.message()));
    row.setField(i++, d.retryable());
    row.setField(i++, str(d.mediaType()));
    row.setField(i++, d.sizeBytes());
    row.setField(i++, str(d.contentSha256()));
    row.setField(i++, ts(d.occurredAt()));
    row.setField(i, d.payload());
    return row;
  }

  /** A fused result; enums and modalities as wire names, the sentiment flattened. */
  public static RowData fused(FusedResult f) {
    GenericRowData row = new GenericRowData(IcebergTables.FUSED.columns().size());
    OverallSentiment s = f.sentiment();
    int i = 0;
    row.setField(i++, str(f.correlationId()));
    row.setField(i++, ts(f.windowStart()));
    row.setField(i++, ts(f.windowEnd()));
    row.setField(i++, modalities(f.modalitiesPresent()));
    row.setField(i++, modalities(f.modalitiesMissing()));
    row.setField(i++, s == null ? null : str(s.label()));
    row.setField(i++, s == null ? null : s.score());
    row.setField(i++, s == null ? null : s.confidence());
    row.setField(i++, s == null ? null : modalities(s.contributingModalities()));
    row.setField(i++, f.consistency());
    row.setField(i++, str(wire(f.strategy())));
    row.setField(i++, str(wire(f.status())));
    row.setField(i++, f.resultCount());
    row.setField(i++, ts(f.fusedAt()));
    row.setField(i, f.schemaVersion());
    return row;
  }

  /** The lowercase name tables store for an enum without a {@code wireName()} of its own. */
  private static String wire(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  private static GenericArrayData modalities(List<Modality> modalities) {
    return new GenericArrayData(modalities.stream().map(m -> str(m.wireName())).toArray());
  }

  private static GenericArrayData labels(List<Label> labels) {
    return new GenericArrayData(
        labels.stream().map(l -> GenericRowData.of(str(l.label()), l.score())).toArray());
  }

  private static GenericArrayData entities(List<Entity> entities) {
    Object[] rows = new Object[entities.size()];
    for (int k = 0; k < rows.length; k++) {
      Entity e = entities.get(k);
      rows[k] =
          GenericRowData.of(
              str(e.text()),
              str(e.type()),
              e.charStart(),
              e.charEnd(),
              e.box() == null ? null : e.box().x(),
              e.box() == null ? null : e.box().y(),
              e.box() == null ? null : e.box().width(),
              e.box() == null ? null : e.box().height(),
              e.audioSpan() == null ? null : e.audioSpan().startMs(),
              e.audioSpan() == null ? null : e.audioSpan().endMs(),
              e.confidence());
    }
    return new GenericArrayData(rows);
  }

  private static GenericMapData attributes(Map<String, String> attributes) {
    Map<Object, Object> m = new HashMap<>();
    attributes.forEach((k, v) -> m.put(str(k), str(v)));
    return new GenericMapData(m);
  }

  private static StringData str(String s) {
    return s == null ? null : StringData.fromString(s);
  }

  private static TimestampData ts(Instant instant) {
    return instant == null ? null : TimestampData.fromInstant(instant);
  }
}
