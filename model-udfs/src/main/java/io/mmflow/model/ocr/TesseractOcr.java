package io.mmflow.model.ocr;

import static java.util.Objects.requireNonNull;

import io.mmflow.model.ModelInfo;
import io.mmflow.model.ModelRuntime;

/**
 * OCR with Tesseract through Tess4J. Holds one engine, reused across pages and recreated after
 * {@link OcrSettings#recyclePages()} pages so that Tesseract's native memory stays bounded over
 * millions of pages. Not thread-safe: one per thread (Flink: one per operator instance).
 *
 * <p>Set {@code OMP_THREAD_LIMIT=1} in the environment of the JVM ({@code bin/mmflow} and the test
 * build do): parallelism comes from Flink's slots, and OpenMP threads inside each engine would only
 * compete for the same cores.
 */
public final class TesseractOcr implements ModelRuntime<OcrImage, OcrPage> {
  private final OcrSettings settings;
  private final ModelInfo info;
  private TesseractEngine engine;
  private TesseractEngine osdEngine;
  private int pagesOnEngine;
  private long enginesCreated;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TesseractOcr.class);

  public TesseractOcr(OcrSettings settings) {
    this.settings = requireNonNull(settings, "settings is null");
    if (!"1".equals(System.getenv("OMP_THREAD_LIMIT"))) {
      LOG.warn(
          "OMP_THREAD_LIMIT is not 1: each Tesseract engine may start OpenMP threads that compete"
              + " with Flink's slots (measured 5x slower on 2 cores); set OMP_THREAD_LIMIT=1");
    }
    this.engine = new TesseractEngine(settings);
    this.enginesCreated = 1;
    this.info =
        new ModelInfo("tesseract", "tesseract-" + settings.language(), TessApis.API.TessVersion());
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  /** Recognizes a page as it is. */
  @Override
  public OcrPage apply(OcrImage image) {
    return recognize(image, 0);
  }

  /** Recognizes a page that the caller already turned by {@code rotation} quarter turns. */
  public OcrPage recognize(OcrImage image, int rotation) {
    recycleIfDue();
    pagesOnEngine++;
    return engine.recognize(image, rotation);
  }

  /** Clockwise quarter turns that make the page upright, or -1 when OSD cannot tell. */
  public int detectOrientation(OcrImage image) {
    if (!settings.hasOsd()) {
      return -1;
    }
    recycleIfDue();
    if (osdEngine == null) {
      osdEngine =
          new TesseractEngine(
              new OcrSettings(
                  settings.tessdata(),
                  "osd",
                  0,
                  settings.entityLevel(),
                  settings.recyclePages(),
                  settings.orientation()));
    }
    pagesOnEngine++;
    return osdEngine.detectOrientation(image);
  }

  /** How many engines this runtime has created (1 + recycles); for tests and metrics. */
  public long enginesCreated() {
    return enginesCreated;
  }

  private void recycleIfDue() {
    if (pagesOnEngine >= settings.recyclePages()) {
      engine.close();
      if (osdEngine != null) {
        osdEngine.close();
        osdEngine = null;
      }
      engine = new TesseractEngine(settings);
      enginesCreated++;
      pagesOnEngine = 0;
    }
  }

  @Override
  public void close() {
    if (engine != null) {
      engine.close();
      engine = null;
    }
    if (osdEngine != null) {
      osdEngine.close();
      osdEngine = null;
    }
  }
}
