package io.mmflow.sql.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.core.util.Hashing;
import io.mmflow.datasets.documents.SampleDocuments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every function of the mmflow module in real Flink SQL queries on a MiniCluster, over the sample
 * documents (PDFs, office files, a scanned PNG, a scanned PDF) and the bad inputs (an empty file, a
 * truncated PDF, random bytes): the module loads by name, each function reads real bytes with Tika,
 * PDFBox and Tesseract, and a bad input gives a coded error row while the query finishes.
 */
class MmflowFunctionsITCase {
  @TempDir static Path dir;
  static TableEnvironment sql;

  @BeforeAll
  static void setUp() throws Exception {
    SampleDocuments.generate(dir);
    List<Row> rows = new ArrayList<>();
    for (String name :
        List.of(
            "invoice-2024.pdf",
            "meeting-notes.docx",
            "scans/scanned-memo.png",
            "scans/scanned-report.pdf",
            "bad/empty.txt",
            "bad/truncated.pdf",
            "bad/random.bin")) {
      Path file = dir.resolve(name);
      rows.add(Row.of(name, file.toUri().toString(), Files.readAllBytes(file)));
    }
    sql = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    sql.executeSql("LOAD MODULE mmflow");
    sql.createTemporaryView(
        "docs",
        sql.fromValues(
            DataTypes.ROW(
                DataTypes.FIELD("name", DataTypes.STRING()),
                DataTypes.FIELD("uri", DataTypes.STRING()),
                DataTypes.FIELD("content", DataTypes.BYTES())),
            rows));
  }

  /** The rows of {@code query}, by the first column. */
  static Map<String, Row> byName(String query) throws Exception {
    Map<String, Row> out = new HashMap<>();
    try (CloseableIterator<Row> it = sql.executeSql(query).collect()) {
      it.forEachRemaining(r -> out.put((String) r.getField(0), r));
    }
    return out;
  }

  static String truth(String name) throws Exception {
    return Files.readString(dir.resolve(name + ".gt.txt")).replaceAll("\\s+", " ").trim();
  }

  static String words(Object text) {
    return ((String) text).replaceAll("\\s+", " ").trim();
  }

  @Test
  void theModuleListsItsFunctions() throws Exception {
    List<String> names = new ArrayList<>();
    try (CloseableIterator<Row> it = sql.executeSql("SHOW FUNCTIONS").collect()) {
      it.forEachRemaining(r -> names.add(((String) r.getField(0)).toLowerCase()));
    }
    assertThat(names)
        .contains(
            "mmf_content_type",
            "mmf_sha256",
            "mmf_language",
            "mmf_pii",
            "mmf_redact",
            "mmf_extract_text",
            "mmf_ocr",
            "mmf_pages",
            "mmf_results");
  }

