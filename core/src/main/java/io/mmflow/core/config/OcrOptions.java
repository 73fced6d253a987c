package io.mmflow.core.config;

import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Pages, OCR with Tesseract, and OCR preprocessing. */
public final class OcrOptions {
  public enum EntityLevel {
    WORD,
    LINE
  }

  public enum Orientation {
    /** Take pages as they are. */
    OFF,
    /** Tesseract's orientation and script detection (needs osd.traineddata). */
    OSD,
    /** OSD where its data exists, else the best of 0/90/180/270 by OCR confidence. */
    AUTO
  }

  public enum Binarization {
    NONE,
    OTSU,
    SAUVOLA
  }

  public static final ConfigOption<Boolean> ENABLED =
      ConfigOptions.key("mmflow.ocr.enabled")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "OCR scanned PDF pages and images; when off, they become dead letters MMF-1003.");

  public static final ConfigOption<String> LANGUAGE =
      ConfigOptions.key("mmflow.ocr.language")
          .stringType()
          .defaultValue("eng")
          .withDescription(
              "Tesseract language(s), e.g. eng or eng+deu; their traineddata must exist.");

  public static final ConfigOption<Integer> PAGE_SEGMENTATION_MODE =
      ConfigOptions.key("mmflow.ocr.page-segmentation-mode")
          .intType()
          .defaultValue(3)
          .withDescription(
              "Tesseract page segmentation mode (0-13): 3 fully automatic (its CLI default), 6 one"
                  + " uniform block of text, 4 one column of varied sizes.");

  public static final ConfigOption<EntityLevel> ENTITY_LEVEL =
      ConfigOptions.key("mmflow.ocr.entity-level")
          .enumType(EntityLevel.class)
          .defaultValue(EntityLevel.WORD)
          .withDescription(
              "Entities of an OCR result: one per word or one per line, with box and confidence.");

  public static final ConfigOption<String> TESSDATA =
      ConfigOptions.key("mmflow.ocr.tessdata")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Folder of *.traineddata; defaults to $TESSDATA_PREFIX, else"
                  + " /usr/share/tesseract-ocr/5/tessdata (Debian's tesseract-ocr).");

  public static final ConfigOption<Integer> ENGINE_RECYCLE_PAGES =
      ConfigOptions.key("mmflow.ocr.engine-recycle-pages")
          .intType()
          .defaultValue(500)
          .withDescription(
              "Recreate a Tesseract engine after this many pages, to bound its native memory.");

  public static final ConfigOption<Integer> RENDER_DPI =
      ConfigOptions.key("mmflow.ocr.render-dpi")
          .intType()
          .defaultValue(300)
          .withDescription(
              "Resolution at which PDF pages without a usable text layer are rendered.");

  public static final ConfigOption<Integer> DEFAULT_IMAGE_DPI =
      ConfigOptions.key("mmflow.ocr.default-image-dpi")
          .intType()
          .defaultValue(300)
          .withDescription("Resolution assumed for images that do not record one.");

  public static final ConfigOption<Integer> MIN_TEXT_LAYER_CHARS =
      ConfigOptions.key("mmflow.ocr.min-text-layer-chars")
          .intType()
          .defaultValue(16)
          .withDescription(
              "A PDF page whose text layer has fewer letters and digits than this is OCR'd.");

  public static final ConfigOption<Integer> MAX_PAGES =
      ConfigOptions.key("mmflow.ocr.max-pages")
          .intType()
          .defaultValue(2000)
          .withDescription("Documents with more pages become dead letters MMF-1007.");

  public static final ConfigOption<Long> MAX_PIXELS =
      ConfigOptions.key("mmflow.ocr.max-pixels")
          .longType()
          .defaultValue(120_000_000L)
          .withDescription(
              "Images (or rendered pages) with more pixels become dead letters MMF-1008; guards"
                  + " against decompression bombs. Checked from the header, before decoding.");

  public static final ConfigOption<Orientation> ORIENTATION =
      ConfigOptions.key("mmflow.ocr.orientation")
          .enumType(Orientation.class)
          .defaultValue(Orientation.OFF)
          .withDescription(
              "Page orientation: off, osd (Tesseract OSD), or auto (OSD where its data exists, else"
                  + " 0/90/180/270 by OCR confidence). Costs one more pass per page.");

  public static final ConfigOption<Boolean> EMBEDDED_IMAGES =
      ConfigOptions.key("mmflow.ocr.embedded-images")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "OCR the images embedded in office files, e-mails and other Tika-parsed documents"
                  + " (a scanned receipt pasted into a DOCX): their text is appended to the"
                  + " document's and each image gets a result of its own (part i<n>). False keeps"
                  + " only the text layer.");

  public static final ConfigOption<Long> EMBEDDED_MIN_PIXELS =
      ConfigOptions.key("mmflow.ocr.embedded-min-pixels")
          .longType()
          .defaultValue(40_000L)
          .withDescription("Smaller embedded images (icons, logos, bullets) are not OCR'd.");

  public static final ConfigOption<Integer> EMBEDDED_MAX_IMAGES =
      ConfigOptions.key("mmflow.ocr.embedded-max-images")
          .intType()
          .defaultValue(50)
          .withDescription(
              "Most embedded images OCR'd per document; the rest are counted in the attribute"
                  + " embedded_images_skipped.");

  public static final ConfigOption<Boolean> PRE_CONTRAST =
      ConfigOptions.key("mmflow.ocr.preprocess.contrast")
          .booleanType()
          .defaultValue(true)
          .withDescription("Stretch contrast between the 1st and 99th percentile of gray levels.");

  public static final ConfigOption<Binarization> PRE_BINARIZATION =
      ConfigOptions.key("mmflow.ocr.preprocess.binarization")
          .enumType(Binarization.class)
          .defaultValue(Binarization.NONE)
          .withDescription(
              "none (Tesseract binarizes itself, with Otsu), otsu, or sauvola (adaptive, for uneven light).");

  public static final ConfigOption<Boolean> PRE_DESKEW =
      ConfigOptions.key("mmflow.ocr.preprocess.deskew")
          .booleanType()
          .defaultValue(true)
          .withDescription("Estimate the skew angle by projection profiles and rotate it away.");

  public static final ConfigOption<Double> PRE_MAX_SKEW =
      ConfigOptions.key("mmflow.ocr.preprocess.max-skew-degrees")
          .doubleType()
          .defaultValue(10.0)
          .withDescription("Largest skew angle searched, in degrees either way.");

  public static final ConfigOption<Boolean> PRE_DENOISE =
      ConfigOptions.key("mmflow.ocr.preprocess.denoise")
          .booleanType()
          .defaultValue(false)
          .withDescription("3x3 median filter against salt-and-pepper noise.");

  public static final ConfigOption<Integer> PRE_TARGET_DPI =
      ConfigOptions.key("mmflow.ocr.preprocess.target-dpi")
          .intType()
          .defaultValue(300)
          .withDescription(
              "Rescale pages to this resolution before OCR; 0 keeps them as they are. Pages of"
                  + " higher resolution are reduced; pages of lower resolution are enlarged when"
                  + " their text is small (see upscale-below-line-pitch).");

  public static final ConfigOption<Integer> PRE_UPSCALE_BELOW_LINE_PITCH =
      ConfigOptions.key("mmflow.ocr.preprocess.upscale-below-line-pitch")
          .intType()
          .defaultValue(20)
          .withDescription(
              "Enlarge a page of lower resolution than target-dpi only when its text lines are"
                  + " less than this many pixels apart (measured on the page), or their spacing"
                  + " cannot be told; 0 enlarges every such page. Tesseract reads text of 14 px"
                  + " and more as well at its own size, and enlarging a page makes its OCR take"
                  + " about 1.5 times as long.");

  public static final ConfigOption<Boolean> PRE_CROP =
      ConfigOptions.key("mmflow.ocr.preprocess.crop")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "Give Tesseract only the page's content and a 0.1-inch white border, not its empty"
                  + " margins (the bounding box of its ink in windows of 1/19 inch; specks of noise"
                  + " do not count). Word boxes stay in the page's coordinates.");

  public static final ConfigOption<Boolean> PREPROCESS =
      ConfigOptions.key("mmflow.ocr.preprocess.enabled")
          .booleanType()
          .defaultValue(true)
          .withDescription("Master switch of OCR preprocessing (grayscale is always applied).");

  private OcrOptions() {}

  public static List<ConfigOption<?>> all() {
    return List.of(
        ENABLED,
        LANGUAGE,
        PAGE_SEGMENTATION_MODE,
        ENTITY_LEVEL,
        TESSDATA,
        ENGINE_RECYCLE_PAGES,
        RENDER_DPI,
        DEFAULT_IMAGE_DPI,
        MIN_TEXT_LAYER_CHARS,
        MAX_PAGES,
        MAX_PIXELS,
        ORIENTATION,
        EMBEDDED_IMAGES,
        EMBEDDED_MIN_PIXELS,
        EMBEDDED_MAX_IMAGES,
        PREPROCESS,
        PRE_CONTRAST,
        PRE_BINARIZATION,
        PRE_DESKEW,
        PRE_MAX_SKEW,
        PRE_DENOISE,
        PRE_TARGET_DPI,
        PRE_UPSCALE_BELOW_LINE_PITCH,
        PRE_CROP);
  }
}
