package io.mmflow.datasets.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pages of real sentences in the typefaces of Debian font packages. */
class FontPagesTest {
  static final Path CORPUS = Path.of("sentiment"); // datasets/sentiment, from the module folder

  @Test
  void sentencesAreTheCorpusTextsInPrintableAsciiShuffledBySeed() throws Exception {
    List<String> s = FontPages.sentences(CORPUS, 42L);
    assertThat(s).hasSizeGreaterThan(1900); // of 2,000 lines, the few with other characters out
    assertThat(s).allMatch(x -> x.chars().allMatch(c -> c >= 0x20 && c < 0x7f));
    assertThat(s).noneMatch(x -> x.contains("\t") || x.contains("  "));
    assertThat(s)
        .isEqualTo(FontPages.sentences(CORPUS, 42L))
        .isNotEqualTo(FontPages.sentences(CORPUS, 7L));
    assertThat(s).contains("Great for the jawbone.");
  }

  @Test
  void everyInstalledTypefaceGetsItsPagesOfTheSameTextWithTruth(@TempDir Path dir)
      throws Exception {
    // bin/mmflow test installs the three packages; elsewhere only those present are used
    assumeTrue(FontPages.TYPEFACES.stream().anyMatch(FontPages.Typeface::installed));
    List<String> sentences = FontPages.sentences(CORPUS, 42L);
    List<FontPages.Typeface> written = FontPages.generate(dir, 2, sentences);
    assertThat(written)
        .containsExactlyElementsOf(
            FontPages.TYPEFACES.stream().filter(FontPages.Typeface::installed).toList());
    String firstTruth = null;
    for (FontPages.Typeface t : written) {
      // the font file itself, not a fallback
      assertThat(t.usedName()).startsWith(t.name().split(" ")[0]);
      Path page = dir.resolve(t.dirName()).resolve("page-01.png");
      assertThat(OcrPageGenerator.dpiOf(page)).isEqualTo(300);
      String truth = Files.readString(dir.resolve(t.dirName()).resolve("page-01.gt.txt"));
      assertThat(truth.lines()).hasSize(8);
      // the words of the first sentences, whatever the line breaks of the typeface
      assertThat(truth.replace('\n', ' ')).startsWith(sentences.get(0));
      String words = truth.replaceAll("\\s+", " ").trim();
      if (firstTruth == null) {
        firstTruth = words;
      } else {
        String shorter = words.length() < firstTruth.length() ? words : firstTruth;
        String longer = shorter == words ? firstTruth : words;
        assertThat(longer).startsWith(shorter.substring(0, shorter.length() / 2));
      }
      assertThat(dir.resolve(t.dirName()).resolve("page-02.png")).exists();
    }
  }
}
