package io.mmflow.model.ocr;

import net.sourceforge.tess4j.TessAPI;

/**
 * The Tesseract C API through Tess4J's interface mapping, which binds each function on first use.
 * (Tess4J's direct-mapped {@code TessAPI1} binds all of them when loaded and fails on Tesseract
 * 5.3, Debian 12's, which lacks some newer renderer functions.)
 */
final class TessApis {
  static final TessAPI API = TessAPI.INSTANCE;

  private TessApis() {}
}
