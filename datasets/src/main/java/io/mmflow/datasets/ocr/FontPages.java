package io.mmflow.datasets.ocr;

import java.awt.Font;
import java.awt.FontFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OCR pages in typefaces beyond the generator's DejaVu: the serif, sans and mono families of three
 * Debian font packages, set in real sentences (people's product and movie reviews from
 * datasets/sentiment, "Sentiment Labelled Sentences", Kotzias et al., KDD 2015, CC BY 4.0) at 9,
 * 10, 11 and 12 pt, clean, at 300 DPI. One folder per typeface, {@code page-NN.png} with its {@code
 * page-NN.gt.txt} truth, as {@link OcrPageGenerator} writes them, so that {@code bin/mmflow eval
 * ocr} scores each typeface as a condition.
 */
public final class FontPages {
  /** Point sizes, a page each, in turn. */
  static final int[] POINT_SIZES = {9, 10, 11, 12};

  private static final int DPI = 300;
  private static final int LINES = 8;
  private static final int SENTENCES_PER_PAGE = 24;
  private static final Map<Typeface, Font> LOADED = new ConcurrentHashMap<>();

  /**
   * A typeface from a Debian font package.
   *
   * @param name its name, e.g. {@code Liberation Serif}
   * @param style serif, sans or mono
   * @param debianPackage the package that installs it
   * @param file the font file the package installs
   * @param licence the font's licence, in words
   */
  public record Typeface(
      String name, String style, String debianPackage, String file, String licence)
      implements OcrPageGenerator.Face {

    /** Whether its file is installed. */
    public boolean installed() {
      return Files.isRegularFile(Path.of(file));
    }

    /** The folder its pages go to: its name in lower case, words joined by dashes. */
    public String dirName() {
      return name.toLowerCase(Locale.ROOT).replace(' ', '-');
    }

    @Override
    public Font base() {
      return LOADED.computeIfAbsent(
          this,
          t -> {
            try {
              return Font.createFont(Font.TRUETYPE_FONT, Path.of(t.file()).toFile());
            } catch (FontFormatException | IOException e) {
              throw new IllegalStateException("cannot load " + t.file() + ": " + e.getMessage(), e);
            }
          });
    }

    @Override
    public String usedName() {
      return base().getFontName(Locale.ROOT);
    }
  }

  private static final String[] DEJAVU = {
    "fonts-dejavu-core", OcrPageGenerator.DEJAVU_DIR, "Bitstream Vera licence (permissive)"
  };
  private static final String[] LIBERATION = {
    "fonts-liberation2", "/usr/share/fonts/truetype/liberation2/", "SIL Open Font License 1.1"
  };
  private static final String[] FREE = {
    "fonts-freefont-ttf",
    "/usr/share/fonts/truetype/freefont/",
    "GPL 3 or later, with the font exception"
  };

  /** A typeface of {@code pkg} = {package, font folder, licence}. */
  private static Typeface face(String[] pkg, String name, String style, String file) {
    return new Typeface(name, style, pkg[0], pkg[1] + file, pkg[2]);
  }

  /** The typefaces, three packages by three styles. */
  public static final List<Typeface> TYPEFACES =
      List.of(
          face(DEJAVU, "DejaVu Serif", "serif", "DejaVuSerif.ttf"),
          face(DEJAVU, "DejaVu Sans", "sans", "DejaVuSans.ttf"),
          face(DEJAVU, "DejaVu Sans Mono", "mono", "DejaVuSansMono.ttf"),
          face(LIBERATION, "Liberation Serif", "serif", "LiberationSerif-Regular.ttf"),
          face(LIBERATION, "Liberation Sans", "sans", "LiberationSans-Regular.ttf"),
          face(LIBERATION, "Liberation Mono", "mono", "LiberationMono-Regular.ttf"),
          face(FREE, "FreeSerif", "serif", "FreeSerif.ttf"),
          face(FREE, "FreeSans", "sans", "FreeSans.ttf"),
          face(FREE, "FreeMono", "mono", "FreeMono.ttf"));

  /** The Debian packages of {@link #TYPEFACES}. */
  public static final List<String> PACKAGES =
      TYPEFACES.stream().map(Typeface::debianPackage).distinct().toList();

  private FontPages() {}

  /**
   * The sentences of the {@code *_labelled.txt} files in {@code corpus} (the text before each tab),
   * spaces collapsed, only those in printable ASCII (the truth is then what any font draws),
   * shuffled by {@code seed}.
   */
  public static List<String> sentences(Path corpus, long seed) throws IOException {
    List<String> out = new ArrayList<>();
    try (var files = Files.list(corpus)) {
      for (Path f : files.filter(p -> p.toString().endsWith("_labelled.txt")).sorted().toList()) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          int tab = line.indexOf('\t');
          String s = (tab < 0 ? line : line.substring(0, tab)).trim().replaceAll("\\s+", " ");
          if (!s.isEmpty() && s.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            out.add(s);
          }
        }
      }
    }
    if (out.isEmpty()) {
      throw new IOException("no *_labelled.txt sentences in " + corpus);
    }
    Collections.shuffle(out, new Random(seed));
    return out;
  }

  /**
   * Writes {@code pagesPerTypeface} pages for every installed typeface under {@code outputDir},
   * from {@code sentences} in order (every page different, the same pages for every typeface), and
   * returns the typefaces written. The sizes take turns: 4 pages show all four.
   */
  public static List<Typeface> generate(
      Path outputDir, int pagesPerTypeface, List<String> sentences) {
    List<Typeface> written = new ArrayList<>();
    try {
      for (Typeface t : TYPEFACES) {
        if (!t.installed()) {
          continue;
        }
        Path dir = Files.createDirectories(outputDir.resolve(t.dirName()));
        for (int page = 1; page <= pagesPerTypeface; page++) {
          int from = ((page - 1) * SENTENCES_PER_PAGE) % sentences.size();
          List<String> text = new ArrayList<>();
          for (int i = 0; i < SENTENCES_PER_PAGE; i++) {
            text.add(sentences.get((from + i) % sentences.size()));
          }
          OcrPageGenerator.PageSpec spec =
              new OcrPageGenerator.PageSpec(
                  page, t, POINT_SIZES[(page - 1) % POINT_SIZES.length], LINES, text);
          OcrPageGenerator.Rendered r = OcrPageGenerator.renderPage(spec, DPI);
          String name = String.format(Locale.ROOT, "page-%02d", page);
          Files.write(dir.resolve(name + ".png"), OcrPageGenerator.encodePng(r.image(), DPI));
          Files.writeString(
              dir.resolve(name + OcrPageGenerator.TRUTH_SUFFIX),
              String.join("\n", r.lines()) + "\n",
              StandardCharsets.UTF_8);
        }
        written.add(t);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return written;
  }
}