  @Test
  void contentTypeAndHashComeFromTheBytes() throws Exception {
    Map<String, Row> rows =
        byName("SELECT name, MMF_CONTENT_TYPE(content), MMF_SHA256(content) FROM docs");
    assertThat(rows.get("invoice-2024.pdf").getField(1)).isEqualTo("application/pdf");
    assertThat(rows.get("scans/scanned-memo.png").getField(1)).isEqualTo("image/png");
    assertThat(rows.get("meeting-notes.docx").getField(1))
        .isEqualTo("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    assertThat(rows.get("bad/random.bin").getField(1)).isEqualTo("application/octet-stream");
    assertThat(rows.get("invoice-2024.pdf").getField(2))
        .isEqualTo(Hashing.sha256Hex(Files.readAllBytes(dir.resolve("invoice-2024.pdf"))));
  }

  @Test
  void extractTextReadsEveryKindAndCodesBadInput() throws Exception {
    Map<String, Row> rows =
        byName(
            "SELECT name, t.r.status, t.r.text, t.r.task, t.r.error_code, t.r.item_id,"
                + " t.r.page_count FROM (SELECT name, MMF_EXTRACT_TEXT(content, uri) AS r FROM"
                + " docs) t");
    assertThat(rows).hasSize(7);
    for (String doc : List.of("invoice-2024.pdf", "meeting-notes.docx")) {
      Row r = rows.get(doc);
      assertThat(r.getField(1)).as(doc).isEqualTo("ok");
      assertThat(r.getField(3)).isEqualTo("extraction");
      for (String line : Files.readAllLines(SampleDocuments.expectedFileOf(dir.resolve(doc)))) {
        assertThat(words(r.getField(2))).as(doc).contains(line.replaceAll("\\s+", " ").trim());
      }
      // the documents job's item id of the same object
      assertThat(r.getField(5)).isEqualTo(Hashing.stableId(dir.resolve(doc).toUri().toString()));
    }
    // the scans: a PNG and a PDF without text layer, read by OCR after preprocessing
    assertThat(words(rows.get("scans/scanned-memo.png").getField(2)))
        .isEqualTo(truth("scans/scanned-memo.png"));
    assertThat(rows.get("scans/scanned-report.pdf").getField(6)).isEqualTo(1);
    assertThat(words(rows.get("scans/scanned-report.pdf").getField(2)))
        .contains(truth("scans/scanned-report.pdf").substring(0, 40));
    // bad inputs: error rows with the codes of the job's dead letters, the query finished
    assertThat(rows.get("bad/empty.txt").getField(1)).isEqualTo("error");
    assertThat(rows.get("bad/empty.txt").getField(4)).isEqualTo("MMF-1001");
    assertThat(rows.get("bad/random.bin").getField(4)).isEqualTo("MMF-1003");
    assertThat(rows.get("bad/truncated.pdf").getField(1)).isEqualTo("error");
    assertThat((String) rows.get("bad/truncated.pdf").getField(4)).startsWith("MMF-");
  }

  @Test
  void pagesThenOcrReadAScannedPdf() throws Exception {
    List<Row> pages = new ArrayList<>();
    try (CloseableIterator<Row> it =
        sql.executeSql(
                "SELECT name, p.page_number, p.text IS NULL, p.dpi, p.error_code,"
                    + " MMF_OCR(p.image).text, MMF_OCR(p.image).confidence"
                    + " FROM docs, LATERAL TABLE(MMF_PAGES(content)) AS p"
                    + " WHERE name IN ('scans/scanned-report.pdf', 'invoice-2024.pdf',"
                    + " 'bad/random.bin')")
            .collect()) {
      it.forEachRemaining(pages::add);
    }
    Map<String, List<Row>> byDoc = new HashMap<>();
    pages.forEach(
        p -> byDoc.computeIfAbsent((String) p.getField(0), k -> new ArrayList<>()).add(p));
    // the invoice's pages have a text layer: no image to OCR
    assertThat(byDoc.get("invoice-2024.pdf"))
        .allSatisfy(p -> assertThat(p.getField(2)).isEqualTo(false));
    // the scanned report's one page is an image, rendered at the configured resolution
    Row scan = byDoc.get("scans/scanned-report.pdf").get(0);
    assertThat(byDoc.get("scans/scanned-report.pdf")).hasSize(1);
    assertThat(scan.getField(1)).isEqualTo(1);
    assertThat(scan.getField(2)).isEqualTo(true);
    assertThat((Integer) scan.getField(3)).isPositive();
    assertThat(words(scan.getField(5)))
        .contains(truth("scans/scanned-report.pdf").substring(0, 40));
    assertThat((Double) scan.getField(6)).isGreaterThan(0.8);
    // not a document with pages: one row with the code, no page number
    Row random = byDoc.get("bad/random.bin").get(0);
    assertThat(random.getField(1)).isNull();
    assertThat(random.getField(4)).isEqualTo("MMF-1003");
  }

  @Test
  void ocrGivesWordsWithBoxesAndTakesOptions() throws Exception {
    Map<String, Row> rows =
        byName(
            "SELECT name, t.r.text, CARDINALITY(t.r.entities), t.r.entities[1].box_width,"
                + " t.r.attributes['preprocessing'], t.r.status, t.r.error_code,"
                + " t.o.attributes['preprocessing'], t.x.error_code"
                + " FROM (SELECT name, MMF_OCR(content) AS r,"
                + " MMF_OCR(content, MAP['preprocess.binarization', 'otsu']) AS o,"
                + " MMF_OCR(content, MAP['preprocess.binarization', 'no-such-method']) AS x"
                + " FROM docs WHERE name IN ('scans/scanned-memo.png', 'invoice-2024.pdf')) t");
    Row memo = rows.get("scans/scanned-memo.png");
    assertThat(words(memo.getField(1))).isEqualTo(truth("scans/scanned-memo.png"));
    assertThat((Integer) memo.getField(2)).isGreaterThan(10); // the words
    assertThat((Integer) memo.getField(3)).isPositive();
    // a clean page needs no binarization by default; the option forces Otsu's
    assertThat((String) memo.getField(4)).startsWith("contrast").doesNotContain("otsu");
    assertThat((String) memo.getField(7)).contains("otsu");
    assertThat(memo.getField(8)).isEqualTo("MMF-3003");
    // a PDF is not an image: MMF_PAGES first
    assertThat(rows.get("invoice-2024.pdf").getField(5)).isEqualTo("error");
    assertThat(rows.get("invoice-2024.pdf").getField(6)).isEqualTo("MMF-1003");
  }

  @Test
  void resultsAreTheJobsRowsWithItsKeys() throws Exception {
    List<Row> rows = new ArrayList<>();
    try (CloseableIterator<Row> it =
        sql.executeSql(
                "SELECT name, r.item_id, r.part_id, r.task, r.status, r.error_code"
                    + " FROM docs, LATERAL TABLE(MMF_RESULTS(content, uri)) AS r"
                    + " WHERE name IN ('invoice-2024.pdf', 'bad/empty.txt')")
            .collect()) {
      it.forEachRemaining(rows::add);
    }
    String invoiceId = Hashing.stableId(dir.resolve("invoice-2024.pdf").toUri().toString());
    List<String> invoiceParts =
        rows.stream()
            .filter(r -> r.getField(0).equals("invoice-2024.pdf"))
            .peek(r -> assertThat(r.getField(1)).isEqualTo(invoiceId))
            .map(r -> (String) r.getField(2))
            .toList();
    assertThat(invoiceParts).contains("p1", "0");
    assertThat(invoiceParts.get(invoiceParts.size() - 1)).isEqualTo("0");
    assertThat(rows.stream().filter(r -> r.getField(0).equals("bad/empty.txt")))
        .singleElement()
        .satisfies(r -> assertThat(r.getField(5)).isEqualTo("MMF-1001"));
  }

  @Test
  void textFunctions() throws Exception {
    Map<String, Row> rows =
        byName(
            "SELECT 'x', MMF_LANGUAGE('Die Rechnung wurde gestern an den Kunden geschickt und"
                + " heute bezahlt.'), MMF_REDACT('Write to anna.berg@example.org or call +44 20"
                + " 7946 0958.'), CARDINALITY(MMF_PII('mail anna.berg@example.org')),"
                + " MMF_PII('mail anna.berg@example.org')[1].type,"
                + " MMF_PII('mail anna.berg@example.org')[1].char_start, MMF_LANGUAGE(CAST(NULL AS"
                + " STRING))");
    Row r = rows.get("x");
    assertThat(r.getField(1)).isEqualTo("de");
    assertThat(r.getField(2)).isEqualTo("Write to [EMAIL] or call [PHONE].");
    assertThat(r.getField(3)).isEqualTo(1);
    assertThat(r.getField(4)).isEqualTo("email");
    assertThat(r.getField(5)).isEqualTo(5);
    assertThat(r.getField(6)).isNull();
  }
}
