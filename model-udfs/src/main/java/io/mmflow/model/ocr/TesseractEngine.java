package io.mmflow.model.ocr;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import io.mmflow.core.config.OcrOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.BoundingBox;
import io.mmflow.core.model.Entity;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import net.sourceforge.tess4j.ITessAPI;
import net.sourceforge.tess4j.ITessAPI.TessBaseAPI;
import net.sourceforge.tess4j.ITessAPI.TessPageIterator;
import net.sourceforge.tess4j.ITessAPI.TessResultIterator;

/**
 * One Tesseract engine (a native {@code TessBaseAPI} handle) through Tess4J's binding of the C API.
 * One recognition pass gives the text and, from its result iterator, the words or lines with their
 * boxes and confidences.
 *
 * <p>Not thread-safe: Tesseract handles must not be shared. Use one per thread (one per operator
 * instance in Flink) and close it; {@link TesseractOcr} recreates it every few hundred pages.
 */
final class TesseractEngine implements AutoCloseable {
  private final OcrSettings settings;
  private TessBaseAPI handle;

  /**
   * The page's pixels for Tesseract, reused between pages (grown when a page is larger): a fresh
   * direct buffer per page costs an allocation and zeroing, and direct memory is only returned when
   * a garbage collection finds the old buffers (the JVM forces full collections when it runs
   * short). Tesseract copies the image in SetImage, so the buffer is free again after it.
   */
  private ByteBuffer pixels = ByteBuffer.allocateDirect(0);

  static {
    quietLeptonica();
  }

  /**
   * Leptonica, which Tesseract runs on, prints its own errors ("Error in pixScanForForeground:
   * invalid box") to the process's stderr: silenced, as Tesseract's are (the page's result says
   * what came of it). Through the loaded library's symbol, so that no lept4j binding of every
   * function has to match the installed version; without the symbol the messages stay.
   */
  private static void quietLeptonica() {
    try {
      com.sun.jna.NativeLibrary.getInstance(
              net.sourceforge.lept4j.util.LoadLibs.getLeptonicaLibName())
          .getFunction("setMsgSeverity")
          .invokeInt(new Object[] {net.sourceforge.lept4j.ILeptonica.L_SEVERITY_NONE});
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      // an older Leptonica: its messages reach stderr
    }
  }

