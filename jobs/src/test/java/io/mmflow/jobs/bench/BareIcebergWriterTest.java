package io.mmflow.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.core.config.IcebergOptions;
import io.mmflow.core.model.Label;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Provenance;
import io.mmflow.core.model.Task;
import io.mmflow.core.model.Timing;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bare loop's Iceberg commits, made on the committer's own thread, keep the order asked: a
 * later upsert of a key replaces the earlier row, and every row is committed once the committer
 * closes. (That no consumer waits for a commit is what the thread is for; this test does not time
 * it.)
 */
class BareIcebergWriterTest {
  private static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");

  private static ModalityResult result(String item, String text) {
    return ModalityResult.builder()
        .itemId(item)
        .correlationId("c1")
        .modality(Modality.TEXT)
        .task(Task.SENTIMENT)
        .text(text)
        .labels(List.of(new Label("positive", 0.9)))
        .provenance(new Provenance("onnxruntime", "m", "1", "file:///x", null, false))
        .timing(Timing.of(T0, T0, T0))
        .build();
  }

  @Test
  void commitsInTheOrderAskedAndAllBeforeClosing(@TempDir Path dir) throws Exception {
    Configuration config = new Configuration();
    config.set(IcebergOptions.CATALOG_TYPE, IcebergOptions.CatalogType.HADOOP);
    config.set(IcebergOptions.WAREHOUSE, dir.toUri().toString());
    IcebergTables.ensureTables(config);

    try (BareIcebergWriter.Committer<ModalityResult> committer =
            BareIcebergWriter.Committer.results(config);
        BareIcebergWriter<ModalityResult> writer = committer.writer(0)) {
      for (int interval = 1; interval <= 20; interval++) {
        writer.write(result("item-a", "a, interval " + interval));
        writer.write(result("item-" + interval, "once"));
        writer.commit();
      }
    }

    Table table =
        IcebergTables.catalogLoader(config)
            .loadCatalog()
            .loadTable(IcebergTables.resultsTable(config));
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record r : records) {
        rows.add(r.getField("item_id") + ": " + r.getField("text"));
      }
    }
    // 20 commits, one snapshot each; item-a upserted in each: its last value alone survives
    assertThat(table.snapshots()).hasSize(20);
    assertThat(rows).hasSize(21).contains("item-a: a, interval 20").contains("item-20: once");
  }
}
