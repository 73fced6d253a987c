package io.mmflow.model.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mmflow.core.config.MmflowConfig;
import io.mmflow.core.config.OcrOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.BoundingBox;
import io.mmflow.core.model.Entity;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Real Tesseract (Debian's tesseract-ocr with eng and osd data) on rendered pages. */
class TesseractOcrTest {
  static final String[] LINES = {
    "Invoice 2024-0147 from Northwind Office Supplies",
    "Total due within thirty days: 14,803.60 EUR",
    "Thank you for your business and prompt payment."
  };

  static OcrSettings settings(Map<String, String> overrides) {
    return OcrSettings.from(MmflowConfig.load(Map.of(), overrides));
  }

  /** Three lines of 12 pt text at 300 DPI (50 px), black on white. */
  static OcrImage page() {
    BufferedImage img = new BufferedImage(2400, 700, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setColor(Color.BLACK);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 50));
    for (int i = 0; i < LINES.length; i++) {
      g.drawString(LINES[i], 150, 200 + i * 120);
    }
    g.dispose();
    return toOcrImage(img);
  }

  static OcrImage toOcrImage(BufferedImage img) {
    byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    return new OcrImage(px.clone(), img.getWidth(), img.getHeight(), 300);
  }

  static OcrImage rotateClockwise(OcrImage in) {
    byte[] out = new byte[in.pixels().length];
    int w = in.width();
    int h = in.height();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        out[x * h + (h - 1 - y)] = in.pixels()[y * w + x];
      }
    }
    return new OcrImage(out, h, w, in.dpi());
  }

  @Test
  void readsRenderedTextWithWordBoxesAndCalibratedConfidence() {
    try (TesseractOcr ocr = new TesseractOcr(settings(Map.of()))) {
      OcrPage page = ocr.apply(page());
      for (String line : LINES) {
        assertThat(page.text()).contains(line);
      }
      assertThat(page.entities()).hasSizeGreaterThanOrEqualTo(20);
      Entity invoice = page.entities().get(0);
      assertThat(invoice.text()).isEqualTo("Invoice");
      assertThat(invoice.type()).isEqualTo("word");
      assertThat(invoice.box().x()).isBetween(140, 160);
      assertThat(invoice.box().y()).isBetween(150, 170);
      assertThat(invoice.confidence()).isBetween(0.8, 1.0);
      assertThat(page.confidence()).isBetween(0.85, 1.0);
      assertThat(ocr.info().provider()).isEqualTo("tesseract");
      assertThat(ocr.info().modelVersion()).startsWith("5.");
    }
  }

  @Test
  void linesAsEntities() {
    try (TesseractOcr ocr =
        new TesseractOcr(settings(Map.of(OcrOptions.ENTITY_LEVEL.key(), "line")))) {
      OcrPage page = ocr.apply(page());
      assertThat(page.entities()).extracting(Entity::text).containsExactly(LINES);
      assertThat(page.entities()).allSatisfy(e -> assertThat(e.type()).isEqualTo("line"));
    }
  }

  @Test
  void engineIsRecreatedAfterTheConfiguredPages() {
    try (TesseractOcr ocr =
        new TesseractOcr(settings(Map.of(OcrOptions.ENGINE_RECYCLE_PAGES.key(), "2")))) {
      for (int i = 0; i < 5; i++) {
        assertThat(ocr.apply(page()).text()).contains(LINES[0]);
      }
      assertThat(ocr.enginesCreated()).isEqualTo(3);
    }
  }

  @Test
  void osdTellsHowToTurnARotatedPage() {
    try (TesseractOcr ocr = new TesseractOcr(settings(Map.of()))) {
      assertThat(ocr.detectOrientation(page())).isEqualTo(0);
      OcrImage turned = rotateClockwise(page());
      // turned 90 degrees clockwise: three more clockwise quarter turns make it upright
      assertThat(ocr.detectOrientation(turned)).isEqualTo(3);
    }
  }

  @Test
  void missingLanguageDataIsAClearConfigurationError() {
    assertThatThrownBy(
            () -> new TesseractOcr(settings(Map.of(OcrOptions.LANGUAGE.key(), "klingon"))))
        .isInstanceOf(MmflowException.class)
        .hasMessageStartingWith("Tesseract data not found: ")
        .hasMessageContaining("klingon.traineddata")
        .satisfies(
            e ->
                assertThat(((MmflowException) e).code())
                    .isEqualTo(ErrorCode.CONFIGURATION_INVALID));
  }

  @Test
  void aTwoLevelPageGoesToTesseractAsOneBitWithTheSameResult() {
    OcrImage gray = page();
    byte[] binary = gray.pixels().clone();
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) ((binary[i] & 0xFF) < 128 ? 0 : 255);
    }
    try (TesseractOcr ocr = new TesseractOcr(settings(Map.of()))) {
      OcrPage asGray = ocr.apply(new OcrImage(binary, gray.width(), gray.height(), 300, false));
      OcrPage asBits = ocr.apply(new OcrImage(binary, gray.width(), gray.height(), 300, true));
      assertThat(asBits.text()).isEqualTo(asGray.text()).contains(LINES[1]);
      assertThat(asBits.entities()).isEqualTo(asGray.entities());
      assertThat(asBits.confidence()).isEqualTo(asGray.confidence());
    }
  }

  @Test
  void aRegionIsReadAloneWithBoxesInThePagesCoordinates() {
    // the page's text sits in x 150..~1300, y ~150..~460: a region around it, and one that leaves
    // out the first line, each read with boxes where the words are on the whole page
    OcrImage page = page();
    try (TesseractOcr ocr = new TesseractOcr(settings(Map.of()))) {
      OcrPage whole = ocr.apply(page);
      OcrPage around = ocr.apply(page.region(new BoundingBox(100, 100, 1900, 450)));
      assertThat(around.text()).isEqualTo(whole.text());
      assertThat(around.entities())
          .extracting(Entity::text)
          .isEqualTo(whole.entities().stream().map(Entity::text).toList());
      for (int i = 0; i < whole.entities().size(); i++) {
        assertThat(around.entities().get(i).box().x())
            .isBetween(
                whole.entities().get(i).box().x() - 2, whole.entities().get(i).box().x() + 2);
        assertThat(around.entities().get(i).box().y())
            .isBetween(
                whole.entities().get(i).box().y() - 2, whole.entities().get(i).box().y() + 2);
      }
      OcrPage lower = ocr.apply(page.region(new BoundingBox(100, 260, 1900, 300)));
      assertThat(lower.text()).doesNotContain("Invoice").contains(LINES[1]).contains(LINES[2]);
      Entity total = lower.entities().get(0);
      assertThat(total.text()).isEqualTo("Total");
      assertThat(total.box().y()).isBetween(270, 295);
      // the same through the 1-bit hand-off, whose rows are packed from the region
      byte[] binary = page.pixels().clone();
      for (int i = 0; i < binary.length; i++) {
        binary[i] = (byte) ((binary[i] & 0xFF) < 128 ? 0 : 255);
      }
      OcrPage bits =
          ocr.apply(
              new OcrImage(binary, page.width(), page.height(), 300, true)
                  .region(new BoundingBox(100, 260, 1900, 300)));
      assertThat(bits.text()).isEqualTo(lower.text());
      assertThat(bits.entities().get(0).box()).isEqualTo(total.box());
    }
    assertThatThrownBy(() -> page.region(new BoundingBox(2000, 0, 500, 10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not inside the 2400x700 page");
  }

  @Test
  void packsRowsMostSignificantBitFirstWithPaperAsOne() {
    // 11 x 2: a row ends in a partial byte; 255 is paper (1), 0 ink (0), 200 counts as paper
    byte[] px = new byte[22];
    int[] row0 = {0, 255, 255, 0, 0, 0, 0, 255, 255, 0, 200};
    int[] row1 = {255, 255, 255, 255, 255, 255, 255, 255, 0, 255, 0};
    for (int x = 0; x < 11; x++) {
      px[x] = (byte) row0[x];
      px[11 + x] = (byte) row1[x];
    }
    java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(4);
    TesseractEngine.packBits(new OcrImage(px, 11, 2, 300, true), out, 2);
    assertThat(out.remaining()).isEqualTo(4);
    assertThat(out.get(0) & 0xFF).isEqualTo(0b0110_0001);
    assertThat(out.get(1) & 0xFF).isEqualTo(0b1010_0000);
    assertThat(out.get(2) & 0xFF).isEqualTo(0b1111_1111);
    assertThat(out.get(3) & 0xFF).isEqualTo(0b0100_0000);
    // a region: row 1 from column 3, 8 wide
    out.clear();
    TesseractEngine.packBits(
        new OcrImage(px, 11, 2, 300, true).region(new BoundingBox(3, 1, 8, 1)), out, 1);
    assertThat(out.remaining()).isEqualTo(1);
    assertThat(out.get(0) & 0xFF).isEqualTo(0b1111_1010);
    // both rows from column 1, 10 wide: each row starts a page row further on, the last byte is
    // partial
    out.clear();
    TesseractEngine.packBits(
        new OcrImage(px, 11, 2, 300, true).region(new BoundingBox(1, 0, 10, 2)), out, 2);
    assertThat(out.remaining()).isEqualTo(4);
    assertThat(out.get(0) & 0xFF).isEqualTo(0b1100_0011);
    assertThat(out.get(1) & 0xFF).isEqualTo(0b0100_0000);
    assertThat(out.get(2) & 0xFF).isEqualTo(0b1111_1110);
    assertThat(out.get(3) & 0xFF).isEqualTo(0b1000_0000);
  }
}
