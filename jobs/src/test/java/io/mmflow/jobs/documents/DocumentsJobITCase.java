package io.mmflow.jobs.documents;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.embedded.EmbeddedPostgresServer;
import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.core.model.Task;
import io.mmflow.datasets.models.audio.ToneCtcModelBuilder;
import io.mmflow.datasets.models.audio.ToneSpeech;
import io.mmflow.datasets.models.image.ColourModelBuilder;
import io.mmflow.jobs.runtime.RunSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documents job end to end on a Flink MiniCluster, with a real Iceberg warehouse and a real
 * PostgreSQL, over the sample documents in datasets/documents.
 */
class DocumentsJobITCase {
  static final Path DOCUMENTS =
      Path.of(System.getProperty("mmflow.repo.root", "..")).resolve("datasets/documents");

  static EmbeddedPostgresServer postgres;

  @BeforeAll
  static void startPostgres() {
    postgres = EmbeddedPostgresServer.start(null, 0);
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
  }

  static Configuration config(Path input, Path dataDir, String database) throws Exception {
    return JobFixture.config(
        postgres, input, dataDir, database, Map.of("mmflow.models.sentiment", "sentiment-en"));
  }

  static String jdbcUrl(String database) {
    return JobFixture.url(postgres, database);
  }

  static RunSummary run(Configuration config) throws Exception {
    return JobFixture.run(config);
  }

