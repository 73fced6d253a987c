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

  /** A page drawn dark on white, encoded as JPEG 2000 by the jai-imageio writer. */
  static byte[] jpeg2000(int w, int h) throws IOException {
    BufferedImage img = gray(w, h);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.BLACK);
    g.fillRect(w / 4, h / 4, w / 2, h / 2);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(img, "jpeg2000", out)).as("a JPEG 2000 writer").isTrue();
    return out.toByteArray();
  }

  @Test
  void jpeg2000ScansInPdfsAndAsFilesAreDecodedNotBlank() throws Exception {
    byte[] jp2 = jpeg2000(400, 500);
    // a PDF page that is one JPXDecode image, as scanners write them
    byte[] scan = pageOfOneImage(jp2, org.apache.pdfbox.cos.COSName.JPX_DECODE, 400, 500, false);
    List<Page> pages = new ArrayList<>();
    PdfPages.split(scan, LIMITS, pages::add);
    assertThat(pages.get(0).error()).isNull();
    assertThat(darkShare(pages.get(0).image())).as("the scan's dark square").isBetween(0.15, 0.35);

    List<Page> file = new ArrayList<>();
    assertThat(ImagePages.TYPES).contains("image/jp2");
    ImagePages.split(jp2, LIMITS, file::add);
    assertThat(file.get(0).image().getWidth()).isEqualTo(400);
    assertThat(darkShare(file.get(0).image())).isBetween(0.2, 0.3);
  }

  @Test
  void aPageThatPassesTheTimeLimitFailsAloneAndTheOtherPagesAreKept() throws Exception {
    byte[] doc;
    try (PDDocument pdf = org.apache.pdfbox.Loader.loadPDF(pdf(3, true, null))) {
      // page 2: hundreds of thousands of tiny filled squares, seconds to read and render
      StringBuilder heavy = new StringBuilder(12_000_000);
      for (int i = 0; i < 600_000; i++) {
        heavy.append(i % 600).append(' ').append(i / 600 % 780).append(" 0.5 0.5 re f\n");
      }
      org.apache.pdfbox.pdmodel.common.PDStream stream =
          new org.apache.pdfbox.pdmodel.common.PDStream(pdf);
      try (java.io.OutputStream out = stream.createOutputStream()) {
        out.write(heavy.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      }
      pdf.getPage(1).setContents(stream);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      pdf.save(out);
      doc = out.toByteArray();
    }
    // half a second: pages with a text layer take milliseconds, the heavy one seconds
    PageLimits halfSecond = new PageLimits(5, 50_000_000L, 150, 300, 16, Duration.ofMillis(500));
    List<Page> pages = new ArrayList<>();
    assertThat(PdfPages.split(doc, halfSecond, pages::add)).isEqualTo(3);
    assertThat(pages).extracting(Page::number).containsExactly(1, 2, 3);
    assertThat(pages.get(0).textLayer()).startsWith("Page 1 has a text layer");
    assertThat(pages.get(2).textLayer()).startsWith("Page 3 has a text layer");
    assertThat(pages.get(1).error().code()).isEqualTo(ErrorCode.PARSE_TIMEOUT);
    assertThat(pages.get(1).error().getMessage())
        .startsWith("page 2 took longer than PT0.5S to read, twice (at 150 and 75 DPI)");
  }

  @Test
  void aPdfWithAnOwnerPasswordOnlyOpensAndOnlyAUserPasswordIsRefused() throws Exception {
    byte[] restricted;
    try (PDDocument doc = org.apache.pdfbox.Loader.loadPDF(pdf(1, true, null))) {
      AccessPermission noCopy = new AccessPermission();
      noCopy.setCanExtractContent(false);
      noCopy.setCanPrint(false);
      doc.protect(new StandardProtectionPolicy("owner-secret", "", noCopy));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      restricted = out.toByteArray();
    }
    List<Page> pages = new ArrayList<>();
    PdfPages.split(restricted, LIMITS, pages::add);
    assertThat(pages.get(0).textLayer()).isEqualTo("Page 1 has a text layer long enough to keep.");
    assertThatThrownBy(() -> PdfPages.split(pdf(1, true, "user-secret"), LIMITS, p -> {}))
        .satisfies(
            e -> assertThat(((MmflowException) e).code()).isEqualTo(ErrorCode.ENCRYPTED_INPUT));
  }

  /**
   * A JBIG2 stream as a PDF embeds it (no file header): a page information segment, one immediate
   * lossless generic region coded with MMR (ITU T.6, written here by the JDK's TIFF writer) and an
   * end of page. ITU T.88, 7.2 (segment header), 7.4.8 (page information), 7.4.6 (generic region).
   */
  static byte[] jbig2(int w, int h) throws IOException {
    BufferedImage bits = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY);
    Graphics2D g = bits.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.setColor(Color.BLACK);
    g.fillRect(w / 4, h / 4, w / 2, h / 2);
    g.dispose();
    byte[] mmr = g4Strip(bits);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream d = new java.io.DataOutputStream(out);
    // page information (type 48): size, resolution, flags, striping
    segmentHeader(d, 0, 48, 19);
    d.writeInt(w);
    d.writeInt(h);
    d.writeInt(0);
    d.writeInt(0);
    d.writeByte(0);
    d.writeShort(0);
    // immediate lossless generic region (type 39): region information, flags (MMR), data
    segmentHeader(d, 1, 39, 17 + 1 + mmr.length);
    d.writeInt(w);
    d.writeInt(h);
    d.writeInt(0);
    d.writeInt(0);
    d.writeByte(0);
    d.writeByte(1); // MMR
    d.write(mmr);
    // end of page (type 49)
    segmentHeader(d, 2, 49, 0);
    d.flush();
    return out.toByteArray();
  }

  private static void segmentHeader(java.io.DataOutputStream d, int number, int type, int length)
      throws IOException {
    d.writeInt(number);
    d.writeByte(type); // page association in one byte, not deferred
    d.writeByte(0); // refers to no segment
    d.writeByte(1); // page 1
    d.writeInt(length);
  }

  /** The one strip of a CCITT T.6 TIFF of {@code bits}: its MMR data. */
  private static byte[] g4Strip(BufferedImage bits) throws IOException {
    ImageWriter tiff = ImageIO.getImageWritersByFormatName("tiff").next();
    ImageWriteParam param = tiff.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionType("CCITT T.6");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      tiff.setOutput(out);
      tiff.write(null, new IIOImage(bits, null, null), param);
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes.toByteArray());
    b.order(b.get(0) == 'I' ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
    int ifd = b.getInt(4);
    int entries = b.getShort(ifd) & 0xFFFF;
    long offset = -1;
    long count = -1;
    for (int i = 0; i < entries; i++) {
      int e = ifd + 2 + i * 12;
      int tag = b.getShort(e) & 0xFFFF;
      int type = b.getShort(e + 2) & 0xFFFF;
      long n = b.getInt(e + 4);
      long value = type == 3 ? b.getShort(e + 8) & 0xFFFF : b.getInt(e + 8) & 0xFFFFFFFFL;
      if (tag == 273) {
        assertThat(n).as("one strip").isEqualTo(1);
        offset = value;
      } else if (tag == 279) {
        count = value;
      }
    }
    byte[] strip = new byte[(int) count];
    System.arraycopy(bytes.toByteArray(), (int) offset, strip, 0, strip.length);
    return strip;
  }

  @Test
  void jbig2ScansInPdfsAreDecodedNotBlank() throws Exception {
    byte[] jbig2 = jbig2(256, 128);
    byte[] scan = pageOfOneImage(jbig2, org.apache.pdfbox.cos.COSName.JBIG2_DECODE, 256, 128, true);
    List<Page> pages = new ArrayList<>();
    PdfPages.split(scan, LIMITS, pages::add);
    assertThat(pages.get(0).error()).isNull();
    // the square a quarter of the page (JBIG2's 1 is black: the square, or, read the other way
    // round, all but the square); a page that failed to decode renders blank
    double dark = darkShare(pages.get(0).image());
    assertThat(Math.min(dark, 1 - dark)).as("dark share %s", dark).isBetween(0.15, 0.35);
  }

  /**
   * A PDF of one page that is one image XObject: {@code data} as it is in the file, under {@code
   * filter} (JPXDecode, JBIG2Decode), as scanners write them.
   */
  static byte[] pageOfOneImage(
      byte[] data, org.apache.pdfbox.cos.COSName filter, int w, int h, boolean bilevel)
      throws IOException {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(new org.apache.pdfbox.pdmodel.common.PDRectangle(w, h));
      doc.addPage(page);
      org.apache.pdfbox.cos.COSStream stream = doc.getDocument().createCOSStream();
      try (java.io.OutputStream raw = stream.createRawOutputStream()) {
        raw.write(data);
      }
      stream.setItem(org.apache.pdfbox.cos.COSName.TYPE, org.apache.pdfbox.cos.COSName.XOBJECT);
      stream.setItem(org.apache.pdfbox.cos.COSName.SUBTYPE, org.apache.pdfbox.cos.COSName.IMAGE);
      stream.setItem(org.apache.pdfbox.cos.COSName.FILTER, filter);
      stream.setInt(org.apache.pdfbox.cos.COSName.WIDTH, w);
      stream.setInt(org.apache.pdfbox.cos.COSName.HEIGHT, h);
      if (bilevel) {
        stream.setInt(org.apache.pdfbox.cos.COSName.BITS_PER_COMPONENT, 1);
        stream.setItem(
            org.apache.pdfbox.cos.COSName.COLORSPACE, org.apache.pdfbox.cos.COSName.DEVICEGRAY);
      }
      var image =
          new org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject(
              new org.apache.pdfbox.pdmodel.common.PDStream(stream), null);
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        cs.drawImage(image, 0, 0, w, h);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      return out.toByteArray();
    }
  }

  /** The share of pixels darker than mid-grey. */
  static double darkShare(BufferedImage image) {
    long dark = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        int luma = ((rgb >> 16 & 0xFF) + (rgb >> 8 & 0xFF) + (rgb & 0xFF)) / 3;
        dark += luma < 128 ? 1 : 0;
      }
    }
    return (double) dark / ((long) image.getWidth() * image.getHeight());
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
