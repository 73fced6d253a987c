package io.mmflow.operators.preprocess.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.mmflow.core.model.BoundingBox;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OcrPreprocessorTest {

  /** A skewed, noisy, low-contrast page: ink 95, paper 165, noise, 3.5 degrees. */
  private static GrayImage degradedPage() {
    GrayImage clean = Deskew.rotate(OcrTestImages.textPage(1200, 900, 40, 14), 3.5);
    Random random = new Random(15);
    byte[] pixels = new byte[clean.pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      double v = 95 + 70 * (clean.pixels[i] & 0xFF) / 255.0 + random.nextGaussian() * 8;
      pixels[i] = (byte) Math.max(0, Math.min(255, Math.round(v)));
    }
    return new GrayImage(clean.width, clean.height, pixels);
  }

  @Test
  void noneLeavesPixelsUnchanged() {
    GrayImage page = degradedPage();
    byte[] before = page.pixels.clone();

    OcrPreprocessing.Result result = OcrPreprocessing.none().apply(page, 300);

    assertThat(result.image()).isSameAs(page);
    assertThat(result.image().pixels).isEqualTo(before);
    assertThat(result.steps()).isEqualTo("none");
    assertThat(result.skewDegrees()).isZero();
    assertThat(result.twoLevel()).isFalse();
    assertThat(result.content()).isEqualTo(ContentCrop.whole(page.width, page.height));
  }

  @Test
  void defaultsCleanADegradedPageAndKeepItsSize() {
    GrayImage page = degradedPage();

    OcrPreprocessing.Result result = OcrPreprocessing.defaults().apply(page, 300);

    assertThat(OcrPreprocessing.defaults().targetDpi()).isZero();
    assertThat(result.image().width).isEqualTo(page.width);
    assertThat(result.image().height).isEqualTo(page.height);
    assertThat(result.dpi()).isEqualTo(300);
    assertThat(result.skewDegrees()).isCloseTo(3.5, within(0.3));
    assertThat(result.steps())
        .isEqualTo(
            "contrast,denoise,deskew:3.50,sauvola:25,crop:"
                    .replace(
                        "3.50", String.format(java.util.Locale.ROOT, "%.2f", result.skewDegrees()))
                + ContentCrop.describe(result.content()));
    // the margins are cut, and every black pixel of the result is inside what Tesseract gets
    BoundingBox box = result.content();
    assertThat(ContentCrop.isWhole(box, page.width, page.height)).isFalse();
    for (int y = 0; y < page.height; y++) {
      for (int x = 0; x < page.width; x++) {
        if (result.image().pixels[y * page.width + x] == 0) {
          assertThat(x).isBetween(box.x(), box.x() + box.width() - 1);
          assertThat(y).isBetween(box.y(), box.y() + box.height() - 1);
        }
      }
    }
    // binary, mostly paper, with text left, and straight
    assertThat(OcrTestImages.isBinary(result.image())).isTrue();
    assertThat(result.twoLevel()).isTrue();
    double black = OcrTestImages.blackFraction(result.image());
    assertThat(black).isBetween(0.02, 0.3);
    assertThat(Deskew.estimateAngle(result.image(), 10, 0.1)).isCloseTo(0, within(0.3));
    // the input is left alone
    assertThat(OcrTestImages.isBinary(page)).isFalse();
  }

  @Test
  void theChainGivesWhatItsStepsGiveOneByOne() {
    // the chain hands each step the histogram the step before knew; run alone, each step counts
    // its own: the pixels, the skew and the threshold must be the same either way
    GrayImage page = degradedPage();
    OcrPreprocessing config =
        OcrPreprocessing.builder().denoise(false).binarization(OcrPreprocessing.OTSU).build();

    OcrPreprocessing.Result result = config.apply(page, 300);

    GrayImage stretched = Contrast.normalize(page);
    double skew = Deskew.estimateAngle(stretched, config.maxSkewDegrees());
    GrayImage straight = Deskew.rotate(stretched, -skew, Deskew.backgroundLevel(stretched));
    assertThat(result.skewDegrees()).isEqualTo(skew);
    assertThat(result.image().pixels).isEqualTo(Binarization.otsu(straight).pixels);
    assertThat(result.steps())
        .startsWith("contrast,deskew:")
        .endsWith(",otsu,crop:" + ContentCrop.describe(result.content()));
  }

  @Test
  void theCropOfAGrayPageHoldsEveryDarkPixel() {
    // the job's default chain leaves the page gray (Tesseract binarizes): the box, found with the
    // histogram counted before the rotation, still takes in every pixel darker than mid-gray
    GrayImage page = Deskew.rotate(OcrTestImages.textPage(1200, 900, 40, 14), 3.5);
    OcrPreprocessing config =
        OcrPreprocessing.builder().denoise(false).binarization(OcrPreprocessing.NONE).build();

    OcrPreprocessing.Result result = config.apply(page, 300);

    assertThat(result.steps()).contains("deskew:");
    BoundingBox box = result.content();
    assertThat(ContentCrop.isWhole(box, page.width, page.height)).isFalse();
    assertThat(result.steps()).endsWith(",crop:" + ContentCrop.describe(box));
    int dark = 0;
    for (int y = 0; y < page.height; y++) {
      for (int x = 0; x < page.width; x++) {
        if ((result.image().pixels[y * page.width + x] & 0xFF) < 128) {
          dark++;
          assertThat(x).isBetween(box.x() + 10, box.x() + box.width() - 11);
          assertThat(y).isBetween(box.y() + 10, box.y() + box.height() - 11);
        }
      }
    }
    assertThat(dark).isGreaterThan(10_000);
  }

  @Test
  void cropOffGivesTheWholePage() {
    GrayImage page = degradedPage();

    OcrPreprocessing.Result result =
        OcrPreprocessing.builder().crop(false).build().apply(page, 300);

    assertThat(result.content()).isEqualTo(ContentCrop.whole(page.width, page.height));
    assertThat(result.steps()).doesNotContain("crop");
  }

  @Test
  void rescalesEveryPageToTheTargetResolutionWhenAskedTo() {
    GrayImage page = OcrTestImages.textPage(600, 400, 20, 16);
    OcrPreprocessing config =
        OcrPreprocessing.none().toBuilder().targetDpi(300).binarization("Otsu").build();

    OcrPreprocessing.Result result = config.apply(page, 150);

    assertThat(result.image().width).isEqualTo(1200);
    assertThat(result.image().height).isEqualTo(800);
    assertThat(result.dpi()).isEqualTo(300);
    assertThat(result.steps()).isEqualTo("scale:150>300,otsu");
    assertThat(OcrTestImages.isBinary(result.image())).isTrue();
    // unknown resolution: no rescaling
    assertThat(config.apply(page, 0).image().width).isEqualTo(600);
  }

  @Test
  void enlargesALowResolutionPageOnlyWhenItsTextIsSmall() {
    OcrPreprocessing config =
        OcrPreprocessing.none().toBuilder().targetDpi(300).upscaleBelowPitchPx(20).build();
    // lines 30 px apart at 150 DPI: Tesseract reads them as they are
    GrayImage large = OcrTestImages.textPage(600, 800, 20, 17);
    OcrPreprocessing.Result kept = config.apply(large, 150);
    assertThat(kept.image()).isSameAs(large);
    assertThat(kept.dpi()).isEqualTo(150);
    assertThat(kept.steps()).isEqualTo("scale:kept 150 (lines 30 px)");
    // lines 15 px apart: enlarged to 300 DPI
    GrayImage small = OcrTestImages.textPage(600, 800, 10, 18);
    OcrPreprocessing.Result enlarged = config.apply(small, 150);
    assertThat(enlarged.image().width).isEqualTo(1200);
    assertThat(enlarged.dpi()).isEqualTo(300);
    assertThat(enlarged.steps()).isEqualTo("scale:150>300");
    // no lines to measure: enlarged, as before the measurement existed
    byte[] blank = new byte[600 * 800];
    java.util.Arrays.fill(blank, (byte) 255);
    assertThat(config.apply(new GrayImage(600, 800, blank), 150).dpi()).isEqualTo(300);
    // a page of higher resolution is reduced whatever its text
    OcrPreprocessing.Result reduced = config.apply(large, 600);
    assertThat(reduced.image().width).isEqualTo(300);
    assertThat(reduced.steps()).isEqualTo("scale:600>300");
  }

  @Test
  void sauvolaWindowScalesWithResolution() {
    assertThat(OcrPreprocessor.sauvolaWindow(300)).isEqualTo(25);
    assertThat(OcrPreprocessor.sauvolaWindow(600)).isEqualTo(51);
    assertThat(OcrPreprocessor.sauvolaWindow(150)).isEqualTo(13);
    assertThat(OcrPreprocessor.sauvolaWindow(10)).isEqualTo(3);
  }

  @Test
  void configurationIsValidatedAndSerializable() throws Exception {
    assertThatThrownBy(() -> OcrPreprocessing.builder().binarization("niblack").build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OcrPreprocessing.builder().maxSkewDegrees(0).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OcrPreprocessing.builder().targetDpi(-1).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OcrPreprocessing.builder().upscaleBelowPitchPx(-1).build())
        .isInstanceOf(IllegalArgumentException.class);

    OcrPreprocessing config = OcrPreprocessing.builder().denoise(false).targetDpi(200).build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(config); // shipped inside Flink functions
    }
    OcrPreprocessing copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (OcrPreprocessing) in.readObject();
    }
    assertThat(copy).isEqualTo(config);
    assertThat(copy.denoise()).isFalse();
    assertThat(copy.binarization()).isEqualTo(OcrPreprocessing.SAUVOLA);
  }
}
