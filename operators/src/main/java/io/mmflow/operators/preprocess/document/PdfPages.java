package io.mmflow.operators.preprocess.document;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.util.Threads;
import io.mmflow.operators.preprocess.page.Page;
import io.mmflow.operators.preprocess.page.PageLimits;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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

/**
 * Splits a PDF into pages with Apache PDFBox: a page's text layer when it holds at least {@link
 * PageLimits#minTextLayerChars()} letters and digits, else the page rendered in gray at {@link
 * PageLimits#renderDpi()} for OCR. Pages are handed out one at a time so only one rendered page is
 * in memory. Each page is read within the parse timeout: a page past it is tried once more at half
 * the resolution, then handed out as a failed page (MMF-1009) while the others are kept.
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
    PDDocument doc = null;
    try {
      doc = open(pdf, limits);
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
      int slow = 0;
      // the pages once, in order: asking the page tree for each page by number walks it again
      List<PDPage> all = pagesOf(doc, limits);
      for (int i = 1; i <= pages; i++) {
        int number = i;
        PDDocument current = doc;
        if (i > all.size()) {
          // the page count of the root is more than the tree holds (a malformed PDF)
          sink.accept(
              Page.failed(
                  number,
                  new MmflowException(
                      ErrorCode.CORRUPT_INPUT,
                      "page " + number + " is counted but missing from the PDF's page tree")));
          continue;
        }
        PDPage currentPage = all.get(i - 1);
        Page first = null;
        try {
          first =
              timed(
                  () -> page(current, currentPage, number, limits, limits.renderDpi()),
                  limits,
                  "reading page " + i);
        } catch (MmflowException e) {
          if (e.code() != ErrorCode.PARSE_TIMEOUT) {
            throw e;
          }
        }
        if (first != null) {
          sink.accept(first);
          continue;
        }
        // the page passed the time limit: its step is abandoned with the document it holds, so
        // the rest is read from the document opened again; one second try at half the resolution
        // (a page heavy to render), then the page alone is a coded error and the others stay
        doc = open(pdf, limits); // the abandoned step keeps the old one
        all = pagesOf(doc, limits);
        int lower = Math.max(72, limits.renderDpi() / 2);
        PDDocument second = doc;
        PDPage secondPage = all.get(Math.min(i, all.size()) - 1);
        Page page;
        try {
          page =
              timed(
                  () -> page(second, secondPage, number, limits, lower),
                  limits,
                  "reading page " + i);
        } catch (MmflowException e) {
          if (e.code() != ErrorCode.PARSE_TIMEOUT) {
            throw e;
          }
          doc = open(pdf, limits); // the abandoned step keeps the old one
          all = pagesOf(doc, limits);
          page =
              Page.failed(
                  number,
                  new MmflowException(
                      ErrorCode.PARSE_TIMEOUT,
                      "page "
                          + number
                          + " took longer than "
                          + limits.parseTimeout()
                          + " to read, twice (at "
                          + limits.renderDpi()
                          + " and "
                          + lower
                          + " DPI): skipped, the document's other pages kept"));
          if (++slow >= MAX_SLOW_PAGES) {
            throw new MmflowException(
                ErrorCode.PARSE_TIMEOUT,
                MAX_SLOW_PAGES
                    + " pages each took longer than "
                    + limits.parseTimeout()
                    + " to read: the document is given up");
          }
        }
        sink.accept(page);
      }
      if (slow == pages) {
        // nothing of the document was read: it is a dead letter, as when opening it overran
        throw new MmflowException(
            ErrorCode.PARSE_TIMEOUT,
            "every page took longer than " + limits.parseTimeout() + " to read");
      }
      return pages;
    } catch (InvalidPasswordException e) {
      throw new MmflowException(ErrorCode.ENCRYPTED_INPUT, "the PDF is encrypted with a password");
    } catch (IOException e) {
      throw new MmflowException(
          ErrorCode.CORRUPT_INPUT, "cannot parse the PDF: " + e.getMessage(), e);
    } finally {
      close(doc);
    }
  }

  /**
   * Pages that pass the time limit (twice each) before a document is given up as a whole: past
   * that, its remaining pages would cost a slot minutes.
   */
  static final int MAX_SLOW_PAGES = 3;

  private static PDDocument open(byte[] pdf, PageLimits limits) throws IOException {
    return timed(() -> Loader.loadPDF(pdf), limits, "opening the PDF");
  }

  private static void close(PDDocument doc) {
    if (doc != null) {
      try {
        doc.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }

  /** The document's pages in order, listed once (within the parse timeout). */
  private static List<PDPage> pagesOf(PDDocument doc, PageLimits limits) throws IOException {
    return timed(
        () -> {
          List<PDPage> out = new ArrayList<>();
          doc.getPages().forEach(out::add);
          return out;
        },
        limits,
        "listing the pages");
  }

  private static Page page(PDDocument doc, PDPage page, int number, PageLimits limits, int dpi) {
    try {
      String text = new PageTextStripper().text(doc, page).strip();
      if (meaningfulChars(text) >= limits.minTextLayerChars()) {
        return Page.text(number, text);
      }
      PDRectangle box = page.getCropBox();
      boolean quarter = page.getRotation() % 180 != 0;
      long w = Math.round(box.getWidth() / 72.0 * dpi);
      long h = Math.round(box.getHeight() / 72.0 * dpi);
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
                    + dpi
                    + " DPI, over the limit of "
                    + limits.maxPixels()
                    + " (mmflow.ocr.max-pixels)"));
      }
      BufferedImage image =
          new PDFRenderer(doc).renderImageWithDPI(number - 1, dpi, ImageType.GRAY);
      return Page.image(number, image, dpi);
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
   * (its thread interrupted) with a PARSE_TIMEOUT (MMF-1009): for opening, the document's; for a
   * page, that page's, tried again at half the resolution. OCR is not under this limit: its cost is
   * bounded by the pixel limit instead.
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
