package io.mmflow.operators.preprocess.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.core.model.BoundingBox;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ContentCropTest {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private static final int W = 2550;
  private static final int H = 1800;

  /** A white 300-DPI page with the given strings drawn at (x, baseline y) in gray {@code ink}. */
  private static GrayImage page(int ink, Object... textXY) {
    BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    g.setColor(new Color(ink, ink, ink));
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setFont(new Font("DejaVu Serif", Font.PLAIN, 42)); // 10 pt at 300 DPI
    for (int i = 0; i < textXY.length; i += 3) {
      g.drawString((String) textXY[i], (Integer) textXY[i + 1], (Integer) textXY[i + 2]);
    }
    g.dispose();
    return GrayImage.from(image);
  }

  /** Gaussian noise of sigma 25, then 1% salt-and-pepper: the generator's "noise" condition. */
  private static GrayImage noisy(GrayImage in, long seed) {
    Random random = new Random(seed);
    byte[] out = new byte[in.pixels.length];
    for (int i = 0; i < out.length; i++) {
      double v = (in.pixels[i] & 0xFF) + random.nextGaussian() * 25;
      double u = random.nextDouble();
      if (u < 0.005) {
        v = 0;
      } else if (u < 0.01) {
        v = 255;
      }
      out[i] = (byte) Math.max(0, Math.min(255, Math.round(v)));
    }
    return new GrayImage(in.width, in.height, out);
  }

  /** The exact bounding box of pixels darker than {@code level}: {left, top, right, bottom}. */
  private static int[] inkBox(GrayImage image, int level) {
    int[] box = {image.width, image.height, -1, -1};
    for (int y = 0; y < image.height; y++) {
      for (int x = 0; x < image.width; x++) {
        if ((image.pixels[y * image.width + x] & 0xFF) < level) {
          box[0] = Math.min(box[0], x);
          box[1] = Math.min(box[1], y);
          box[2] = Math.max(box[2], x);
          box[3] = Math.max(box[3], y);
        }
      }
    }
    return box;
  }

  private static BoundingBox find(GrayImage image) {
    return ContentCrop.find(image, Contrast.histogram(image), 300);
  }

  /**
   * The box is the ink's to within a block (the blocks at its edges may hold too little ink to
   * count) and a border of {@code pad} px beyond: so every ink pixel is inside it with at least
   * {@code pad - block} px to spare, and it has no more than a block and the border besides.
   */
  private static void assertHolds(BoundingBox box, int[] ink, int pad, int block) {
    assertThat(box.x()).isBetween(ink[0] - pad - block, ink[0] - pad + block);
    assertThat(box.y()).isBetween(ink[1] - pad - block, ink[1] - pad + block);
    assertThat(box.x() + box.width()).isBetween(ink[2] + 1 + pad - block, ink[2] + 1 + pad + block);
    assertThat(box.y() + box.height())
        .isBetween(ink[3] + 1 + pad - block, ink[3] + 1 + pad + block);
  }

  private static void assertHolds(BoundingBox box, int[] ink) {
    assertHolds(box, ink, 30, 16);
  }

  @Test
  void aParagraphWithMarginsIsCutToItsInkAndABorder() {
    GrayImage page =
        page(
            0,
            "Payment of 629.68 EUR is due by 7 October 2025;",
            300,
            500,
            "please quote reference REF/473153 with it.",
            300,
            560);

    BoundingBox box = find(page);

    assertHolds(box, inkBox(page, 128));
    assertThat((double) box.width() * box.height() / (W * H)).isLessThan(0.2);
  }

  @Test
  void aWordFarFromTheRestIsKept() {
    // a page number in the bottom right corner widens the box to take it in
    GrayImage page = page(0, "Summary of the quarter", 400, 300, "12", 2300, 1700);

    BoundingBox box = find(page);

    assertHolds(box, inkBox(page, 128));
  }

  @Test
  void aLoneSmallMarkIsKeptWhereverItFallsOnTheGrid() {
    // a stroke of an "l" or a "1" at 7 pt (2 x 24 px) and a hyphen (12 x 4 px), each alone far
    // below a paragraph, at every offset within 16 px (a window's side): always inside the box,
    // also where the mark straddles the corner of four cells
    GrayImage base = page(0, "Summary of the quarter", 400, 300);
    for (int[] mark : new int[][] {{2, 24}, {12, 4}}) {
      for (int dx = 0; dx < 16; dx++) {
        for (int dy = 0; dy < 16; dy++) {
          GrayImage page = base.copy();
          int x0 = 1200 + dx;
          int y0 = 1500 + dy;
          for (int y = y0; y < y0 + mark[1]; y++) {
            for (int x = x0; x < x0 + mark[0]; x++) {
              page.pixels[y * W + x] = 0;
            }
          }

          BoundingBox box = find(page);

          assertThat(box.y() + box.height())
              .as("mark %sx%s at +%s+%s", mark[0], mark[1], dx, dy)
              .isGreaterThanOrEqualTo(y0 + mark[1] + 14);
          assertThat(box.x() + box.width())
              .as("mark %sx%s at +%s+%s", mark[0], mark[1], dx, dy)
              .isGreaterThanOrEqualTo(x0 + mark[0] + 14);
        }
      }
    }
  }

  @Test
  void faintTextIsContentToo() {
    // gray 150 beside black: darker than halfway between Otsu's threshold and the paper
    GrayImage page = page(0, "Dark heading", 400, 300);
    GrayImage faint = page(150, "a faint note in the margin", 400, 1500);
    byte[] both = page.pixels.clone();
    for (int i = 0; i < both.length; i++) {
      both[i] = (byte) Math.min(both[i] & 0xFF, faint.pixels[i] & 0xFF);
    }
    GrayImage combined = new GrayImage(W, H, both);

    BoundingBox box = find(combined);

    assertThat(box.y() + box.height()).isGreaterThan(inkBox(faint, 200)[3] + 14);
  }

  @Test
  void specksOfNoiseAreNotContent() {
    GrayImage text = page(0, "Revenue in quarter 3 rose by 17%.", 600, 800);
    GrayImage page = noisy(text, 3);

    BoundingBox box = find(page);

    // the box is the text's (measured on the clean page), not the specks' all over the page
    assertHolds(box, inkBox(text, 128));
  }

  @Test
  void aPageOfNoiseOnlyOrNothingIsLeftWhole() {
    // and the steps name a box as WxH+X+Y, as docs/schema.md says
    assertThat(ContentCrop.describe(new BoundingBox(269, 262, 1996, 707)))
        .isEqualTo("1996x707+269+262");
    GrayImage blank = GrayImage.filled(W, H, 255);
    assertThat(find(blank)).isEqualTo(ContentCrop.whole(W, H));
    assertThat(ContentCrop.isWhole(find(noisy(blank, 5)), W, H)).isTrue();
  }

  @Test
  void inkOnlyInTheLastPartialBlockIsFound() {
    // 1010 rows: the last band of blocks is 2 rows high (1008..1009) and is all the ink there is
    byte[] px = new byte[1000 * 1010];
    java.util.Arrays.fill(px, (byte) 255);
    for (int y = 1008; y < 1010; y++) {
      for (int x = 500; x < 540; x++) {
        px[y * 1000 + x] = 0;
      }
    }
    GrayImage page = new GrayImage(1000, 1010, px);

    BoundingBox box = find(page);

    assertThat(box.y() + box.height()).isEqualTo(1010);
    assertThat(box.y()).isBetween(1008 - 30 - 16, 1008 - 30);
    assertThat(box.x()).isBetween(500 - 30 - 16, 500 - 30);
    assertThat(box.x() + box.width()).isBetween(540 + 30, 540 + 30 + 16);
  }

  @Test
  void aFullPageIsLeftWhole() {
    // text from edge to edge: a box saving under 5% of the pixels is not worth a region
    GrayImage page = OcrTestImages.textPage(1200, 900, 40, 14);
    byte[] px = page.pixels.clone();
    for (int x = 0; x < 1200; x++) {
      px[5 * 1200 + x] = 0; // a rule along the top
      px[894 * 1200 + x] = 0; // and the bottom
    }
    for (int y = 0; y < 900; y++) {
      px[y * 1200 + 5] = 0;
      px[y * 1200 + 1194] = 0;
    }

    GrayImage ruled = new GrayImage(1200, 900, px);

    assertThat(find(ruled)).isEqualTo(ContentCrop.whole(1200, 900));
  }

  @Test
  void blocksAndBorderScaleWithTheResolution() {
    // the same paragraph at 150 DPI: blocks of 8 px, a border of 15 px
    GrayImage page = page(0, "Order PO-63317 contains 36 items.", 300, 500);
    GrayImage half = Scaling.toDpi(page, 300, 150);

    BoundingBox box = ContentCrop.find(half, Contrast.histogram(half), 150);

    assertHolds(box, inkBox(half, 128), 15, 8);
  }
}