  static Map<String, String> expectedTexts() throws IOException {
    Map<String, String> expected = new HashMap<>();
    try (Stream<Path> files = Files.list(DOCUMENTS)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".expected.txt")).toList()) {
        String doc = f.getFileName().toString().replace(".expected.txt", "");
        expected.put(doc, Files.readString(f));
      }
    }
    return expected;
  }

  /** Truth of the scans in datasets/documents/scans, by file name. */
  static Map<String, String> scanTruths() throws IOException {
    Map<String, String> truths = new HashMap<>();
    try (Stream<Path> files = Files.list(DOCUMENTS.resolve("scans"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".gt.txt")).toList()) {
        truths.put(f.getFileName().toString().replace(".gt.txt", ""), Files.readString(f));
      }
    }
    return truths;
  }

  static String collapse(String s) {
    return s.replaceAll("\\s+", " ").trim();
  }

  static List<Record> icebergRows(Configuration config, boolean results) throws IOException {
    Catalog catalog = IcebergTables.catalogLoader(config).loadCatalog();
    Table table =
        catalog.loadTable(
            results ? IcebergTables.resultsTable(config) : IcebergTables.deadLetterTable(config));
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      List<Record> out = new java.util.ArrayList<>();
      rows.forEach(out::add);
      return out;
    }
  }

  static Map<String, String> postgresTexts(String database) throws Exception {
    Map<String, String> texts = new HashMap<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl(database));
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT source_uri, text, task, status FROM results"
                    + " WHERE part_id = '0' AND task = 'extraction'")) {
      while (rs.next()) {
        assertThat(rs.getString("task")).isEqualTo(Task.EXTRACTION.wireName());
        assertThat(rs.getString("status")).isEqualTo("ok");
        String uri = rs.getString("source_uri");
        texts.put(uri.substring(uri.lastIndexOf('/') + 1), rs.getString("text"));
      }
    }
    return texts;
  }

  static Map<String, String> postgresDeadLetters(String database) throws Exception {
    Map<String, String> codes = new HashMap<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl(database));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT source_uri, error_code, message FROM dead_letters")) {
      while (rs.next()) {
        String uri = rs.getString("source_uri");
        codes.put(uri.substring(uri.lastIndexOf('/') + 1), rs.getString("error_code"));
        assertThat(rs.getString("message")).isNotBlank();
      }
    }
    return codes;
  }

  /** Every document with text has a sentiment result from the default ONNX model. */
  private static void assertSentiment(List<Record> all, int documents) throws Exception {
    List<Record> sentiment =
        all.stream().filter(r -> "sentiment".equals(r.getField("task"))).toList();
    assertThat(sentiment).hasSize(documents);
    for (Record r : sentiment) {
      assertThat(r.getField("provider")).isEqualTo("onnxruntime");
      assertThat(r.getField("model_id")).isEqualTo("sentiment-en");
      assertThat((String) r.getField("calibration")).startsWith("temperature(T=");
      assertThat((Double) r.getField("confidence")).isBetween(0.5, 1.0);
      assertThat((String) r.getField("content_sha256")).hasSize(64);
    }
    Map<String, String> labels = new HashMap<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl("datasets_run"));
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT source_uri, labels->0->>'label' AS best FROM results"
                    + " WHERE task = 'sentiment'")) {
      while (rs.next()) {
        String uri = rs.getString("source_uri");
        labels.put(uri.substring(uri.lastIndexOf('/') + 1), rs.getString("best"));
      }
    }
    // the tones datasets/README.md gives these documents
    assertThat(labels)
        .hasSize(documents)
        .containsEntry("hotel-review.pdf", "negative")
        .containsEntry("customer-feedback.txt", "negative")
        .containsEntry("letter.rtf", "positive")
        .containsEntry("product-page.html", "positive");
  }

  @Test
  void extractsEveryDatasetDocumentIntoIcebergAndPostgresAndASecondRunAddsNothing(
      @TempDir Path dataDir) throws Exception {
    Configuration config = config(DOCUMENTS, dataDir, "datasets_run");
    Map<String, String> expected = expectedTexts();
    assertThat(expected).hasSizeGreaterThanOrEqualTo(9);

    Map<String, String> scans = scanTruths();
    assertThat(scans).hasSize(2);

    RunSummary first = run(config);
    assertThat(first.itemsDone()).isEqualTo(expected.size() + scans.size());
    assertThat(first.pagesOcr()).isEqualTo(2);
    assertThat(first.deadLetters()).isEqualTo(3); // datasets/documents/bad
    assertThat(first.accountedFor()).isTrue();

    Map<String, String> pgTexts = postgresTexts("datasets_run");
    scans.forEach(
        (doc, truth) ->
            assertThat(
                    io.mmflow.jobs.eval.TextMetrics.characterErrors(truth, pgTexts.remove(doc))
                        .rate())
                .as(doc)
                .isLessThanOrEqualTo(0.01));
    assertThat(pgTexts).containsOnlyKeys(expected.keySet());
    expected.forEach(
        (doc, truth) -> {
          String text = collapse(pgTexts.get(doc));
          for (String line : truth.split("\n")) {
            if (!line.isBlank()) {
              assertThat(text).as(doc).contains(collapse(line));
            }
          }
        });
    assertThat(postgresDeadLetters("datasets_run"))
        .containsEntry("empty.txt", "MMF-1001")
        .containsEntry("random.bin", "MMF-1003")
        .containsEntry("truncated.pdf", "MMF-1004")
        .hasSize(3);

    List<Record> all = icebergRows(config, true);
    assertThat(all).hasSize((int) first.results());
    List<Record> iceberg =
        all.stream()
            .filter(
                r -> "0".equals(r.getField("part_id")) && "extraction".equals(r.getField("task")))
            .toList();
    assertSentiment(all, expected.size() + scans.size());
    assertThat(iceberg).hasSize(expected.size() + scans.size());
    for (Record r : iceberg) {
      String uri = (String) r.getField("source_uri");
      String doc = uri.substring(uri.lastIndexOf('/') + 1);
      if (scans.containsKey(doc)) {
        continue;
      }
      assertThat(collapse((String) r.getField("text"))).isEqualTo(collapse(pgTexts.get(doc)));
      assertThat(r.getField("provider")).isIn("apache-tika", "mmflow");
      assertThat((String) r.getField("content_sha256")).hasSize(64);
    }
    assertThat(icebergRows(config, false)).hasSize(3);

    RunSummary second = run(config);
    assertThat(second.results()).isEqualTo(first.results());
    assertThat(second.itemsDone()).isEqualTo(first.itemsDone());
    assertThat(icebergRows(config, true)).hasSize((int) first.results());
    assertThat(icebergRows(config, false)).hasSize(3);
    assertThat(postgresTexts("datasets_run")).hasSize(expected.size() + scans.size());
    assertThat(postgresDeadLetters("datasets_run")).hasSize(3);
  }

  @Test
  void badInputsBecomeCodedDeadLettersWhileTheJobFinishes(@TempDir Path dir) throws Exception {
    Path input = Files.createDirectories(dir.resolve("in"));
    Files.write(input.resolve("empty.pdf"), new byte[0]);
    Files.writeString(
        input.resolve("corrupt.pdf"), "%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage");
    byte[] random = new byte[8192];
    new Random(7).nextBytes(random);
    Files.write(input.resolve("blob.docx"), random); // a name that lies: detected from the bytes
    Files.write(input.resolve("bomb.zip.docx"), zipBombDocx());
    Files.writeString(input.resolve("fine.txt"), "This one is fine and should become a result.");

    Configuration config = config(input, dir.resolve("data"), "bad_inputs");
    RunSummary summary = run(config);

    assertThat(summary.items()).isEqualTo(5);
    assertThat(summary.itemsDone()).isEqualTo(1);
    assertThat(summary.deadLetters()).isEqualTo(4);
    assertThat(postgresDeadLetters("bad_inputs"))
        .containsEntry("empty.pdf", "MMF-1001")
        .containsEntry("corrupt.pdf", "MMF-1004")
        .containsEntry("blob.docx", "MMF-1003")
        .containsEntry("bomb.zip.docx", "MMF-1006");
    assertThat(icebergRows(config, false))
        .extracting(r -> r.getField("error_code"))
        .containsExactlyInAnyOrder("MMF-1001", "MMF-1004", "MMF-1003", "MMF-1006");
    assertThat(postgresTexts("bad_inputs")).containsOnlyKeys("fine.txt");
  }

  @Test
  void audioIsTranscribedAndImagesClassifiedByConfiguredModelsAndBrokenAudioIsADeadLetter(
      @TempDir Path dir) throws Exception {
    Path models = ToneCtcModelBuilder.build(dir.resolve("models"), true);
    ColourModelBuilder.build(dir.resolve("colour"), ColourModelBuilder.DEFAULT_SEED);
    Path colours = dir.resolve("colour/models.yaml");
    Path input = Files.createDirectories(dir.resolve("in"));
    byte[] wav = ToneSpeech.render("i love this phone", 44_100).toWav(2);
    Files.write(input.resolve("review.wav"), wav);
    Files.write(input.resolve("cut.wav"), java.util.Arrays.copyOf(wav, wav.length / 2 + 1));
    Files.writeString(input.resolve("note.txt"), "The battery died after two days. Awful.");
    java.awt.image.BufferedImage red =
        new java.awt.image.BufferedImage(64, 48, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = red.createGraphics();
    g.setColor(new java.awt.Color(220, 30, 25));
    g.fillRect(0, 0, 64, 48);
    g.dispose();
    javax.imageio.ImageIO.write(red, "png", input.resolve("red.png").toFile());
    Configuration config =
        JobFixture.config(
            postgres,
            input,
            dir.resolve("data"),
            "audio_run",
            Map.of(
                "mmflow.models.registry",
                "classpath:models/models.yaml," + models + "," + colours,
                "mmflow.models.speech",
                ToneCtcModelBuilder.MODEL_ID,
                "mmflow.models.image",
                ColourModelBuilder.CLASSIFIER_ID,
                "mmflow.models.sentiment",
                "sentiment-en"));

    RunSummary summary = run(config);
    // red.png has no text: the documents job's dead letter for it says so, while the image model
    // still labels it (a result of its own)
    assertThat(summary.items()).isEqualTo(4);
    assertThat(summary.itemsDone()).isEqualTo(2);
    assertThat(summary.deadLetters()).isEqualTo(2);
    assertThat(postgresDeadLetters("audio_run"))
        .containsOnly(Map.entry("cut.wav", "MMF-1004"), Map.entry("red.png", "MMF-1012"));

    Map<String, String> best = new HashMap<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl("audio_run"));
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT source_uri, task, text, model_id, labels->0->>'label' AS best"
                    + " FROM results WHERE source_uri LIKE '%review.wav'")) {
      while (rs.next()) {
        if (rs.getString("task").equals("transcription")) {
          assertThat(rs.getString("text")).isEqualTo("i love this phone");
          assertThat(rs.getString("model_id")).isEqualTo(ToneCtcModelBuilder.MODEL_ID);
        }
        best.put(rs.getString("task"), rs.getString("best"));
      }
    }
    // the transcript, and the sentiment of the transcript
    assertThat(best)
        .containsOnlyKeys("transcription", "sentiment")
        .containsEntry("sentiment", "positive");
    Record transcript =
        icebergRows(config, true).stream()
            .filter(r -> "transcription".equals(r.getField("task")))
            .findFirst()
            .orElseThrow();
    assertThat(transcript.getField("text")).isEqualTo("i love this phone");
    assertThat((List<?>) transcript.getField("entities")).isNotEmpty();
    try (Connection c = DriverManager.getConnection(jdbcUrl("audio_run"));
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT model_id, modality, labels->0->>'label' AS best, confidence FROM results"
                    + " WHERE source_uri LIKE '%red.png' AND task = 'classification'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("model_id")).isEqualTo(ColourModelBuilder.CLASSIFIER_ID);
      assertThat(rs.getString("modality")).isEqualTo("image");
      assertThat(rs.getString("best")).isEqualTo("red");
      assertThat(rs.getDouble("confidence")).isGreaterThan(0.5);
    }
  }

  /** A minimal DOCX whose document.xml inflates from ~30 KB to 30 MB of text. */
  static byte[] zipBombDocx() throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      put(
          zip,
          "[Content_Types].xml",
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
              + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
              + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
              + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>");
      put(
          zip,
          "_rels/.rels",
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
              + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>");
      zip.putNextEntry(new ZipEntry("word/document.xml"));
      zip.write(
          ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>")
              .getBytes(StandardCharsets.UTF_8));
      byte[] chunk = "a".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 30; i++) {
        zip.write(chunk);
      }
      zip.write("</w:t></w:r></w:p></w:body></w:document>".getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return bytes.toByteArray();
  }

  private static void put(ZipOutputStream zip, String name, String content) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(content.getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
  }
}
