package io.mmflow.jobs.documents;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.connectors.embedded.EmbeddedPostgresServer;
import io.mmflow.core.config.MmflowConfig;
import io.mmflow.datasets.ocr.OcrPageGenerator;
import io.mmflow.jobs.eval.OcrEvaluation;
import io.mmflow.jobs.runtime.RunSummary;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.apache.flink.configuration.Configuration;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OCR in the documents job with real Tesseract, PDFBox, Iceberg and PostgreSQL. */
class OcrDocumentsITCase {
  static EmbeddedPostgresServer postgres;
  @TempDir static Path pages;

  @BeforeAll
  static void start() {
    postgres = EmbeddedPostgresServer.start(null, 0);
    OcrPageGenerator.generate(pages, 2, 42L);
  }

  @AfterAll
  static void stop() {
    postgres.close();
  }

  static Configuration config(Path input, Path data, String database, Map<String, String> extra)
      throws Exception {
    return JobFixture.config(postgres, input, data, database, extra);
  }

  static String url(String database) {
    return JobFixture.url(postgres, database);
  }

  static RunSummary run(Configuration config) throws Exception {
    return JobFixture.run(config);
  }

  @Test
  void characterErrorRatesMeetTheTargets() throws Exception {
    OcrEvaluation.Report report =
        OcrEvaluation.run(pages, MmflowConfig.load(Map.of(), Map.of()), System.out);
    OcrEvaluation.print(report, System.out);
    assertThat(report.conditions().get("clean-300").cer().rate()).isLessThanOrEqualTo(0.01);
    // small text at 150 DPI: the page is enlarged when its lines are close (LineSpacing)
    assertThat(report.conditions().get("small-150").cer().rate()).isLessThanOrEqualTo(0.01);
    var degraded =
        List.of("skew", "noise", "blur", "low-contrast", "jpeg").stream()
            .map(c -> report.conditions().get(c))
            .toList();
    double cer =
        degraded.stream().mapToLong(s -> s.cer().edits()).sum()
            / (double) degraded.stream().mapToLong(s -> s.cer().referenceLength()).sum();
    double cerNoPre =
        degraded.stream().mapToLong(s -> s.cerNoPre().edits()).sum()
            / (double) degraded.stream().mapToLong(s -> s.cerNoPre().referenceLength()).sum();
    assertThat(cer).isLessThanOrEqualTo(0.03);
    assertThat(cer).isLessThanOrEqualTo(0.6 * cerNoPre);
  }

