package io.mmflow.operators.preprocess.document;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.util.Threads;
import io.mmflow.operators.preprocess.page.Page;
import io.mmflow.operators.preprocess.page.PageLimits;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * Splits a PDF into pages with Apache PDFBox: a page's text layer when it holds at least {@link
 * PageLimits#minTextLayerChars()} letters and digits, else the page rendered in gray at {@link
 * PageLimits#renderDpi()} for OCR. Pages are handed out one at a time so only one rendered page is
 * in memory.
 */
public final class PdfPages {
  private PdfPages() {}

  /**
   * Hands each page of {@code pdf} to {@code sink}.
   *
   * @throws MmflowException ENCRYPTED_INPUT, PAGE_LIMIT_EXCEEDED or CORRUPT_INPUT for the whole
   *     document; a page that fails alone is handed out as {@link Page#failed}
   */
  public static int split(byte[] pdf, PageLimits limits, Consumer<Page> sink) {
    try (PDDocument doc = timed(() -> Loader.loadPDF(pdf), limits, "opening the PDF")) {
      int pages = doc.getNumberOfPages();
      if (pages > limits.maxPages()) {
        throw new MmflowException(
            ErrorCode.PAGE_LIMIT_EXCEEDED,
            "the PDF has "
                + pages
                + " pages, over the limit of "
                + limits.maxPages()
                + " (mmflow.ocr.max-pages)");
      }
      if (pages == 0) {
        throw new MmflowException(ErrorCode.NO_CONTENT_EXTRACTED, "the PDF has no pages");
      }
      PDFTextStripper stripper = new PDFTextStripper();
      PDFRenderer renderer = new PDFRenderer(doc);
      for (int i = 1; i <= pages; i++) {
        int number = i;
        sink.accept(
            timed(
                () -> page(doc, number, stripper, renderer, limits), limits, "reading page " + i));
      }
      return pages;
    } catch (InvalidPasswordException e) {
      throw new MmflowException(ErrorCode.ENCRYPTED_INPUT, "the PDF is encrypted with a password");
    } catch (IOException e) {
      throw new MmflowException(
          ErrorCode.CORRUPT_INPUT, "cannot parse the PDF: " + e.getMessage(), e);
    }
  }

  private static Page page(
      PDDocument doc,
      int number,
      PDFTextStripper stripper,
      PDFRenderer renderer,
      PageLimits limits) {
    try {
      stripper.setStartPage(number);
      stripper.setEndPage(number);
      String text = stripper.getText(doc).strip();
      if (meaningfulChars(text) >= limits.minTextLayerChars()) {
        return Page.text(number, text);
      }
      PDPage page = doc.getPage(number - 1);
      PDRectangle box = page.getCropBox();
      boolean quarter = page.getRotation() % 180 != 0;
      long w = Math.round(box.getWidth() / 72.0 * limits.renderDpi());
      long h = Math.round(box.getHeight() / 72.0 * limits.renderDpi());
      if (w * h > limits.maxPixels()) {
        return Page.failed(
            number,
            new MmflowException(
                ErrorCode.PIXEL_LIMIT_EXCEEDED,
                "page "
                    + number
                    + " would render to "
                    + (quarter ? h + "x" + w : w + "x" + h)
                    + " pixels at "
                    + limits.renderDpi()
                    + " DPI, over the limit of "
                    + limits.maxPixels()
                    + " (mmflow.ocr.max-pixels)"));
      }
      BufferedImage image =
          renderer.renderImageWithDPI(number - 1, limits.renderDpi(), ImageType.GRAY);
      return Page.image(number, image, limits.renderDpi());
    } catch (IOException | RuntimeException e) {
      return Page.failed(
          number,
          new MmflowException(
              ErrorCode.CORRUPT_INPUT, "cannot read page " + number + ": " + e.getMessage(), e));
    }
  }

  /** PDFBox work runs on daemon threads so that a pathological file can be abandoned. */
  private static final ExecutorService PARSERS =
      Executors.newCachedThreadPool(Threads.daemon("mmflow-pdfbox"));

  /**
   * Runs one PDFBox step within {@link PageLimits#parseTimeout()}; past it the step is abandoned
   * (its thread interrupted) and the document becomes a dead letter MMF-1009. OCR is not under this
   * limit: its cost is bounded by the pixel limit instead.
   */
  private static <T> T timed(Callable<T> step, PageLimits limits, String what) throws IOException {
    Future<T> future = PARSERS.submit(step);
    try {
      return future.get(limits.parseTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new MmflowException(
          ErrorCode.PARSE_TIMEOUT, what + " took longer than " + limits.parseTimeout());
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new MmflowException(ErrorCode.INTERNAL_ERROR, "interrupted while " + what, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException(e.getCause());
    }
  }

  /** Letters and digits: a layer of only spaces, dashes or invisible glyph codes is not usable. */
  static int meaningfulChars(String text) {
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      if (Character.isLetterOrDigit(text.charAt(i))) {
        n++;
      }
    }
    return n;
  }

  /** PDFBox's version, part of the provenance of text-layer results. */
  public static String pdfboxVersion() {
    String v = org.apache.pdfbox.util.Version.getVersion();
    return v == null ? "unknown" : v;
  }
}
