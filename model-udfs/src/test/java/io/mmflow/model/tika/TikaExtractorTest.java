package io.mmflow.model.tika;

import static io.mmflow.model.tika.TestDocuments.docx;
import static io.mmflow.model.tika.TestDocuments.pdf;
import static io.mmflow.model.tika.TestDocuments.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TikaExtractorTest {
  static TikaExtractor extractor;
  static final MediaTypeDetector DETECTOR = new MediaTypeDetector();

  @BeforeAll
  static void open() {
    extractor = new TikaExtractor(ExtractionSettings.defaults());
  }

  @AfterAll
  static void close() {
    extractor.close();
  }

  static Extraction extract(byte[] bytes) {
    return extractor.apply(new TikaExtractor.Input(bytes, DETECTOR.detect(bytes)));
  }

  static void assertCode(ThrowingCallable call, ErrorCode code, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOf(MmflowException.class)
        .hasMessageContaining(messagePart)
        .satisfies(e -> assertThat(((MmflowException) e).code()).isEqualTo(code));
  }

  @Test
  void pdfTextLayerWithPageCountAndLanguage() throws Exception {
    byte[] bytes =
        pdf(
            List.of(
                "The invoice for November is attached and payment is due within thirty days.",
                "Please contact the accounts team if any line item looks wrong to you."),
            null);
    assertThat(DETECTOR.detect(bytes)).isEqualTo("application/pdf");
    Extraction e = extract(bytes);
    assertThat(e.text()).contains("The invoice for November is attached").contains("accounts team");
    assertThat(e.pageCount()).isEqualTo(2);
    assertThat(e.mediaType()).isEqualTo("application/pdf");
    assertThat(e.language()).isEqualTo("en");
    assertThat(e.truncated()).isFalse();
  }

  @Test
  void docxIsDetectedFromBytesAndExtracted() throws Exception {
    byte[] bytes =
        docx(
            "Die Besprechung findet am Montag im großen Konferenzraum statt.",
            "Bitte bringen Sie die aktuellen Verkaufszahlen und Ihre Fragen mit.");
    assertThat(DETECTOR.detect(bytes))
        .isEqualTo("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    Extraction e = extract(bytes);
    assertThat(e.text()).contains("großen Konferenzraum").contains("Verkaufszahlen");
    assertThat(e.language()).isEqualTo("de");
  }

  @Test
  void htmlAndPlainTextAndRtf() {
    Extraction html =
        extract(
            utf8(
                "<html><head><title>Shop</title></head><body><p>Ce produit est excellent,"
                    + " je le recommande à tous mes amis sans hésiter.</p></body></html>"));
    assertThat(html.mediaType()).isEqualTo("text/html");
    assertThat(html.text())
        .isEqualTo("Ce produit est excellent, je le recommande à tous mes amis sans hésiter.");
    assertThat(html.language()).isEqualTo("fr");
    assertThat(html.metadata()).containsEntry("title", "Shop");

    Extraction rtf =
        extract(
            utf8(
                "{\\rtf1\\ansi{\\fonttbl\\f0\\fswiss Helvetica;}\\f0\\pard Dear customer, your refund was approved.\\par}"));
    assertThat(rtf.mediaType()).isEqualTo("application/rtf");
    assertThat(rtf.text()).isEqualTo("Dear customer, your refund was approved.");
  }

  @Test
  void writeLimitCutsTheTextAndFlagsIt() {
    try (TikaExtractor small =
        new TikaExtractor(ExtractionSettings.defaults().withWriteLimit(100))) {
      Extraction e = small.apply(new TikaExtractor.Input(utf8("word ".repeat(1000)), "text/plain"));
      assertThat(e.truncated()).isTrue();
      assertThat(e.text().length()).isLessThanOrEqualTo(100);
    }
  }

  @Test
  void corruptPdfIsCorruptInput() throws Exception {
    byte[] good = pdf(List.of("hello"), null);
    byte[] truncated = Arrays.copyOf(good, 300);
    assertThat(DETECTOR.detect(truncated)).isEqualTo("application/pdf");
    assertCode(() -> extract(truncated), ErrorCode.CORRUPT_INPUT, "cannot parse application/pdf");
  }

  @Test
  void encryptedPdfIsEncryptedInput() throws Exception {
    byte[] encrypted = pdf(List.of("top secret numbers"), "user-pass");
    assertCode(
        () -> extract(encrypted), ErrorCode.ENCRYPTED_INPUT, "encrypted or password protected");
  }

  @Test
  void emptyInputIsEmpty() {
    assertCode(
        () -> extractor.apply(new TikaExtractor.Input(new byte[0], "text/plain")),
        ErrorCode.EMPTY_INPUT,
        "0 bytes");
  }

  @Test
  void zipBombIsRefused() throws Exception {
    // 20 million characters in one paragraph: the DOCX compresses it ~1000:1.
    byte[] bomb = docx("a".repeat(20_000_000));
    assertThat(bomb.length).isLessThan(200_000);
    assertCode(() -> extract(bomb), ErrorCode.COMPRESSION_BOMB, "zip-bomb guard");
  }

  @Test
  void documentWithoutTextLayerHasNoContent() throws Exception {
    byte[] blank = pdf(List.of(""), null);
    assertCode(() -> extract(blank), ErrorCode.NO_CONTENT_EXTRACTED, "need OCR");
  }

  @Test
  void parseTimeoutIsEnforced() {
    try (TikaExtractor hasty =
        new TikaExtractor(ExtractionSettings.defaults().withParseTimeout(Duration.ofNanos(1)))) {
      assertCode(
          () -> hasty.apply(new TikaExtractor.Input(utf8("slow ".repeat(2_000_000)), "text/plain")),
          ErrorCode.PARSE_TIMEOUT,
          "took longer than");
    }
  }

  @Test
  void unsupportedBinaryIsNotATextLayerType() {
    byte[] random = new byte[4096];
    new java.util.Random(42).nextBytes(random);
    String type = DETECTOR.detect(random);
    assertThat(type).isEqualTo("application/octet-stream");
    assertThat(TikaExtractor.supports(type)).isFalse();
    assertThat(TikaExtractor.supports("application/pdf")).isTrue();
  }

  @Test
  void tidyCollapsesBlankLines() {
    assertThat(TikaExtractor.tidy("  a  \r\n\r\n\n\n b\u00a0c \n")).isEqualTo("a\n\n b c");
  }

  @Test
  void infoNamesTikaAndItsVersion() {
    assertThat(extractor.info().provider()).isEqualTo("apache-tika");
    assertThat(extractor.info().modelVersion()).matches("\\d+\\.\\d+\\.\\d+");
  }
}
