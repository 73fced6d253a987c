package io.mmflow.sql.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.datasets.documents.SampleDocuments;
import io.mmflow.datasets.models.audio.ToneCtcModelBuilder;
import io.mmflow.datasets.models.audio.ToneSpeech;
import io.mmflow.datasets.models.image.ColourImages;
import io.mmflow.datasets.models.image.ColourModelBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local image, speech and OCR models through {@code ML_PREDICT} on a MiniCluster, on the project's
 * own small models (a colour classifier and a tone "speech" model, built here): the registry's
 * models as catalog models with no {@code CREATE MODEL} (catalog type {@code mmflow}), images
 * classified from their bytes, a WAV clip transcribed, a scan read by Tesseract, and bytes that are
 * not an image answered with a coded error row while the query finishes.
 */
class MmflowCatalogITCase {
  @TempDir static Path dir;
  static TableEnvironment sql;

  @BeforeAll
  static void setUp() throws Exception {
    ColourModelBuilder.build(dir.resolve("colour"), ColourModelBuilder.DEFAULT_SEED);
    SampleDocuments.generate(dir.resolve("docs"));
    sql = TableEnvironment.create(EnvironmentSettings.inStreamingMode()); // ML_PREDICT streams
    sql.executeSql(
        "CREATE CATALOG ml WITH ('type' = 'mmflow', 'registry' = '"
            + dir.resolve("colour/models.yaml")
            + "')");
    Random random = new Random(5);
    List<Row> images = new ArrayList<>();
    for (String colour : List.of("red", "blue", "yellow")) {
      images.add(Row.of(colour, png(colour, random)));
    }
    images.add(Row.of("not an image", "plain words".getBytes(StandardCharsets.UTF_8)));
    images.add(Row.of("scan", Files.readAllBytes(dir.resolve("docs/scans/scanned-memo.png"))));
    sql.createTemporaryView(
        "images",
        sql.fromValues(
            DataTypes.ROW(
                DataTypes.FIELD("name", DataTypes.STRING()),
                DataTypes.FIELD("content", DataTypes.BYTES())),
            images));
  }

  @Test
  void theRegistrysModelsAreCatalogModels() throws Exception {
    assertThat(sql.getCatalog("ml").orElseThrow().listModels("mmflow"))
        .contains("colour", "colour_layout", "tesseract");
    Map<String, Row> rows =
        byName(
            "SELECT name, label, score, confidence, status, error_code FROM ML_PREDICT(TABLE"
                + " images, MODEL ml.mmflow.colour, DESCRIPTOR(content))");
    assertThat(rows).hasSize(5);
    for (String colour : List.of("red", "blue", "yellow")) {
      assertThat(rows.get(colour).getField(1)).isEqualTo(colour);
      assertThat(rows.get(colour).getField(4)).isEqualTo("ok");
      assertThat((Double) rows.get(colour).getField(3)).isBetween(0.0, 1.0);
    }
    // bytes that are not an image: a coded error row; the query finished
    assertThat(rows.get("not an image").getField(4)).isEqualTo("error");
    assertThat((String) rows.get("not an image").getField(5)).startsWith("MMF-10");
  }

  @Test
  void tesseractReadsAScanThroughMlPredict() throws Exception {
    Map<String, Row> rows =
        byName(
            "SELECT name, text, confidence, status FROM ML_PREDICT(TABLE images, MODEL"
                + " ml.mmflow.tesseract, DESCRIPTOR(content)) WHERE name IN ('scan', 'not an"
                + " image')");
    String firstLine =
        Files.readString(dir.resolve("docs/scans/scanned-memo.png.gt.txt")).strip().split("\n")[0];
    assertThat(rows.get("scan").getField(3)).isEqualTo("ok");
    assertThat((String) rows.get("scan").getField(1)).contains(firstLine.strip());
    assertThat(rows.get("not an image").getField(3)).isEqualTo("error");
  }

  @Test
  void aWavClipIsTranscribedByARegistrySpeechModel() throws Exception {
    Path registry = ToneCtcModelBuilder.build(dir.resolve("tone"), false);
    sql.executeSql(
        "CREATE TEMPORARY MODEL speech INPUT (clip BYTES) OUTPUT (text STRING, confidence DOUBLE,"
            + " status STRING, error_code STRING) WITH ('provider' = 'mmflow', 'model' = '"
            + ToneCtcModelBuilder.MODEL_ID
            + "', 'registry' = '"
            + registry
            + "')");
    sql.createTemporaryView(
        "clips",
        sql.fromValues(
            DataTypes.ROW(
                DataTypes.FIELD("name", DataTypes.STRING()),
                DataTypes.FIELD("clip", DataTypes.BYTES())),
            Row.of("hello", ToneSpeech.render("hello world", 16_000).toWav(1)),
            Row.of("garbage", new byte[] {1, 2, 3, 4, 5, 6, 7, 8})));
    Map<String, Row> rows =
        byName(
            "SELECT name, text, confidence, status, error_code FROM ML_PREDICT(TABLE clips, MODEL"
                + " speech, DESCRIPTOR(clip))");
    assertThat(rows.get("hello").getField(1)).isEqualTo("hello world");
    assertThat(rows.get("hello").getField(3)).isEqualTo("ok");
    assertThat(rows.get("garbage").getField(3)).isEqualTo("error");
    assertThat((String) rows.get("garbage").getField(4)).startsWith("MMF-10");
  }

  private static Map<String, Row> byName(String query) throws Exception {
    Map<String, Row> rows = new HashMap<>();
    try (CloseableIterator<Row> it = sql.executeSql(query).collect()) {
      it.forEachRemaining(r -> rows.put((String) r.getField(0), r));
    }
    return rows;
  }

  private static byte[] png(String colour, Random random) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(
        ColourImages.solid(ColourImages.label(colour), 48, 40, ColourImages.Noise.CLEAN, random),
        "png",
        out);
    return out.toByteArray();
  }
}
