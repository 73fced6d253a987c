package io.mmflow.datasets.documents;

import io.mmflow.datasets.ocr.OcrPageGenerator;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Date;
import java.util.EnumSet;
import java.util.GregorianCalendar;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TimeZone;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.poi.ooxml.POIXMLProperties;
import org.apache.poi.xslf.usermodel.SlideLayout;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFSlide;
import org.apache.poi.xslf.usermodel.XSLFSlideLayout;
import org.apache.poi.xslf.usermodel.XSLFTextShape;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;
import org.apache.poi.xssf.usermodel.XSSFFont;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFRun;

/**
 * The project's own generator of small sample documents with ground truth.
 *
 * <p>Every document {@code X.ext} is written together with {@code X.ext.expected.txt} (UTF-8): one
 * sentence, heading, line or spreadsheet cell per line, each of which a text extractor must find in
 * the document's text once whitespace is collapsed. All text is original, written for this project.
 *
 * <p>Output is deterministic: creation dates, document identifiers and zip entry times are fixed,
 * so re-running the generator produces byte-identical files (with the same JDK and library
 * versions).
 *
 * <p>Three bad inputs for the dead-letter demo are written to {@code outputDir/bad/}: an empty
 * file, a truncated PDF and random bytes. They have no expected files.
 */
public final class SampleDocuments {

  /** Suffix appended to a document's file name to name its ground-truth file. */
  public static final String EXPECTED_SUFFIX = ".expected.txt";

  /** Subdirectory of the output directory that holds the bad inputs. */
  public static final String BAD_DIR = "bad";

  /** Default output directory, relative to the repository root. */
  public static final String DEFAULT_OUTPUT_DIR = "datasets/documents";

  /** Length of {@code bad/truncated.pdf}. */
  public static final int TRUNCATED_PDF_BYTES = 300;

  /** Length of {@code bad/random.bin}. */
  public static final int RANDOM_BIN_BYTES = 4096;

  /** Seed of the {@link Random} that produces {@code bad/random.bin}. */
  public static final long RANDOM_SEED = 42L;

  /** The fixed instant used for every creation/modification date and timestamp. */
  static final ZonedDateTime FIXED_TIME =
      ZonedDateTime.of(2024, 3, 14, 9, 30, 0, 0, ZoneOffset.UTC);

  private static final LocalDateTime FIXED_ZIP_TIME = FIXED_TIME.toLocalDateTime();
  private static final String AUTHOR = "mmflow sample documents";

  /** A heading followed by paragraphs: a PDF page, a slide or a section. */
  private record Section(String heading, List<String> paragraphs) {
    Section(String heading, String... paragraphs) {
      this(heading, List.of(paragraphs));
    }

    List<String> lines() {
      List<String> lines = new ArrayList<>();
      lines.add(heading);
      lines.addAll(paragraphs);
      return lines;
    }
  }

  private SampleDocuments() {}

  /**
   * Writes the sample documents, their expected-text files and the bad inputs.
   *
   * @param outputDir directory to write into; created if missing, existing files are overwritten
   * @return the documents written (not the expected files, not the bad inputs), in a fixed order
   */
  public static List<Path> generate(Path outputDir) {
    try {
      Files.createDirectories(outputDir);
      List<Path> documents = new ArrayList<>();
      documents.add(invoicePdf(outputDir.resolve("invoice-2024.pdf")));
      documents.add(hotelReviewPdf(outputDir.resolve("hotel-review.pdf")));
      documents.add(meetingNotesDocx(outputDir.resolve("meeting-notes.docx")));
      documents.add(quarterlyReviewPptx(outputDir.resolve("quarterly-review.pptx")));
      documents.add(salesXlsx(outputDir.resolve("sales.xlsx")));
      documents.add(policyOdt(outputDir.resolve("policy.odt")));
      documents.add(letterRtf(outputDir.resolve("letter.rtf")));
      documents.add(productPageHtml(outputDir.resolve("product-page.html")));
      documents.add(readmeFrTxt(outputDir.resolve("readme-fr.txt")));
      documents.add(customerFeedbackTxt(outputDir.resolve("customer-feedback.txt")));
      documents.add(supportRequestEml(outputDir.resolve("support-request.eml")));
      documents.add(shippingUpdateEml(outputDir.resolve("shipping-update.eml")));
      writeBadInputs(outputDir.resolve(BAD_DIR), outputDir.resolve("invoice-2024.pdf"));
      writeScans(outputDir.resolve(SCANS_DIR));
      return List.copyOf(documents);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write sample documents to " + outputDir, e);
    }
  }