  TesseractEngine(OcrSettings settings) {
    this.settings = settings;
    settings.requireData();
    try {
      handle = TessApis.API.TessBaseAPICreate();
    } catch (UnsatisfiedLinkError e) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "the Tesseract library cannot be loaded: install it with"
              + " 'apt-get install tesseract-ocr' ("
              + e.getMessage()
              + ")");
    }
    if (TessApis.API.TessBaseAPIInit3(handle, settings.tessdata(), settings.language()) != 0) {
      TessApis.API.TessBaseAPIDelete(handle);
      handle = null;
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "Tesseract cannot start for language '"
              + settings.language()
              + "' with data in "
              + settings.tessdata());
    }
    TessApis.API.TessBaseAPISetPageSegMode(handle, settings.pageSegmentationMode());
    // Tesseract's own messages ("Empty page!!", "Detected 12 diacritics") go to its debug file, not
    // to the process's stderr: the console is mmflow's (its log file keeps Java libraries' lines)
    TessApis.API.TessBaseAPISetVariable(handle, "debug_file", "/dev/null");
  }

  /** Recognizes one page. */
  OcrPage recognize(OcrImage image, int rotation) {
    setImage(image);
    if (TessApis.API.TessBaseAPIRecognize(handle, null) != 0) {
      TessApis.API.TessBaseAPIClear(handle);
      throw new MmflowException(ErrorCode.MODEL_FAILURE, "Tesseract failed to recognize the page");
    }
    String text = takeText(TessApis.API.TessBaseAPIGetUTF8Text(handle));
    int level =
        settings.entityLevel() == OcrOptions.EntityLevel.LINE
            ? ITessAPI.TessPageIteratorLevel.RIL_TEXTLINE
            : ITessAPI.TessPageIteratorLevel.RIL_WORD;
    List<Entity> entities = new ArrayList<>();
    double weighted = 0;
    long chars = 0;
    TessResultIterator it = TessApis.API.TessBaseAPIGetIterator(handle);
    if (it != null) {
      try {
        TessPageIterator page = TessApis.API.TessResultIteratorGetPageIterator(it);
        TessApis.API.TessPageIteratorBegin(page);
        IntBuffer left = IntBuffer.allocate(1);
        IntBuffer top = IntBuffer.allocate(1);
        IntBuffer right = IntBuffer.allocate(1);
        IntBuffer bottom = IntBuffer.allocate(1);
        do {
          String word = takeText(TessApis.API.TessResultIteratorGetUTF8Text(it, level)).strip();
          if (word.isEmpty()) {
            continue;
          }
          float conf = TessApis.API.TessResultIteratorConfidence(it, level);
          TessApis.API.TessPageIteratorBoundingBox(page, level, left, top, right, bottom);
          double c = Math.max(0, Math.min(100, conf)) / 100.0;
          entities.add(
              new Entity(
                  word,
                  level == ITessAPI.TessPageIteratorLevel.RIL_WORD ? "word" : "line",
                  null,
                  null,
                  new BoundingBox(
                      image.region().x() + left.get(0),
                      image.region().y() + top.get(0),
                      right.get(0) - left.get(0),
                      bottom.get(0) - top.get(0)),
                  null,
                  c));
          weighted += c * word.length();
          chars += word.length();
        } while (TessApis.API.TessPageIteratorNext(page, level) == ITessAPI.TRUE);
      } finally {
        TessApis.API.TessResultIteratorDelete(it);
      }
    }
    TessApis.API.TessBaseAPIClear(handle);
    return new OcrPage(text.strip(), entities, chars == 0 ? 0.0 : weighted / chars, rotation);
  }

  /**
   * Tesseract's orientation detection: the clockwise quarter turns that make the page upright, or
   * -1 when it cannot tell (too little text). Only meaningful on an engine started with the {@code
   * osd} language and page segmentation mode 0, as {@code tesseract --psm 0} does.
   */
  int detectOrientation(OcrImage image) {
    setImage(image);
    IntBuffer degrees = IntBuffer.allocate(1);
    FloatBuffer orientConf = FloatBuffer.allocate(1);
    FloatBuffer scriptConf = FloatBuffer.allocate(1);
    PointerByReference script = new PointerByReference();
    int ok =
        TessApis.API.TessBaseAPIDetectOrientationScript(
            handle, degrees, orientConf, script, scriptConf);
    TessApis.API.TessBaseAPIClear(handle);
    if (ok == ITessAPI.FALSE || orientConf.get(0) < 1.5f) {
      return -1;
    }
    // orient_deg is the counter-clockwise rotation of the text; turning it clockwise back
    return ((360 - degrees.get(0)) % 360) / 90;
  }

  /**
   * Hands Tesseract the part of the page to recognize (Tesseract copies it): only that part's rows
   * and columns are copied, so a cropped page costs less to hand over too.
   */
  private void setImage(OcrImage image) {
    int w = image.region().width();
    int h = image.region().height();
    if (image.twoLevel()) {
      int bytesPerLine = (w + 7) / 8;
      ensureCapacity(bytesPerLine * h);
      packBits(image, pixels, bytesPerLine);
      TessApis.API.TessBaseAPISetImage(handle, pixels, w, h, 0, bytesPerLine);
    } else {
      ensureCapacity(w * h);
      if (image.whole()) {
        pixels.put(image.pixels());
      } else {
        for (int y = image.region().y(), end = y + h; y < end; y++) {
          pixels.put(image.pixels(), y * image.width() + image.region().x(), w);
        }
      }
      pixels.flip();
      TessApis.API.TessBaseAPISetImage(handle, pixels, w, h, 1, w);
    }
    TessApis.API.TessBaseAPISetSourceResolution(handle, image.dpi());
  }

  private void ensureCapacity(int size) {
    if (pixels.capacity() < size) {
      pixels = ByteBuffer.allocateDirect(size);
    }
    pixels.clear();
  }

  /**
   * Tesseract's 1-bit layout of the image's region: rows of {@code bytesPerLine} bytes, most
   * significant bit first, a set bit is paper (white). The top bit of each 8-bit pixel is that bit:
   * 255 gives 1, 0 gives 0.
   */
  static void packBits(OcrImage image, ByteBuffer out, int bytesPerLine) {
    byte[] px = image.pixels();
    int w = image.region().width();
    int whole = w / 8;
    byte[] row = new byte[bytesPerLine];
    for (int y = 0, p = image.region().y() * image.width() + image.region().x();
        y < image.region().height();
        y++, p += image.width()) {
      int x = p;
      for (int b = 0; b < whole; b++, x += 8) {
        row[b] =
            (byte)
                ((px[x] & 0x80)
                    | (px[x + 1] & 0x80) >>> 1
                    | (px[x + 2] & 0x80) >>> 2
                    | (px[x + 3] & 0x80) >>> 3
                    | (px[x + 4] & 0x80) >>> 4
                    | (px[x + 5] & 0x80) >>> 5
                    | (px[x + 6] & 0x80) >>> 6
                    | (px[x + 7] & 0x80) >>> 7);
      }
      if (whole < bytesPerLine) {
        int last = 0;
        for (int i = 0; x < p + w; i++, x++) {
          last |= (px[x] & 0x80) >>> i;
        }
        row[whole] = (byte) last;
      }
      out.put(row);
    }
    out.flip();
  }

  private static String takeText(Pointer p) {
    if (p == null) {
      return "";
    }
    try {
      return p.getString(0, "UTF-8");
    } finally {
      TessApis.API.TessDeleteText(p);
    }
  }

  @Override
  public void close() {
    if (handle != null) {
      TessApis.API.TessBaseAPIEnd(handle);
      TessApis.API.TessBaseAPIDelete(handle);
      handle = null;
    }
  }
}