  @Test
  void scannedPdfAndImagesBecomePageAndDocumentResults(@TempDir Path dir) throws Exception {
    Path input = Files.createDirectories(dir.resolve("in"));
    Path page1 = pages.resolve("clean-300/page-01.png");
    Path page2 = pages.resolve("clean-300/page-02.png");
    String truth1 = Files.readString(OcrPageGenerator.truthFileOf(page1));
    // page 1 a scan (an image only), page 2 a text layer
    try (PDDocument doc = new PDDocument()) {
      PDPage scan = new PDPage();
      doc.addPage(scan);
      PDImageXObject image = LosslessFactory.createFromImage(doc, ImageIO.read(page1.toFile()));
      try (PDPageContentStream cs = new PDPageContentStream(doc, scan)) {
        cs.drawImage(
            image, 0, 792 - image.getHeight() * 72f / 300, 612, image.getHeight() * 72f / 300);
      }
      PDPage text = new PDPage();
      doc.addPage(text);
      try (PDPageContentStream cs = new PDPageContentStream(doc, text)) {
        cs.beginText();
        cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
        cs.newLineAtOffset(72, 700);
        cs.showText("This second page has a real text layer and needs no OCR.");
        cs.endText();
      }
      doc.save(input.resolve("scanned.pdf").toFile());
    }
    Files.copy(page2, input.resolve("photo.png"));
    writeTiff(
        input.resolve("two-pages.tif"), ImageIO.read(page1.toFile()), ImageIO.read(page2.toFile()));

    Configuration config = config(input, dir.resolve("data"), "ocr_e2e", Map.of());
    RunSummary summary = run(config);
    assertThat(summary.itemsDone()).isEqualTo(3);
    assertThat(summary.pages()).isEqualTo(5);
    assertThat(summary.pagesOcr()).isEqualTo(4);

    try (Connection c = DriverManager.getConnection(url("ocr_e2e"));
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT right(source_uri, 13) AS f, part_id, task, modality, text, confidence,"
                    + " attributes->>'page_source' AS src, jsonb_array_length(entities) AS n,"
                    + " entities->0->>'box_width' AS w, page_count"
                    + " FROM results ORDER BY source_uri, part_id")) {
      Map<String, ResultRow> rows = new HashMap<>();
      while (rs.next()) {
        rows.put(
            rs.getString("f").replaceAll(".*/", "") + "#" + rs.getString("part_id"),
            new ResultRow(
                rs.getString("task"),
                rs.getString("modality"),
                rs.getString("text"),
                rs.getDouble("confidence"),
                rs.getString("src"),
                rs.getInt("n"),
                rs.getString("w"),
                (Integer) rs.getObject("page_count")));
      }
      assertThat(rows).hasSize(8);
      ResultRow scannedPage = rows.get("scanned.pdf#p1");
      assertThat(scannedPage.task()).isEqualTo("ocr");
      assertThat(scannedPage.source()).isEqualTo("ocr");
      assertThat(TextMetricsAssert.cer(truth1, scannedPage.text())).isLessThanOrEqualTo(0.02);
      assertThat(scannedPage.entities()).isGreaterThan(20);
      assertThat(Integer.parseInt(scannedPage.boxWidth())).isPositive();
      assertThat(scannedPage.confidence()).isBetween(0.8, 1.0);
      ResultRow textPage = rows.get("scanned.pdf#p2");
      assertThat(textPage.task()).isEqualTo("extraction");
      assertThat(textPage.source()).isEqualTo("text_layer");
      assertThat(textPage.confidence()).isEqualTo(1.0);
      ResultRow document = rows.get("scanned.pdf#0");
      assertThat(document.pageCount()).isEqualTo(2);
      assertThat(document.text()).contains("real text layer").contains(scannedPage.text());
      assertThat(rows.get("two-pages.tif#0").pageCount()).isEqualTo(2);
      assertThat(rows.get("photo.png#p1").task()).isEqualTo("ocr");
    }
  }

  @Test
  void imagesEmbeddedInOfficeFilesAreOcrd(@TempDir Path dir) throws Exception {
    Path input = Files.createDirectories(dir.resolve("in"));
    Path scan = pages.resolve("clean-300/page-01.png");
    String truth = Files.readString(OcrPageGenerator.truthFileOf(scan));
    try (org.apache.poi.xwpf.usermodel.XWPFDocument doc =
            new org.apache.poi.xwpf.usermodel.XWPFDocument();
        java.io.InputStream png = Files.newInputStream(scan)) {
      doc.createParagraph().createRun().setText("Receipt attached below as a scan.");
      doc.createParagraph()
          .createRun()
          .addPicture(
              png,
              org.apache.poi.xwpf.usermodel.Document.PICTURE_TYPE_PNG,
              "receipt.png",
              org.apache.poi.util.Units.toEMU(500),
              org.apache.poi.util.Units.toEMU(220));
      try (OutputStream out = Files.newOutputStream(input.resolve("with-scan.docx"))) {
        doc.write(out);
      }
    }
    RunSummary summary = run(config(input, dir.resolve("data"), "ocr_embedded", Map.of()));
    assertThat(summary.itemsDone()).isEqualTo(1);
    try (Connection c = DriverManager.getConnection(url("ocr_embedded"));
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT part_id, task, text, calibration, attributes FROM results ORDER BY part_id")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("part_id")).isEqualTo("0");
      String document = rs.getString("text");
      assertThat(document).startsWith("Receipt attached below as a scan.");
      assertThat(rs.getString("calibration")).contains("embedded-image OCR");
      assertThat(rs.getString("attributes")).contains("\"embedded_images_ocr\": \"1\"");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("part_id")).isEqualTo("i1");
      assertThat(rs.getString("task")).isEqualTo("ocr");
      assertThat(TextMetricsAssert.cer(truth, rs.getString("text"))).isLessThanOrEqualTo(0.02);
      assertThat(document).contains(rs.getString("text"));
    }
  }

  record ResultRow(
      String task,
      String modality,
      String text,
      double confidence,
      String source,
      int entities,
      String boxWidth,
      Integer pageCount) {}

  /** CER through the project's metric, for one page. */
  static final class TextMetricsAssert {
    static double cer(String truth, String text) {
      return io.mmflow.jobs.eval.TextMetrics.characterErrors(truth, text).rate();
    }
  }

  @Test
  void badInputsBecomeCodedDeadLettersAndTheJobFinishes(@TempDir Path dir) throws Exception {
    Path input = Files.createDirectories(dir.resolve("in"));
    Files.write(input.resolve("empty.png"), new byte[0]);
    byte[] pdf = twoPagePdf(null);
    Files.write(input.resolve("truncated.pdf"), java.util.Arrays.copyOf(pdf, pdf.length / 2));
    Files.write(input.resolve("encrypted.pdf"), twoPagePdf("secret-user-password"));
    try (PDDocument doc = new PDDocument()) {
      for (int i = 0; i < 12; i++) {
        doc.addPage(new PDPage());
      }
      doc.save(input.resolve("many-pages.pdf").toFile());
    }
    Files.write(input.resolve("bomb.png"), pngBomb(30_000, 30_000));
    Files.write(input.resolve("huge.txt"), "x".repeat(2_000_000).getBytes(StandardCharsets.UTF_8));
    Files.write(
        input.resolve("program.bin"),
        new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3e, 0});
    Files.copy(pages.resolve("clean-300/page-01.png"), input.resolve("fine.png"));

    Configuration config =
        config(
            input,
            dir.resolve("data"),
            "ocr_bad",
            Map.of(
                "mmflow.ocr.max-pages", "10",
                "mmflow.source.max-bytes", "1mb"));
    RunSummary summary = run(config);
    assertThat(summary.items()).isEqualTo(8);
    assertThat(summary.itemsDone()).isEqualTo(1);
    assertThat(summary.accountedFor()).isTrue();

    Map<String, String> codes = deadLetterCodes("ocr_bad");
    assertThat(codes)
        .containsEntry("empty.png", "MMF-1001")
        .containsEntry("truncated.pdf", "MMF-1004")
        .containsEntry("encrypted.pdf", "MMF-1005")
        .containsEntry("many-pages.pdf", "MMF-1007")
        .containsEntry("bomb.png", "MMF-1008")
        .containsEntry("huge.txt", "MMF-1002")
        .containsEntry("program.bin", "MMF-1003")
        .hasSize(7);
  }

  @Test
  void parsersThatOverrunTheirTimeoutAreAbandoned(@TempDir Path dir) throws Exception {
    Path input = Files.createDirectories(dir.resolve("in"));
    Files.writeString(
        input.resolve("slow.html"),
        "<html><body>" + "<p>para</p>".repeat(50_000) + "</body></html>");
    // every page heavy (tens of thousands of drawing operations): no page can be read within the
    // limit, not even at the second, lower-resolution try, so the document is a dead letter
    Files.write(input.resolve("slow.pdf"), heavyPdf(2, 40_000));
    Files.copy(pages.resolve("clean-300/page-02.png"), input.resolve("fine.png"));
    Configuration config =
        config(
            input, dir.resolve("data"), "ocr_slow", Map.of("mmflow.extract.parse-timeout", "1 ms"));
    RunSummary summary = run(config);
    assertThat(summary.itemsDone()).isEqualTo(1); // OCR is bounded by the pixel limit, not this
    assertThat(deadLetterCodes("ocr_slow"))
        .containsEntry("slow.html", "MMF-1009")
        .containsEntry("slow.pdf", "MMF-1009")
        .hasSize(2);
  }

  static Map<String, String> deadLetterCodes(String database) throws Exception {
    Map<String, String> codes = new HashMap<>();
    try (Connection c = DriverManager.getConnection(url(database));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT source_uri, error_code, message FROM dead_letters")) {
      while (rs.next()) {
        String uri = rs.getString(1);
        codes.put(uri.substring(uri.lastIndexOf('/') + 1), rs.getString(2));
      }
    }
    return codes;
  }

  /** A PDF of {@code pages} pages of {@code squares} tiny filled squares each, and no text. */
  static byte[] heavyPdf(int pages, int squares) throws IOException {
    try (PDDocument doc = new PDDocument()) {
      for (int p = 0; p < pages; p++) {
        PDPage page = new PDPage();
        doc.addPage(page);
        try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
          for (int i = 0; i < squares; i++) {
            cs.addRect(i % 600, i / 600 % 780, 0.5f, 0.5f);
            cs.fill();
          }
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      return out.toByteArray();
    }
  }

  static byte[] twoPagePdf(String userPassword) throws IOException {
    try (PDDocument doc = new PDDocument()) {
      for (String line : List.of("First page of a fine document.", "Second page of it.")) {
        PDPage page = new PDPage();
        doc.addPage(page);
        try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
          cs.beginText();
          cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
          cs.newLineAtOffset(72, 700);
          cs.showText(line);
          cs.endText();
        }
      }
      if (userPassword != null) {
        StandardProtectionPolicy p =
            new StandardProtectionPolicy("owner", userPassword, new AccessPermission());
        p.setEncryptionKeyLength(128);
        doc.protect(p);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      return out.toByteArray();
    }
  }

  static void writeTiff(Path file, BufferedImage... frames) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(out);
      writer.prepareWriteSequence(null);
      for (BufferedImage frame : frames) {
        writer.writeToSequence(new IIOImage(frame, null, null), null);
      }
      writer.endWriteSequence();
    } finally {
      writer.dispose();
    }
  }

  /** A valid PNG of width x height 1-bit pixels, all white: tiny on disk, huge decoded. */
  static byte[] pngBomb(int width, int height) throws IOException {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream h = new DataOutputStream(ihdr);
    h.writeInt(width);
    h.writeInt(height);
    h.write(new byte[] {1, 0, 0, 0, 0}); // bit depth 1, grayscale
    chunk(png, "IHDR", ihdr.toByteArray());
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(idat)) {
      byte[] row = new byte[1 + (width + 7) / 8];
      java.util.Arrays.fill(row, (byte) 0xff);
      row[0] = 0;
      for (int y = 0; y < height; y++) {
        z.write(row);
      }
    }
    chunk(png, "IDAT", idat.toByteArray());
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data)
      throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(data.length);
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    d.write(t);
    d.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    d.writeInt((int) crc.getValue());
  }
}