  /** Sub-folder of scanned inputs (OCR), each with a {@code <name>.gt.txt} truth file. */
  public static final String SCANS_DIR = "scans";

  /**
   * Writes two scans made from {@link OcrPageGenerator} pages: {@code scanned-memo.png} (a clean
   * 300-DPI page) and {@code scanned-report.pdf} (a PDF whose only page is a skewed scan, no text
   * layer), each with its {@code .gt.txt}.
   */
  static void writeScans(Path scansDir) throws IOException {
    Files.createDirectories(scansDir);
    Path pages = Files.createTempDirectory("mmflow-scan-pages");
    try {
      OcrPageGenerator.generate(
          pages,
          1,
          11L,
          EnumSet.of(OcrPageGenerator.Condition.CLEAN_300, OcrPageGenerator.Condition.SKEW));
      Path memo = pages.resolve("clean-300/page-01.png");
      Files.copy(memo, scansDir.resolve("scanned-memo.png"), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(
          OcrPageGenerator.truthFileOf(memo),
          scansDir.resolve("scanned-memo.png" + OcrPageGenerator.TRUTH_SUFFIX),
          StandardCopyOption.REPLACE_EXISTING);
      Path skewed = pages.resolve("skew/page-01.png");
      BufferedImage scan = ImageIO.read(skewed.toFile());
      try (PDDocument pdf = new PDDocument()) {
        PDDocumentInformation info = pdf.getDocumentInformation();
        info.setCreationDate(GregorianCalendar.from(FIXED_TIME));
        // A fixed file identifier; without one PDFBox derives it from the current time.
        COSArray ids = new COSArray();
        ids.add(new COSString(md5("scanned-report")));
        ids.add(new COSString(md5("scanned-report")));
        pdf.getDocument().getTrailer().setItem(COSName.ID, ids);
        PDPage page = new PDPage(new PDRectangle(612, (float) (scan.getHeight() * 72.0 / 300)));
        pdf.addPage(page);
        PDImageXObject image = LosslessFactory.createFromImage(pdf, scan);
        try (PDPageContentStream cs = new PDPageContentStream(pdf, page)) {
          cs.drawImage(image, 0, 0, page.getMediaBox().getWidth(), page.getMediaBox().getHeight());
        }
        pdf.save(scansDir.resolve("scanned-report.pdf").toFile());
      }
      Files.copy(
          OcrPageGenerator.truthFileOf(skewed),
          scansDir.resolve("scanned-report.pdf" + OcrPageGenerator.TRUTH_SUFFIX),
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      try (var files = Files.walk(pages)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  /** The ground-truth file that belongs to {@code document}. */
  public static Path expectedFileOf(Path document) {
    return document.resolveSibling(document.getFileName() + EXPECTED_SUFFIX);
  }

  /**
   * Generates the samples. {@code args[0]} is the output directory, by default {@value
   * #DEFAULT_OUTPUT_DIR} (relative to the working directory, normally the repository root).
   */
  public static void main(String[] args) throws IOException {
    // POI logs through the Log4j API; without a provider on the classpath Log4j prints an error.
    if (System.getProperty("log4j2.loggerContextFactory") == null) {
      System.setProperty(
          "log4j2.loggerContextFactory",
          "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
    }
    Path outputDir = Paths.get(args.length > 0 ? args[0] : DEFAULT_OUTPUT_DIR);
    List<Path> documents = generate(outputDir);
    for (Path document : documents) {
      System.out.printf("%8d  %s%n", Files.size(document), document);
    }
    try (var bad = Files.list(outputDir.resolve(BAD_DIR))) {
      for (Path file : bad.sorted().toList()) {
        System.out.printf("%8d  %s%n", Files.size(file), file);
      }
    }
    System.out.printf(
        "%d documents with expected text written to %s%n", documents.size(), outputDir);
  }

  // ---------------------------------------------------------------- PDF

  private static Path invoicePdf(Path file) throws IOException {
    List<Section> pages =
        List.of(
            new Section(
                "Invoice INV-2024-0147",
                "Issued on 14 March 2024 by Northwind Office Supplies to Contoso Analytics.",
                "Item 1: 40 ergonomic office chairs at 185.00 EUR each, 7,400.00 EUR.",
                "Item 2: 12 standing desks at 420.00 EUR each, 5,040.00 EUR.",
                "Total due including 19% VAT: 14,803.60 EUR."),
            new Section(
                "Payment terms",
                "Please pay within 30 days of the invoice date by bank transfer.",
                "IBAN DE89 3704 0044 0532 0130 00, reference INV-2024-0147.",
                "Late payments may incur interest of 1% per month.",
                "Thank you for your business."));
    byte[] pdf = pdf("Invoice INV-2024-0147", pages);
    Files.write(file, pdf);
    return withExpected(file, lines(pages));
  }

  private static Path hotelReviewPdf(Path file) throws IOException {
    List<Section> pages =
        List.of(
            new Section(
                "Review: Seaview Business Hotel, Lisbon",
                "Our stay at the Seaview Business Hotel was a disappointment from start to finish.",
                "The room was noisy, the air conditioning was broken and nobody came to fix it.",
                "Breakfast was cold and the staff at the front desk were rude when we complained.",
                "We will not stay here again and cannot recommend this hotel to anyone.",
                "Rating: 1 out of 5."));
    Files.write(file, pdf("Review: Seaview Business Hotel", pages));
    return withExpected(file, lines(pages));
  }

  private static byte[] pdf(String title, List<Section> pages) throws IOException {
    PDFont bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    PDFont regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    float margin = 72;
    try (PDDocument doc = new PDDocument()) {
      for (Section section : pages) {
        PDPage page = new PDPage(PDRectangle.A4);
        doc.addPage(page);
        float width = page.getMediaBox().getWidth() - 2 * margin;
        try (PDPageContentStream out = new PDPageContentStream(doc, page)) {
          out.beginText();
          out.newLineAtOffset(margin, page.getMediaBox().getHeight() - margin);
          out.setFont(bold, 16);
          out.showText(section.heading());
          out.newLineAtOffset(0, -30);
          out.setFont(regular, 11);
          for (String paragraph : section.paragraphs()) {
            for (String line : wrap(paragraph, regular, 11, width)) {
              out.showText(line);
              out.newLineAtOffset(0, -15);
            }
            out.newLineAtOffset(0, -6);
          }
          out.endText();
        }
      }
      PDDocumentInformation info = doc.getDocumentInformation();
      info.setTitle(title);
      info.setAuthor(AUTHOR);
      info.setCreator("io.mmflow.datasets.documents.SampleDocuments");
      info.setProducer("Apache PDFBox");
      Calendar fixed = GregorianCalendar.from(FIXED_TIME);
      fixed.setTimeZone(TimeZone.getTimeZone("UTC"));
      info.setCreationDate(fixed);
      info.setModificationDate(fixed);
      // A fixed file identifier; without one PDFBox derives it from the current time.
      byte[] id = md5(title);
      COSArray ids = new COSArray();
      ids.add(new COSString(id));
      ids.add(new COSString(id));
      doc.getDocument().getTrailer().setItem(COSName.ID, ids);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      doc.save(bytes);
      return bytes.toByteArray();
    }
  }

  private static byte[] md5(String text) {
    try {
      return MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is always available", e);
    }
  }

  private static List<String> wrap(String text, PDFont font, float size, float maxWidth)
      throws IOException {
    List<String> lines = new ArrayList<>();
    String line = "";
    for (String word : text.split(" ")) {
      String candidate = line.isEmpty() ? word : line + " " + word;
      if (!line.isEmpty() && font.getStringWidth(candidate) / 1000 * size > maxWidth) {
        lines.add(line);
        line = word;
      } else {
        line = candidate;
      }
    }
    if (!line.isEmpty()) {
      lines.add(line);
    }
    return lines;
  }

  // ---------------------------------------------------------------- OOXML (POI)

  private static Path meetingNotesDocx(Path file) throws IOException {
    Section notes =
        new Section(
            "Meeting notes: product planning, 2 April 2024",
            "Attendees: Maria Lopez, James Chen, Priya Nair and Tom Becker.",
            "The team agreed to release version 2.3 of the mobile app on 15 May.",
            "James will finish the payment integration by the end of April.",
            "Priya reported that beta testers are very happy with the new search feature.",
            "The next planning meeting is scheduled for 16 April at 10:00.");
    try (XWPFDocument doc = new XWPFDocument()) {
      XWPFParagraph heading = doc.createParagraph();
      XWPFRun headingRun = heading.createRun();
      headingRun.setBold(true);
      headingRun.setFontSize(16);
      headingRun.setText(notes.heading());
      for (String sentence : notes.paragraphs()) {
        doc.createParagraph().createRun().setText(sentence);
      }
      fixProperties(doc.getProperties(), "Meeting notes");
      Files.write(file, normalizeZip(toBytes(doc::write)));
    }
    return withExpected(file, notes.lines());
  }

  private static Path quarterlyReviewPptx(Path file) throws IOException {
    List<Section> slides =
        List.of(
            new Section(
                "Quarterly Review Q1 2024",
                "Revenue grew 18% compared with the same quarter last year.",
                "Customer satisfaction reached an all-time high of 92%."),
            new Section(
                "Highlights and next steps",
                "The new Berlin office opened on time and under budget.",
                "We are delighted with the strong results and expect continued growth in Q2."));
    try (XMLSlideShow ppt = new XMLSlideShow()) {
      XSLFSlideLayout layout =
          ppt.getSlideMasters().get(0).getLayout(SlideLayout.TITLE_AND_CONTENT);
      for (Section section : slides) {
        XSLFSlide slide = ppt.createSlide(layout);
        slide.getPlaceholder(0).setText(section.heading());
        XSLFTextShape body = slide.getPlaceholder(1);
        body.clearText();
        for (String bullet : section.paragraphs()) {
          body.addNewTextParagraph().addNewTextRun().setText(bullet);
        }
      }
      fixProperties(ppt.getProperties(), "Quarterly Review Q1 2024");
      Files.write(file, normalizeZip(toBytes(ppt::write)));
    }
    return withExpected(file, lines(slides));
  }

  private static Path salesXlsx(Path file) throws IOException {
    // Every cell is a string, so that no extractor can format a number differently.
    List<List<String>> rows =
        List.of(
            List.of("Region", "Product", "Quarter", "Units", "Revenue (EUR)"),
            List.of("North", "Office chairs", "Q1 2024", "320", "59,200"),
            List.of("South", "Standing desks", "Q1 2024", "145", "60,900"),
            List.of("East", "Desk lamps", "Q1 2024", "610", "24,400"),
            List.of("West", "Monitors", "Q1 2024", "210", "44,100"));
    try (XSSFWorkbook workbook = new XSSFWorkbook()) {
      XSSFSheet sheet = workbook.createSheet("Sales Q1 2024");
      XSSFFont boldFont = workbook.createFont();
      boldFont.setBold(true);
      XSSFCellStyle header = workbook.createCellStyle();
      header.setFont(boldFont);
      for (int r = 0; r < rows.size(); r++) {
        XSSFRow row = sheet.createRow(r);
        for (int c = 0; c < rows.get(r).size(); c++) {
          var cell = row.createCell(c);
          cell.setCellValue(rows.get(r).get(c));
          if (r == 0) {
            cell.setCellStyle(header);
          }
        }
      }
      for (int c = 0; c < rows.get(0).size(); c++) {
        sheet.setColumnWidth(c, 16 * 256); // fixed widths: autoSizeColumn depends on local fonts
      }
      fixProperties(workbook.getProperties(), "Sales Q1 2024");
      Files.write(file, normalizeZip(toBytes(workbook::write)));
    }
    Set<String> cells = new LinkedHashSet<>();
    rows.forEach(cells::addAll);
    return withExpected(file, List.copyOf(cells));
  }

  private static void fixProperties(POIXMLProperties properties, String title) {
    POIXMLProperties.CoreProperties core = properties.getCoreProperties();
    Date fixed = Date.from(FIXED_TIME.toInstant());
    core.setCreated(Optional.of(fixed));
    core.setModified(Optional.of(fixed));
    core.setCreator(AUTHOR);
    core.setTitle(title);
  }

  private interface ByteSink {
    void write(OutputStream out) throws IOException;
  }

  private static byte[] toBytes(ByteSink writer) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    writer.write(bytes);
    return bytes.toByteArray();
  }

  /** Rewrites a zip with the same entries in the same order, all with the fixed timestamp. */
  private static byte[] normalizeZip(byte[] zip) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip));
        ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        ZipEntry copy = new ZipEntry(entry.getName());
        copy.setTimeLocal(FIXED_ZIP_TIME);
        out.putNextEntry(copy);
        in.transferTo(out);
        out.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  // ---------------------------------------------------------------- ODT (by hand)

  private static Path policyOdt(Path file) throws IOException {
    Section policy =
        new Section(
            "Reiserichtlinie für Mitarbeiter",
            "Diese Richtlinie gilt für alle Dienstreisen ab dem 1. Juli 2024.",
            "Flüge und Hotels müssen über das interne Buchungsportal gebucht werden.",
            "Die Kosten für Übernachtungen dürfen 150 Euro pro Nacht nicht überschreiten.",
            "Belege sind innerhalb von zwei Wochen nach der Reise bei der Buchhaltung einzureichen.",
            "Bei Fragen wenden Sie sich bitte an das Personalbüro.");
    String office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
    String text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
    String style = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";
    String fo = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0";
    String meta = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0";
    String dc = "http://purl.org/dc/elements/1.1/";
    String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    String date = DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(FIXED_ZIP_TIME);

    StringBuilder content = new StringBuilder(xml);
    content
        .append("<office:document-content xmlns:office=\"")
        .append(office)
        .append("\" xmlns:text=\"")
        .append(text)
        .append("\" xmlns:style=\"")
        .append(style)
        .append("\" xmlns:fo=\"")
        .append(fo)
        .append("\" office:version=\"1.2\">\n")
        .append(" <office:automatic-styles/>\n")
        .append(" <office:body>\n  <office:text>\n")
        .append("   <text:h text:style-name=\"Heading_20_1\" text:outline-level=\"1\">")
        .append(escapeXml(policy.heading()))
        .append("</text:h>\n");
    for (String paragraph : policy.paragraphs()) {
      content
          .append("   <text:p text:style-name=\"Standard\">")
          .append(escapeXml(paragraph))
          .append("</text:p>\n");
    }
    content.append("  </office:text>\n </office:body>\n</office:document-content>\n");

    String styles =
        xml
            + "<office:document-styles xmlns:office=\""
            + office
            + "\" xmlns:style=\""
            + style
            + "\" xmlns:text=\""
            + text
            + "\" xmlns:fo=\""
            + fo
            + "\" office:version=\"1.2\">\n"
            + " <office:styles>\n"
            + "  <style:style style:name=\"Standard\" style:family=\"paragraph\"/>\n"
            + "  <style:style style:name=\"Heading_20_1\" style:display-name=\"Heading 1\""
            + " style:family=\"paragraph\" style:parent-style-name=\"Standard\">\n"
            + "   <style:text-properties fo:font-size=\"16pt\" fo:font-weight=\"bold\"/>\n"
            + "  </style:style>\n"
            + " </office:styles>\n"
            + "</office:document-styles>\n";

    String metaXml =
        xml
            + "<office:document-meta xmlns:office=\""
            + office
            + "\" xmlns:meta=\""
            + meta
            + "\" xmlns:dc=\""
            + dc
            + "\" office:version=\"1.2\">\n"
            + " <office:meta>\n"
            + "  <meta:generator>io.mmflow.datasets.documents.SampleDocuments</meta:generator>\n"
            + "  <dc:title>"
            + escapeXml(policy.heading())
            + "</dc:title>\n"
            + "  <dc:language>de-DE</dc:language>\n"
            + "  <meta:initial-creator>"
            + AUTHOR
            + "</meta:initial-creator>\n"
            + "  <meta:creation-date>"
            + date
            + "</meta:creation-date>\n"
            + "  <dc:date>"
            + date
            + "</dc:date>\n"
            + " </office:meta>\n"
            + "</office:document-meta>\n";

    String manifest =
        xml
            + "<manifest:manifest"
            + " xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\""
            + " manifest:version=\"1.2\">\n"
            + " <manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.2\""
            + " manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>\n"
            + " <manifest:file-entry manifest:full-path=\"content.xml\""
            + " manifest:media-type=\"text/xml\"/>\n"
            + " <manifest:file-entry manifest:full-path=\"styles.xml\""
            + " manifest:media-type=\"text/xml\"/>\n"
            + " <manifest:file-entry manifest:full-path=\"meta.xml\""
            + " manifest:media-type=\"text/xml\"/>\n"
            + "</manifest:manifest>\n";

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      // The mimetype entry must come first, stored (uncompressed), without extra fields.
      byte[] mimetype =
          "application/vnd.oasis.opendocument.text".getBytes(StandardCharsets.US_ASCII);
      ZipEntry mimeEntry = new ZipEntry("mimetype");
      mimeEntry.setMethod(ZipEntry.STORED);
      mimeEntry.setSize(mimetype.length);
      mimeEntry.setCompressedSize(mimetype.length);
      CRC32 crc = new CRC32();
      crc.update(mimetype);
      mimeEntry.setCrc(crc.getValue());
      mimeEntry.setTimeLocal(FIXED_ZIP_TIME);
      zip.putNextEntry(mimeEntry);
      zip.write(mimetype);
      zip.closeEntry();
      putDeflated(zip, "META-INF/manifest.xml", manifest);
      putDeflated(zip, "content.xml", content.toString());
      putDeflated(zip, "styles.xml", styles);
      putDeflated(zip, "meta.xml", metaXml);
    }
    Files.write(file, bytes.toByteArray());
    return withExpected(file, policy.lines());
  }

  private static void putDeflated(ZipOutputStream zip, String name, String text)
      throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setTimeLocal(FIXED_ZIP_TIME);
    zip.putNextEntry(entry);
    zip.write(text.getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
  }

  private static String escapeXml(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  // ---------------------------------------------------------------- RTF, HTML, TXT, EML

  private static Path letterRtf(Path file) throws IOException {
    List<String> paragraphs =
        List.of(
            "Dear Ms. Thompson,",
            "Thank you for the excellent support your team provided during our system migration"
                + " last week.",
            "Everything went smoothly, and our staff were impressed by how quickly every question"
                + " was answered.",
            "We are very pleased with the result and look forward to working with you again.",
            "Kind regards,",
            "Daniel Wright, Operations Manager");
    StringBuilder rtf = new StringBuilder();
    rtf.append("{\\rtf1\\ansi\\ansicpg1252\\deff0\r\n")
        .append("{\\fonttbl{\\f0\\froman Times New Roman;}}\r\n")
        .append("{\\info{\\title Letter of thanks}{\\author ")
        .append(AUTHOR)
        .append("}{\\creatim\\yr2024\\mo3\\dy14\\hr9\\min30}}\r\n")
        .append("\\f0\\fs24\r\n");
    for (String paragraph : paragraphs) {
      // One paragraph per source line: RTF readers ignore line breaks, so never wrap inside text.
      rtf.append("\\pard\\sa200 ").append(escapeRtf(paragraph)).append("\\par\r\n");
    }
    rtf.append("}\r\n");
    Files.writeString(file, rtf.toString(), StandardCharsets.US_ASCII);
    return withExpected(file, paragraphs);
  }

  private static String escapeRtf(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '\\' || c == '{' || c == '}') {
        out.append('\\').append(c);
      } else if (c > 127) {
        out.append("\\u").append((int) (short) c).append('?');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static Path productPageHtml(Path file) throws IOException {
    List<Section> sections =
        List.of(
            new Section(
                "AeroBrew Coffee Grinder",
                "The AeroBrew grinder delivers a consistent grind for espresso, filter and French"
                    + " press coffee.",
                "It offers 40 grind settings, a quiet motor and a 250 g bean hopper.",
                "Price: 129 EUR, free delivery within three working days."),
            new Section(
                "Customer reviews",
                "I absolutely love this grinder, it is fast, quiet and easy to clean.",
                "Best kitchen purchase I have made this year, highly recommended!"));
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n")
        .append("<meta charset=\"utf-8\">\n")
        .append("<title>AeroBrew Coffee Grinder - product page</title>\n")
        .append("</head>\n<body>\n");
    String tag = "h1";
    for (Section section : sections) {
      html.append("<")
          .append(tag)
          .append(">")
          .append(escapeXml(section.heading()))
          .append("</")
          .append(tag)
          .append(">\n");
      for (String paragraph : section.paragraphs()) {
        html.append("<p>").append(escapeXml(paragraph)).append("</p>\n");
      }
      tag = "h2";
    }
    html.append("</body>\n</html>\n");
    Files.writeString(file, html.toString(), StandardCharsets.UTF_8);
    return withExpected(file, lines(sections));
  }

  private static Path readmeFrTxt(Path file) throws IOException {
    List<String> lines =
        List.of(
            "Bienvenue au café du quartier",
            "Notre café est ouvert du lundi au samedi, de 8 heures à 19 heures.",
            "Nous proposons des pâtisseries préparées chaque matin par notre équipe.",
            "Le Wi-Fi est gratuit pour tous les clients.",
            "Pour réserver une table, appelez-nous ou écrivez à bonjour@cafe.example.fr.",
            "Merci de votre visite et à bientôt !");
    return writeText(file, lines);
  }

  private static Path customerFeedbackTxt(Path file) throws IOException {
    List<String> lines =
        List.of(
            "Customer feedback for order 58213",
            "The blender arrived two weeks late and the box was badly damaged.",
            "When I turned it on, it made a terrible grinding noise and stopped after a minute.",
            "Customer service never answered my two emails.",
            "I am very unhappy with the quality and I want a full refund.");
    return writeText(file, lines);
  }

  private static Path writeText(Path file, List<String> lines) throws IOException {
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return withExpected(file, lines);
  }

  private static Path supportRequestEml(Path file) throws IOException {
    return writeEml(
        file,
        "Sarah Miller <sarah.miller@example.com>",
        "Support Team <support@example.org>",
        "Tue, 12 Mar 2024 08:45:00 +0000",
        "<20240312084500.4711@example.com>",
        "Urgent: login failures after the latest update",
        List.of(
            "Hello support team,",
            "Since yesterday's update, none of our twelve users can log in to the reporting"
                + " portal.",
            "The page shows an error message and then logs us out immediately.",
            "This is blocking our month-end reporting and is extremely frustrating.",
            "Please treat this as urgent and call me back as soon as possible.",
            "Sarah Miller"));
  }

  private static Path shippingUpdateEml(Path file) throws IOException {
    return writeEml(
        file,
        "Northwind Orders <orders@example.com>",
        "Alex Turner <alex.turner@example.net>",
        "Wed, 13 Mar 2024 16:20:00 +0000",
        "<20240313162000.40721@example.com>",
        "Your order 40721 has shipped",
        List.of(
            "Hi Alex,",
            "Good news: your order 40721 left our warehouse this morning and will arrive on"
                + " Thursday.",
            "You can follow the parcel with tracking number NW40721UK.",
            "Thank you for shopping with us, we hope you enjoy your new desk lamp!",
            "The Northwind team"));
  }

  private static Path writeEml(
      Path file,
      String from,
      String to,
      String date,
      String messageId,
      String subject,
      List<String> paragraphs)
      throws IOException {
    StringBuilder eml = new StringBuilder();
    eml.append("From: ").append(from).append("\r\n");
    eml.append("To: ").append(to).append("\r\n");
    eml.append("Subject: ").append(subject).append("\r\n");
    eml.append("Date: ").append(date).append("\r\n");
    eml.append("Message-ID: ").append(messageId).append("\r\n");
    eml.append("MIME-Version: 1.0\r\n");
    eml.append("Content-Type: text/plain; charset=UTF-8\r\n");
    eml.append("Content-Transfer-Encoding: 7bit\r\n");
    eml.append("\r\n");
    for (String paragraph : paragraphs) {
      if (!paragraph.chars().allMatch(c -> c < 128)) {
        throw new IllegalArgumentException("7bit body must be ASCII: " + paragraph);
      }
      String line = "";
      for (String word : paragraph.split(" ")) {
        if (!line.isEmpty() && line.length() + 1 + word.length() > 72) {
          eml.append(line).append("\r\n");
          line = word;
        } else {
          line = line.isEmpty() ? word : line + " " + word;
        }
      }
      eml.append(line).append("\r\n\r\n");
    }
    Files.writeString(file, eml.toString(), StandardCharsets.US_ASCII);
    List<String> expected = new ArrayList<>();
    expected.add(subject);
    expected.addAll(paragraphs);
    return withExpected(file, expected);
  }

  // ---------------------------------------------------------------- bad inputs and helpers

  private static void writeBadInputs(Path badDir, Path pdf) throws IOException {
    Files.createDirectories(badDir);
    Files.write(badDir.resolve("empty.txt"), new byte[0]);
    byte[] whole = Files.readAllBytes(pdf);
    Files.write(badDir.resolve("truncated.pdf"), Arrays.copyOf(whole, TRUNCATED_PDF_BYTES));
    byte[] random = new byte[RANDOM_BIN_BYTES];
    new Random(RANDOM_SEED).nextBytes(random);
    Files.write(badDir.resolve("random.bin"), random);
  }

  private static List<String> lines(List<Section> sections) {
    List<String> lines = new ArrayList<>();
    for (Section section : sections) {
      lines.addAll(section.lines());
    }
    return lines;
  }

  private static Path withExpected(Path document, List<String> lines) throws IOException {
    Files.writeString(
        expectedFileOf(document), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return document;
  }
}
