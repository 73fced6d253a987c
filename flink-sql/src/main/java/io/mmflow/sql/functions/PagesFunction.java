package io.mmflow.sql.functions;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.util.Png;
import io.mmflow.model.tika.MediaTypeDetector;
import io.mmflow.operators.preprocess.document.PdfPages;
import io.mmflow.operators.preprocess.image.ImagePages;
import io.mmflow.operators.preprocess.page.Page;
import io.mmflow.operators.preprocess.page.PageLimits;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.TableFunction;
import org.apache.flink.types.Row;

/**
 * {@code LATERAL TABLE(MMF_PAGES(content BYTES))}: the pages of a PDF or of a multi-page image, as
 * the documents job splits them, one row each: {@code page_number}; {@code text}, the page's text
 * layer where it is usable, else NULL; {@code image}, the page rendered (PDF) or decoded (image) as
 * PNG where it needs OCR, for {@code MMF_OCR}; {@code dpi}, its resolution; and {@code error_code}
 * and {@code error_message} for a page that failed alone. A document that cannot be split (not a
 * PDF or image, unreadable, over the page or pixel limits) gives one row with {@code page_number}
 * NULL and the error, so every input row has at least one row.
 */
@FunctionHint(
    output =
        @DataTypeHint(
            "ROW<page_number INT, text STRING, image BYTES, dpi INT, error_code STRING,"
                + " error_message STRING>"))
public final class PagesFunction extends TableFunction<Row> {
  private final Configuration config;
  private transient PageLimits limits;
  private transient MediaTypeDetector detector;

  public PagesFunction(Configuration config) {
    this.config = new Configuration(config);
  }

  @Override
  public void open(FunctionContext context) {
    limits = PageLimits.from(config);
    detector = new MediaTypeDetector();
  }

  public void eval(byte[] content) {
    if (content == null || content.length == 0) {
      fail(new MmflowException(ErrorCode.EMPTY_INPUT, "input has 0 bytes"));
      return;
    }
    String type = detector.detect(content);
    try {
      if ("application/pdf".equals(type)) {
        PdfPages.split(content, limits, this::page);
      } else if (ImagePages.TYPES.contains(type)) {
        ImagePages.split(content, limits, this::page);
      } else {
        throw new MmflowException(
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            "media type " + type + " (detected from the bytes) has no pages: a PDF or an image");
      }
    } catch (MmflowException e) {
      fail(e);
    }
  }

  private void page(Page page) {
    if (page.error() != null) {
      collect(
          Row.of(
              page.number(),
              null,
              null,
              null,
              page.error().code().code(),
              page.error().getMessage()));
    } else if (page.textLayer() != null) {
      collect(Row.of(page.number(), page.textLayer(), null, null, null, null));
    } else {
      collect(
          Row.of(
              page.number(), null, Png.encode(page.image(), page.dpi()), page.dpi(), null, null));
    }
  }

  private void fail(MmflowException e) {
    collect(Row.of(null, null, null, null, e.code().code(), e.getMessage()));
  }
}
