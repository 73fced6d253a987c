package io.mmflow.model.ocr;

import static io.mmflow.core.util.Checks.checkArgument;
import static io.mmflow.core.util.Checks.requireNonBlank;

import io.mmflow.core.config.OcrOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;

/**
 * How Tesseract runs; see {@link OcrOptions}.
 *
 * @param tessdata folder holding {@code <language>.traineddata}
 * @param language Tesseract language string, e.g. {@code eng+deu}
 * @param pageSegmentationMode Tesseract PSM, 0-13
 * @param entityLevel words or lines as entities
 * @param recyclePages engine recreated after this many pages
 * @param orientation orientation handling
 */
public record OcrSettings(
    String tessdata,
    String language,
    int pageSegmentationMode,
    OcrOptions.EntityLevel entityLevel,
    int recyclePages,
    OcrOptions.Orientation orientation)
    implements Serializable {

  /** Where Debian's tesseract-ocr-eng puts its data. */
  public static final String DEBIAN_TESSDATA = "/usr/share/tesseract-ocr/5/tessdata";

  public OcrSettings {
    requireNonBlank(tessdata, "tessdata");
    requireNonBlank(language, "OCR language");
    checkArgument(
        pageSegmentationMode >= 0 && pageSegmentationMode <= 13,
        "page segmentation mode must be in 0..13, but was: %s",
        pageSegmentationMode);
    checkArgument(recyclePages > 0, "engine recycle pages must be > 0: %s", recyclePages);
  }

  public static OcrSettings from(Configuration config) {
    String tessdata =
        config
            .getOptional(OcrOptions.TESSDATA)
            .orElseGet(
                () -> {
                  String env = System.getenv("TESSDATA_PREFIX");
                  return env != null && !env.isBlank() ? env : DEBIAN_TESSDATA;
                });
    return new OcrSettings(
        tessdata,
        config.get(OcrOptions.LANGUAGE),
        config.get(OcrOptions.PAGE_SEGMENTATION_MODE),
        config.get(OcrOptions.ENTITY_LEVEL),
        config.get(OcrOptions.ENGINE_RECYCLE_PAGES),
        config.get(OcrOptions.ORIENTATION));
  }

  /** Whether the traineddata of every language (and of OSD when asked for) is present. */
  public String missingData() {
    for (String lang : language.split("\\+")) {
      if (!Files.isRegularFile(Path.of(tessdata, lang + ".traineddata"))) {
        return Path.of(tessdata, lang + ".traineddata").toString();
      }
    }
    if (orientation == OcrOptions.Orientation.OSD && !hasOsd()) {
      return Path.of(tessdata, "osd.traineddata").toString();
    }
    return null;
  }

  /**
   * Fails with one line naming the missing file and the Debian package that provides it.
   *
   * @throws MmflowException {@link ErrorCode#CONFIGURATION_INVALID}
   */
  public void requireData() {
    String missing = missingData();
    if (missing != null) {
      String language = Path.of(missing).getFileName().toString().replace(".traineddata", "");
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "Tesseract data not found: "
              + missing
              + " (apt-get install tesseract-ocr tesseract-ocr-"
              + language
              + ", set mmflow.ocr.tessdata or TESSDATA_PREFIX, or run without OCR:"
              + " -D mmflow.ocr.enabled=false)");
    }
  }

  public boolean hasOsd() {
    return Files.isRegularFile(Path.of(tessdata, "osd.traineddata"));
  }
}
