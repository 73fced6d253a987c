package io.mmflow.operators.preprocess.document;

import java.io.IOException;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageTree;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * PDFBox's text stripper for one page given as itself. Asked for page N (start and end page N),
 * {@link PDFTextStripper} walks the whole page tree, every page, and skips all but N: reading a
 * document page by page cost time in the square of its pages (a third of the CPU of the documents
 * job on a corpus with 2,400-page manuals, measured with JFR). This one processes the page it is
 * handed, as page 1 of 1, with the same output.
 */
final class PageTextStripper extends PDFTextStripper {
  private PDPage page;

  /** The text layer of {@code page} of {@code doc}, as {@link PDFTextStripper#getText} gives it. */
  String text(PDDocument doc, PDPage page) throws IOException {
    this.page = page;
    setStartPage(1);
    setEndPage(1);
    return getText(doc);
  }

  @Override
  protected void processPages(PDPageTree pages) throws IOException {
    // the stripper's own loop, for the one page: it counts pages from 1, so this one is page 1
    if (page.hasContents()) {
      processPage(page);
    }
  }
}
