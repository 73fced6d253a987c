package io.mmflow.datasets.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import javax.swing.text.DefaultStyledDocument;
import javax.swing.text.rtf.RTFEditorKit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.poi.sl.extractor.SlideShowExtractor;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xssf.extractor.XSSFExcelExtractor;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.extractor.XWPFWordExtractor;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SampleDocumentsTest {

  private static final String TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";

  @TempDir static Path dir;

  private static List<Path> documents;

  @BeforeAll
  static void generate() {
    documents = SampleDocuments.generate(dir);
  }

  @Test
  void writesTwelveDocumentsInEveryFormatEachWithGroundTruth() throws IOException {
    assertThat(documents)
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "invoice-2024.pdf",
            "hotel-review.pdf",
            "meeting-notes.docx",
            "quarterly-review.pptx",
            "sales.xlsx",
            "policy.odt",
            "letter.rtf",
            "product-page.html",
            "readme-fr.txt",
            "customer-feedback.txt",
            "support-request.eml",
            "shipping-update.eml");
    for (Path document : documents) {
      assertThat(document).isRegularFile().isNotEmptyFile();
      Path expected = SampleDocuments.expectedFileOf(document);
      assertThat(expected.getFileName().toString())
          .isEqualTo(document.getFileName() + ".expected.txt");
      assertThat(expectedLines(document))
          .as("expected lines of %s", document)
          .hasSizeGreaterThan(2);
      assertThat(Files.size(expected)).as("size of %s", expected).isLessThanOrEqualTo(1024);
    }
  }

  @Test
  void everyDocumentContainsAllItsExpectedLines() throws Exception {
    for (Path document : documents) {
      assertContainsExpected(document, extractText(document));
    }
  }

  @Test
  void pdfsUseStandardFontsAndTheInvoiceHasTwoPages() throws IOException {
    try (PDDocument invoice = Loader.loadPDF(dir.resolve("invoice-2024.pdf").toFile())) {
      assertThat(invoice.getNumberOfPages()).isEqualTo(2);
      assertThat(invoice.getDocumentInformation().getTitle()).isEqualTo("Invoice INV-2024-0147");
      for (PDPage page : invoice.getPages()) {
        for (var name : page.getResources().getFontNames()) {
          PDFont font = page.getResources().getFont(name);
          assertThat(font.isStandard14()).as("font %s", font.getName()).isTrue();
        }
      }
      PDFTextStripper secondPage = new PDFTextStripper();
      secondPage.setStartPage(2);
      secondPage.setEndPage(2);
      assertThat(collapse(secondPage.getText(invoice)))
          .contains("Payment terms")
          .doesNotContain("Invoice INV-2024-0147 Issued");
    }
    try (PDDocument review = Loader.loadPDF(dir.resolve("hotel-review.pdf").toFile())) {
      assertThat(review.getNumberOfPages()).isEqualTo(1);
    }
  }

  @Test
  void presentationHasTwoSlidesWithTheirTitles() throws IOException {
    try (XMLSlideShow ppt = new XMLSlideShow(read("quarterly-review.pptx"))) {
      assertThat(ppt.getSlides()).hasSize(2);
      assertThat(ppt.getSlides().get(0).getTitle()).isEqualTo("Quarterly Review Q1 2024");
      assertThat(ppt.getSlides().get(1).getTitle()).isEqualTo("Highlights and next steps");
    }
  }

  @Test
  void spreadsheetStoresEveryCellAsAString() throws IOException {
    try (XSSFWorkbook workbook = new XSSFWorkbook(read("sales.xlsx"))) {
      var sheet = workbook.getSheetAt(0);
      assertThat(sheet.getPhysicalNumberOfRows()).isEqualTo(5);
      List<String> cells = new ArrayList<>();
      sheet.forEach(
          row ->
              row.forEach(
                  cell -> {
                    assertThat(cell.getCellType()).isEqualTo(CellType.STRING);
                    cells.add(cell.getStringCellValue());
                  }));
      assertThat(cells).hasSize(25).startsWith("Region", "Product").contains("59,200");
      assertThat(cells).containsAll(expectedLines(dir.resolve("sales.xlsx")));
    }
  }

  @Test
  void odtIsAValidOpenDocumentPackage() throws IOException {
    Path odt = dir.resolve("policy.odt");
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(odt))) {
      ZipEntry first = zip.getNextEntry();
      assertThat(first).isNotNull();
      assertThat(first.getName()).isEqualTo("mimetype");
      assertThat(first.getMethod()).isEqualTo(ZipEntry.STORED);
      assertThat(new String(zip.readAllBytes(), StandardCharsets.US_ASCII))
          .isEqualTo("application/vnd.oasis.opendocument.text");
    }
    // The mimetype is readable at a fixed offset, which is how type detectors recognise ODF.
    byte[] odtBytes = Files.readAllBytes(odt);
    assertThat(new String(odtBytes, 38, 39, StandardCharsets.US_ASCII))
        .isEqualTo("application/vnd.oasis.opendocument.text");
    try (ZipFile zip = new ZipFile(odt.toFile())) {
      assertThat(zip.stream().map(ZipEntry::getName))
          .containsExactly(
              "mimetype", "META-INF/manifest.xml", "content.xml", "styles.xml", "meta.xml");
      String manifest =
          new String(
              zip.getInputStream(zip.getEntry("META-INF/manifest.xml")).readAllBytes(),
              StandardCharsets.UTF_8);
      assertThat(manifest).contains("full-path=\"content.xml\"");
    }
  }

  @Test
  void rtfIsPlainAsciiAndReadableByAnRtfParser() throws Exception {
    Path rtf = dir.resolve("letter.rtf");
    String raw = Files.readString(rtf, StandardCharsets.US_ASCII);
    assertThat(raw).startsWith("{\\rtf1").endsWith("}\r\n");
    assertContainsExpected(rtf, raw);
    DefaultStyledDocument parsed = new DefaultStyledDocument();
    try (InputStream in = Files.newInputStream(rtf)) {
      new RTFEditorKit().read(in, parsed, 0);
    }
    assertContainsExpected(rtf, parsed.getText(0, parsed.getLength()));
  }

  @Test
  void textFilesAreUtf8AndOneIsFrenchWithAccents() throws IOException {
    for (String name : List.of("readme-fr.txt", "customer-feedback.txt")) {
      strictUtf8(Files.readAllBytes(dir.resolve(name)));
    }
    assertThat(Files.readString(dir.resolve("readme-fr.txt"), StandardCharsets.UTF_8))
        .contains("café", "pâtisseries", "équipe");
    assertThat(Files.readString(dir.resolve("policy.odt.expected.txt"), StandardCharsets.UTF_8))
        .contains("für", "Übernachtungen");
  }

  @Test
  void emailsHaveRfc822HeadersAndAPlainTextBody() throws IOException {
    for (String name : List.of("support-request.eml", "shipping-update.eml")) {
      Path eml = dir.resolve(name);
      String raw = Files.readString(eml, StandardCharsets.US_ASCII);
      int bodyStart = raw.indexOf("\r\n\r\n");
      assertThat(bodyStart).as("header/body separator in %s", name).isPositive();
      Map<String, String> headers = new TreeMap<>();
      for (String line : raw.substring(0, bodyStart).split("\r\n")) {
        int colon = line.indexOf(':');
        headers.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
      assertThat(headers)
          .containsKeys("Subject", "From", "To", "Date", "Message-ID")
          .containsEntry("Content-Type", "text/plain; charset=UTF-8");
      assertThat(headers.get("Subject")).isEqualTo(expectedLines(eml).get(0));
      assertThat(headers.get("Date"))
          .matches("\\w{3}, \\d{1,2} \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}");
      assertThat(raw.substring(bodyStart).lines()).allMatch(line -> line.length() <= 78);
    }
  }

  @Test
  void htmlDeclaresUtf8AndEnglish() throws IOException {
    String html = Files.readString(dir.resolve("product-page.html"), StandardCharsets.UTF_8);
    assertThat(html)
        .startsWith("<!DOCTYPE html>")
        .contains("<html lang=\"en\">", "charset=\"utf-8\"");
  }

  @Test
  void badInputsHaveTheStatedSizesAndContent() throws IOException {
    Path bad = dir.resolve("bad");
    try (Stream<Path> files = Files.list(bad)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("empty.txt", "truncated.pdf", "random.bin");
    }
    assertThat(Files.size(bad.resolve("empty.txt"))).isZero();

    byte[] truncated = Files.readAllBytes(bad.resolve("truncated.pdf"));
    byte[] invoice = Files.readAllBytes(dir.resolve("invoice-2024.pdf"));
    assertThat(truncated).hasSize(300);
    assertThat(invoice.length).isGreaterThan(300);
    assertThat(truncated).isEqualTo(Arrays.copyOf(invoice, 300));
    assertThat(new String(truncated, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
    assertThatThrownBy(() -> Loader.loadPDF(truncated).close()).isInstanceOf(IOException.class);

    byte[] random = Files.readAllBytes(bad.resolve("random.bin"));
    byte[] fromSeed = new byte[4096];
    new Random(42).nextBytes(fromSeed);
    assertThat(random).hasSize(4096).isEqualTo(fromSeed);
    assertThat(new String(random, 0, 4, StandardCharsets.ISO_8859_1))
        .doesNotStartWith("%PDF")
        .doesNotStartWith("PK")
        .doesNotStartWith("{\\rt");
    assertThat(bad.resolve("empty.txt.expected.txt")).doesNotExist();
  }

  @Test
  void regeneratingProducesIdenticalFiles(@TempDir Path again) throws IOException {
    SampleDocuments.generate(again);
    Map<String, byte[]> first = allFiles(dir);
    Map<String, byte[]> second = allFiles(again);
    assertThat(second.keySet())
        .isEqualTo(first.keySet())
        .hasSize(12 * 2 + 3 + 4); // documents and truths, bad inputs, scans and truths
    for (String name : first.keySet()) {
      assertThat(second.get(name)).as(name).isEqualTo(first.get(name));
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Reads a document back with the library (or format knowledge) that wrote it. */
  private static String extractText(Path document) throws Exception {
    String name = document.getFileName().toString();
    String extension = name.substring(name.lastIndexOf('.') + 1);
    switch (extension) {
      case "pdf":
        try (PDDocument pdf = Loader.loadPDF(document.toFile())) {
          return new PDFTextStripper().getText(pdf);
        }
      case "docx":
        try (XWPFWordExtractor extractor =
            new XWPFWordExtractor(new XWPFDocument(Files.newInputStream(document)))) {
          return extractor.getText();
        }
      case "pptx":
        try (SlideShowExtractor<?, ?> extractor =
            new SlideShowExtractor<>(new XMLSlideShow(Files.newInputStream(document)))) {
          return extractor.getText();
        }
      case "xlsx":
        try (XSSFExcelExtractor extractor =
            new XSSFExcelExtractor(new XSSFWorkbook(Files.newInputStream(document)))) {
          return extractor.getText();
        }
      case "odt":
        return odtText(document);
      case "html":
        return Files.readString(document, StandardCharsets.UTF_8).replaceAll("<[^>]*>", " ");
      case "txt":
      case "eml":
        return Files.readString(document, StandardCharsets.UTF_8);
      case "rtf":
        return Files.readString(document, StandardCharsets.US_ASCII);
      default:
        throw new AssertionError("no extractor for " + document);
    }
  }

  /** The text of every heading and paragraph in the ODT's content.xml. */
  private static String odtText(Path odt) throws Exception {
    try (ZipFile zip = new ZipFile(odt.toFile())) {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      org.w3c.dom.Document content;
      try (InputStream in = zip.getInputStream(zip.getEntry("content.xml"))) {
        content = factory.newDocumentBuilder().parse(in);
      }
      StringBuilder text = new StringBuilder();
      for (String element : List.of("h", "p")) {
        NodeList nodes = content.getElementsByTagNameNS(TEXT_NS, element);
        for (int i = 0; i < nodes.getLength(); i++) {
          text.append(((Element) nodes.item(i)).getTextContent()).append('\n');
        }
      }
      assertThat(text).as("text of %s", odt).isNotEmpty();
      return text.toString();
    }
  }

  private static void assertContainsExpected(Path document, String extracted) throws IOException {
    String collapsed = collapse(extracted);
    for (String line : expectedLines(document)) {
      assertThat(collapsed).as("text extracted from %s", document.getFileName()).contains(line);
    }
  }

  private static List<String> expectedLines(Path document) throws IOException {
    return Files.readAllLines(SampleDocuments.expectedFileOf(document), StandardCharsets.UTF_8)
        .stream()
        .map(SampleDocumentsTest::collapse)
        .filter(line -> !line.isEmpty())
        .collect(Collectors.toList());
  }

  private static String collapse(String text) {
    return text.replaceAll("\\s+", " ").trim();
  }

  private static InputStream read(String name) throws IOException {
    return new ByteArrayInputStream(Files.readAllBytes(dir.resolve(name)));
  }

  private static void strictUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
    } catch (CharacterCodingException e) {
      throw new AssertionError("not valid UTF-8", e);
    }
  }

  private static Map<String, byte[]> allFiles(Path root) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(file).toString(), Files.readAllBytes(file));
      }
    }
    return files;
  }
}
