package io.mmflow.operators.preprocess.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.operators.preprocess.document.PdfPages;
import io.mmflow.operators.preprocess.image.ImagePages;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;

class PageSplittersTest {
  static final PageLimits LIMITS =
      new PageLimits(5, 50_000_000L, 150, 300, 16, Duration.ofSeconds(30));

  static byte[] pdf(int pages, boolean withText, String password) throws IOException {
    try (PDDocument doc = new PDDocument()) {
      for (int i = 0; i < pages; i++) {
        PDPage page = new PDPage();
        doc.addPage(page);
        if (withText) {
          try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
            cs.beginText();
            cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
            cs.newLineAtOffset(72, 700);
            cs.showText("Page " + (i + 1) + " has a text layer long enough to keep.");
            cs.endText();
          }
        }
      }
      if (password != null) {
        doc.protect(new StandardProtectionPolicy("owner", password, new AccessPermission()));
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      return out.toByteArray();
    }
  }

  @Test
  void pdfPagesKeepTheirTextLayerOrAreRenderedForOcr() throws Exception {
    List<Page> text = new ArrayList<>();
    assertThat(PdfPages.split(pdf(2, true, null), LIMITS, text::add)).isEqualTo(2);
    assertThat(text).extracting(Page::number).containsExactly(1, 2);
    assertThat(text.get(1).textLayer()).isEqualTo("Page 2 has a text layer long enough to keep.");
    assertThat(text.get(1).image()).isNull();

    List<Page> scans = new ArrayList<>();
    PdfPages.split(pdf(1, false, null), LIMITS, scans::add);
    Page scan = scans.get(0);
    assertThat(scan.textLayer()).isNull();
    assertThat(scan.dpi()).isEqualTo(150);
    // US letter at 150 DPI
    assertThat(scan.image().getWidth()).isEqualTo(1275);
    assertThat(scan.image().getHeight()).isBetween(1649, 1650);
  }

  @Test
  void pdfLimitsAndFailures() throws Exception {
    assertThatThrownBy(() -> PdfPages.split(pdf(6, true, null), LIMITS, p -> {}))
        .isInstanceOf(MmflowException.class)
        .hasMessage("the PDF has 6 pages, over the limit of 5 (mmflow.ocr.max-pages)")
        .satisfies(
            e -> assertThat(((MmflowException) e).code()).isEqualTo(ErrorCode.PAGE_LIMIT_EXCEEDED));
    assertThatThrownBy(() -> PdfPages.split(pdf(1, true, "pw"), LIMITS, p -> {}))
        .satisfies(
            e -> assertThat(((MmflowException) e).code()).isEqualTo(ErrorCode.ENCRYPTED_INPUT));
    PageLimits hasty = new PageLimits(5, 50_000_000L, 150, 300, 16, Duration.ofNanos(1));
    byte[] doc = pdf(3, true, null);
    assertThatThrownBy(() -> PdfPages.split(doc, hasty, p -> {}))
        .hasMessageEndingWith("took longer than PT0.000000001S")
        .satisfies(
            e -> assertThat(((MmflowException) e).code()).isEqualTo(ErrorCode.PARSE_TIMEOUT));
    PageLimits tiny = new PageLimits(5, 1_000_000L, 150, 300, 16, Duration.ofSeconds(30));
    List<Page> pages = new ArrayList<>();
    PdfPages.split(pdf(1, false, null), tiny, pages::add);
    assertThat(pages.get(0).error().code()).isEqualTo(ErrorCode.PIXEL_LIMIT_EXCEEDED);
  }

  static BufferedImage gray(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.dispose();
    return img;
  }

  @Test
  void tiffFramesArePagesAndPngResolutionIsRead() throws Exception {
    ImageWriter tiff = ImageIO.getImageWritersByFormatName("tiff").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      tiff.setOutput(out);
      tiff.prepareWriteSequence(null);
      for (int i = 0; i < 3; i++) {
        tiff.writeToSequence(new IIOImage(gray(100 + i, 50), null, null), null);
      }
      tiff.endWriteSequence();
    }
    List<Page> frames = new ArrayList<>();
    assertThat(ImagePages.split(bytes.toByteArray(), LIMITS, frames::add)).isEqualTo(3);
    assertThat(frames).extracting(p -> p.image().getWidth()).containsExactly(100, 101, 102);

    List<Page> png = new ArrayList<>();
    ImagePages.split(pngWithDpi(gray(64, 32), 200), LIMITS, png::add);
    assertThat(png.get(0).dpi()).isEqualTo(200);
    List<Page> plain = new ArrayList<>();
    ByteArrayOutputStream noDpi = new ByteArrayOutputStream();
    ImageIO.write(gray(64, 32), "png", noDpi);
    ImagePages.split(noDpi.toByteArray(), LIMITS, plain::add);
    assertThat(plain.get(0).dpi()).isEqualTo(300);
  }

  @Test
  void pixelLimitIsCheckedBeforeDecoding() throws Exception {
    ByteArrayOutputStream big = new ByteArrayOutputStream();
    ImageIO.write(gray(2000, 1000), "png", big);
    PageLimits small = new PageLimits(5, 1_000_000L, 150, 300, 16, Duration.ofSeconds(30));
    assertThatThrownBy(() -> ImagePages.split(big.toByteArray(), small, p -> {}))
        .hasMessage("page 1 is 2000x1000 pixels, over the limit of 1000000 (mmflow.ocr.max-pixels)")
        .satisfies(
            e ->
                assertThat(((MmflowException) e).code()).isEqualTo(ErrorCode.PIXEL_LIMIT_EXCEEDED));
    // A header that claims 50000x50000 pixels over pixel data that is garbage: decoding it would
    // fail as corrupt input, so only a check made from the header gives the pixel-limit code.
    assertThatThrownBy(
            () -> ImagePages.split(pngHeaderOverGarbage(50_000, 50_000), LIMITS, p -> {}))
        .hasMessageStartingWith("page 1 is 50000x50000 pixels")
        .satisfies(
            e ->
                assertThat(((MmflowException) e).code()).isEqualTo(ErrorCode.PIXEL_LIMIT_EXCEEDED));
    assertThatThrownBy(() -> ImagePages.split(new byte[] {1, 2, 3, 4}, LIMITS, p -> {}))
        .satisfies(
            e ->
                assertThat(((MmflowException) e).code())
                    .isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE));
  }

  static byte[] pngHeaderOverGarbage(int width, int height) throws IOException {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height);
    ihdr.put(new byte[] {8, 0, 0, 0, 0}); // 8-bit grayscale
    chunk(png, "IHDR", ihdr.array());
    byte[] garbage = new byte[256];
    new java.util.Random(1).nextBytes(garbage);
    chunk(png, "IDAT", garbage);
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data)
      throws IOException {
    java.io.DataOutputStream d = new java.io.DataOutputStream(out);
    d.writeInt(data.length);
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    d.write(t);
    d.write(data);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(t);
    crc.update(data);
    d.writeInt((int) crc.getValue());
  }

  static byte[] pngWithDpi(BufferedImage image, int dpi) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    IIOMetadata metadata =
        writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
    String perMetre = Integer.toString((int) Math.round(dpi / 0.0254));
    IIOMetadataNode phys = new IIOMetadataNode("pHYs");
    phys.setAttribute("pixelsPerUnitXAxis", perMetre);
    phys.setAttribute("pixelsPerUnitYAxis", perMetre);
    phys.setAttribute("unitSpecifier", "meter");
    IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
    root.appendChild(phys);
    metadata.mergeTree("javax_imageio_png_1.0", root);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, metadata), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
