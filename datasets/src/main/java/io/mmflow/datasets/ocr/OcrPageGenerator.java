package io.mmflow.datasets.ocr;

import io.mmflow.core.util.Png;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.w3c.dom.Node;

/**
 * The project's own generator of OCR evaluation pages: grayscale PNG images of English
 * business-style text with the exact text beside each image.
 *
 * <p>{@link #generate(Path, int, long)} writes one sub-folder per {@link Condition} under the
 * output directory. Every folder holds {@code page-NN.png} images, each with a ground-truth file
 * {@code page-NN.gt.txt} beside it (UTF-8, one rendered line per line, trailing newline), and the
 * output directory gets a {@code README.txt} that describes the conditions and every page.
 *
 * <p>Page {@code NN} has the same text, font and point size in every condition; the conditions
 * differ only in resolution and degradation, so results can be compared condition by condition. (At
 * 150 DPI the line breaks are measured again and can in principle differ; the truth file is always
 * the text of its own image.)
 *
 * <p>A page is 8.5 inches wide at the condition's resolution, with 1-inch margins on all sides and
 * only as tall as its 6 to 10 lines need. The text is black on white, antialiased, rendered with
 * Java2D into a {@code TYPE_BYTE_GRAY} image, in DejaVu Sans, DejaVu Serif or DejaVu Sans Mono
 * (from {@value #DEJAVU_DIR}, falling back to the logical fonts SansSerif, Serif and Monospaced) at
 * 10, 11, 12 or 14 pt; families and sizes take turns from a seeded starting point, so any 4 pages
 * cover every family and size. The resolution is recorded in the PNG {@code pHYs} chunk; {@link
 * #dpiOf(Path)} reads it back.
 *
 * <p>How hard the conditions are, with plain {@code tesseract X.png - --psm 6} (5.3, eng) on seed
 * 42: clean, blur, JPEG and low contrast read almost perfectly; skew and noise cost a few percent
 * CER; mixed (skew, noise and faint contrast together) needs deskewing, and is the hardest set.
 *
 * <p>The output is deterministic for a given seed (with the same JDK and fonts): re-running
 * produces byte-identical files. Existing files are overwritten; nothing else is deleted.
 */
public final class OcrPageGenerator {

  /** Where the DejaVu fonts are looked for. */
  public static final String DEJAVU_DIR = "/usr/share/fonts/truetype/dejavu/";

  /** Page width in inches (US letter). */
  public static final double PAGE_WIDTH_INCHES = 8.5;

  /** Margin on every side, in inches. */
  public static final double MARGIN_INCHES = 1.0;

  /** Suffix of a ground-truth file: {@code X.png} has {@code X.gt.txt} beside it. */
  public static final String TRUTH_SUFFIX = ".gt.txt";

  /** Point sizes a page is set in. */
  static final int[] POINT_SIZES = {10, 11, 12, 14};

  private static final int MIN_LINES = 6;
  private static final int MAX_LINES = 10;
  private static final double LINE_SPACING = 1.15;
  private static final double INCHES_PER_METRE = 1 / 0.0254;

  /** A condition under which pages are made: one sub-folder of the output directory each. */
  public enum Condition {
    CLEAN_300("clean-300", 300, "clean rendering at 300 DPI"),
    CLEAN_150("clean-150", 150, "clean rendering at 150 DPI"),
    SKEW(
        "skew",
        300,
        "rotated about the page centre by a random angle of 1 to 7 degrees either way"
            + " (bilinear, white fill, same canvas size), 300 DPI"),
    NOISE(
        "noise", 300, "gaussian noise (sigma 25 on 0-255) then 1% salt-and-pepper pixels, 300 DPI"),
    BLUR("blur", 300, "gaussian blur, sigma 1.2 px (separable kernel, 9 taps), 300 DPI"),
    LOW_CONTRAST(
        "low-contrast",
        300,
        "gray levels mapped linearly so text is gray 110 on a gray 170 background, 300 DPI"),
    JPEG("jpeg", 300, "JPEG-encoded at quality 0.15, decoded back and saved as PNG, 300 DPI"),
    MIXED(
        "mixed",
        300,
        "skew of 1 to 5 degrees either way, gaussian noise (sigma 20) and 0.5% salt-and-pepper,"
            + " then low contrast (100 on 180), as a noisy scan photocopied faintly, 300 DPI"),
    // last, so that the random streams of the conditions above (seeded by ordinal) stay as they
    // were
    SMALL_150(
        "small-150",
        150,
        0.6f,
        "clean rendering at 150 DPI of text at 0.6 times its size (6 to 8.4 pt, lines 15 to 20 px"
            + " apart): small enough that Tesseract reads it better enlarged");

    private final String dirName;
    private final int dpi;
    private final float sizeScale;
    private final String description;

    Condition(String dirName, int dpi, String description) {
      this(dirName, dpi, 1f, description);
    }

    Condition(String dirName, int dpi, float sizeScale, String description) {
      this.dirName = dirName;
      this.dpi = dpi;
      this.sizeScale = sizeScale;
      this.description = description;
    }

    /** The name of the condition's sub-folder. */
    public String dirName() {
      return dirName;
    }

    /** The resolution the condition's pages are rendered at. */
    public int dpi() {
      return dpi;
    }

    /** How the condition's pages are made, in words. */
    public String description() {
      return description;
    }

    /** The factor on the page's point size (1 but for the small-text condition). */
    public float sizeScale() {
      return sizeScale;
    }

    /** The expected image width in pixels: 8.5 inches at {@link #dpi()}. */
    public int pageWidth() {
      return (int) Math.round(PAGE_WIDTH_INCHES * dpi);
    }
  }

  /** A typeface a page can be set in: its font at 1 pt, and the name the README gives it. */
  interface Face {
    Font base();

    String usedName();
  }

  /** The font families a page is set in. */
  enum Family implements Face {
    SANS("DejaVu Sans", "DejaVuSans.ttf", Font.SANS_SERIF),
    SERIF("DejaVu Serif", "DejaVuSerif.ttf", Font.SERIF),
    MONO("DejaVu Sans Mono", "DejaVuSansMono.ttf", Font.MONOSPACED);

    final String displayName;
    final String file;
    final String logicalFallback;
    private Font base;

    Family(String displayName, String file, String logicalFallback) {
      this.displayName = displayName;
      this.file = file;
      this.logicalFallback = logicalFallback;
    }

    /** The family's font at 1 pt: the DejaVu file if there is one, else the logical font. */
    @Override
    public synchronized Font base() {
      if (base == null) {
        Path path = Paths.get(DEJAVU_DIR, file);
        if (Files.isRegularFile(path)) {
          try {
            base = Font.createFont(Font.TRUETYPE_FONT, path.toFile());
          } catch (FontFormatException | IOException e) {
            base = null;
          }
        }
        if (base == null) {
          base = new Font(logicalFallback, Font.PLAIN, 1);
        }
      }
      return base;
    }

    /** The name of the font actually used, for the README. */
    @Override
    public String usedName() {
      Font font = base();
      return font.getFontName(Locale.ROOT);
    }
  }

  /** What a page is, independent of the condition: text, font, size, number of lines. */
  record PageSpec(int index, Face family, int pointSize, int lineCount, List<String> sentences) {}

  /** A rendered page: the image and the lines drawn on it. */
  record Rendered(BufferedImage image, List<String> lines) {}

  private OcrPageGenerator() {}

  /**
   * Writes {@code pagesPerCondition} pages for every {@link Condition} into a sub-folder of {@code
   * outputDir}, each with its truth file, and {@code outputDir/README.txt}.
   *
   * @return the images written, condition by condition in {@link Condition} order, pages in order
   */
  public static List<Path> generate(Path outputDir, int pagesPerCondition, long seed) {
    return generate(outputDir, pagesPerCondition, seed, EnumSet.allOf(Condition.class));
  }

  /**
   * Like {@link #generate(Path, int, long)} for the given conditions only; a page has the same
   * text, font and size whichever conditions are asked for.
   */
  public static List<Path> generate(
      Path outputDir, int pagesPerCondition, long seed, Set<Condition> conditions) {
    if (pagesPerCondition < 1 || pagesPerCondition > 99) {
      throw new IllegalArgumentException("pagesPerCondition must be 1 to 99: " + pagesPerCondition);
    }
    List<PageSpec> specs = new ArrayList<>();
    for (int page = 1; page <= pagesPerCondition; page++) {
      specs.add(pageSpec(seed, page));
    }
    List<Path> written = new ArrayList<>();
    StringBuilder pageTable = new StringBuilder();
    try {
      for (Condition condition : Condition.values()) {
        if (!conditions.contains(condition)) {
          continue;
        }
        Path dir = outputDir.resolve(condition.dirName());
        Files.createDirectories(dir);
        for (PageSpec spec : specs) {
          Random random = new Random(mix(seed, condition.ordinal() + 1, spec.index()));
          Rendered rendered = renderPage(spec, condition.dpi(), condition.sizeScale());
          String extra = degrade(rendered.image(), condition, random);
          String name = String.format(Locale.ROOT, "page-%02d", spec.index());
          Path png = dir.resolve(name + ".png");
          Files.write(png, encodePng(rendered.image(), condition.dpi()));
          Files.writeString(
              dir.resolve(name + TRUTH_SUFFIX),
              String.join("\n", rendered.lines()) + "\n",
              StandardCharsets.UTF_8);
          written.add(png);
          pageTable.append(
              String.format(
                  Locale.ROOT,
                  "  %-26s %5d x %-5d %-22s %4.1f pt  %2d lines%s%n",
                  condition.dirName() + "/" + png.getFileName(),
                  rendered.image().getWidth(),
                  rendered.image().getHeight(),
                  spec.family().usedName(),
                  spec.pointSize() * condition.sizeScale(),
                  rendered.lines().size(),
                  extra.isEmpty() ? "" : "  " + extra));
        }
      }
      Files.writeString(
          outputDir.resolve("README.txt"),
          readme(pagesPerCondition, seed, conditions, pageTable.toString()),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return written;
  }

  /** The truth file of an image: {@code X.gt.txt} beside {@code X.png}. */
  public static Path truthFileOf(Path image) {
    String name = image.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot < 0 ? name : name.substring(0, dot);
    return image.resolveSibling(stem + TRUTH_SUFFIX);
  }

  /**
   * The resolution recorded in a PNG's {@code pHYs} chunk, in dots per inch (rounded), or -1 if the
   * image has no {@code pHYs} chunk in metres.
   */
  public static int dpiOf(Path png) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(png.toFile())) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IOException("not an image: " + png);
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, false);
        IIOMetadata metadata = reader.getImageMetadata(0);
        if (!"javax_imageio_png_1.0".equals(metadata.getNativeMetadataFormatName())) {
          return -1;
        }
        Node root = metadata.getAsTree("javax_imageio_png_1.0");
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
          if ("pHYs".equals(n.getNodeName())) {
            IIOMetadataNode phys = (IIOMetadataNode) n;
            if (!"meter".equals(phys.getAttribute("unitSpecifier"))) {
              return -1;
            }
            long perMetre = Long.parseLong(phys.getAttribute("pixelsPerUnitXAxis"));
            return (int) Math.round(perMetre / INCHES_PER_METRE);
          }
        }
        return -1;
      } finally {
        reader.dispose();
      }
    }
  }

  /**
   * Arguments: output directory (default {@code target/ocr-pages}), pages per condition (default
   * 6), seed (default 42).
   */
  public static void main(String[] args) {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    Path out = Paths.get(args.length > 0 ? args[0] : "target/ocr-pages");
    int pages = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 42L;
    List<Path> written = generate(out, pages, seed);
    System.out.println(
        "Wrote "
            + written.size()
            + " OCR pages ("
            + pages
            + " x "
            + Condition.values().length
            + " conditions, seed "
            + seed
            + ") to "
            + out.toAbsolutePath().normalize());
  }

  // ---------------------------------------------------------------------------------------------
  // Page content

  static PageSpec pageSpec(long seed, int index) {
    // Fonts and sizes take turns from a seeded starting point, so that every family and size
    // appears once there are 4 pages, and every combination once there are 12.
    Random start = new Random(mix(seed, 0, 0));
    int familyStart = start.nextInt(Family.values().length);
    int sizeStart = start.nextInt(POINT_SIZES.length);
    Family family = Family.values()[(familyStart + index - 1) % Family.values().length];
    int pointSize = POINT_SIZES[(sizeStart + index - 1) % POINT_SIZES.length];
    Random random = new Random(mix(seed, 0, index));
    int lineCount = MIN_LINES + random.nextInt(MAX_LINES - MIN_LINES + 1);
    List<String> sentences = new ArrayList<>();
    // Plenty for 10 lines at the smallest size; renderPage asks for more if ever short.
    for (int i = 0; i < 24; i++) {
      sentences.add(TextSource.sentence(random));
    }
    return new PageSpec(index, family, pointSize, lineCount, sentences);
  }

  /** Renders a page, clean, at the given resolution. */
  static Rendered renderPage(PageSpec spec, int dpi) {
    return renderPage(spec, dpi, 1f);
  }

  /** Renders a page, clean, at the given resolution, its point size times {@code sizeScale}. */
  static Rendered renderPage(PageSpec spec, int dpi, float sizeScale) {
    Font font =
        spec.family().base().deriveFont(Font.PLAIN, spec.pointSize() * sizeScale * dpi / 72f);
    int width = (int) Math.round(PAGE_WIDTH_INCHES * dpi);
    int margin = (int) Math.round(MARGIN_INCHES * dpi);
    double textWidth = width - 2.0 * margin;

    BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D sg = scratch.createGraphics();
    setHints(sg);
    FontMetrics fm = sg.getFontMetrics(font);
    FontRenderContext frc = sg.getFontRenderContext();
    List<String> lines = wrap(spec, font, frc, textWidth);
    sg.dispose();

    int ascent = fm.getAscent();
    int descent = fm.getDescent();
    int lineHeight = (int) Math.ceil(fm.getHeight() * LINE_SPACING);
    int height = 2 * margin + (lines.size() - 1) * lineHeight + ascent + descent;

    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = image.createGraphics();
    try {
      setHints(g);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setColor(Color.BLACK);
      g.setFont(font);
      for (int i = 0; i < lines.size(); i++) {
        g.drawString(lines.get(i), (float) margin, (float) (margin + ascent + i * lineHeight));
      }
    } finally {
      g.dispose();
    }
    return new Rendered(image, lines);
  }

  private static void setHints(Graphics2D g) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
  }

  /** Greedy word wrap of the page's sentences into {@code spec.lineCount()} lines. */
  private static List<String> wrap(
      PageSpec spec, Font font, FontRenderContext frc, double textWidth) {
    List<String> words = new ArrayList<>();
    for (String sentence : spec.sentences()) {
      for (String word : sentence.split(" ")) {
        words.add(word);
      }
    }
    // Should the fixed sentences ever not fill the page, continue the same deterministic stream.
    Random more = new Random(spec.index() * 7919L + spec.sentences().size());
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    int next = 0;
    while (lines.size() < spec.lineCount()) {
      if (next == words.size()) {
        for (String word : TextSource.sentence(more).split(" ")) {
          words.add(word);
        }
      }
      String word = words.get(next);
      String candidate = line.length() == 0 ? word : line + " " + word;
      if (line.length() > 0 && font.getStringBounds(candidate, frc).getWidth() > textWidth) {
        lines.add(line.toString());
        line.setLength(0);
      } else {
        line.setLength(0);
        line.append(candidate);
        next++;
      }
    }
    return lines;
  }

  // ---------------------------------------------------------------------------------------------
  // Degradations, on the gray bytes of the image

  /** Applies the condition's degradation in place; returns per-page detail for the README. */
  static String degrade(BufferedImage image, Condition condition, Random random) {
    switch (condition) {
      case CLEAN_300:
      case CLEAN_150:
      case SMALL_150:
        return "";
      case SKEW:
        {
          double angle = skewAngle(random, 7);
          rotate(image, angle);
          return String.format(Locale.ROOT, "angle %+.2f deg", angle);
        }
      case NOISE:
        addNoise(image, random, 25, 0.01);
        return "";
      case BLUR:
        gaussianBlur(image, 1.2);
        return "";
      case LOW_CONTRAST:
        lowerContrast(image, 110, 170);
        return "";
      case JPEG:
        jpegRoundTrip(image, 0.15f);
        return "";
      case MIXED:
        {
          double angle = skewAngle(random, 5);
          rotate(image, angle);
          addNoise(image, random, 20, 0.005);
          lowerContrast(image, 100, 180);
          return String.format(Locale.ROOT, "angle %+.2f deg", angle);
        }
      default:
        throw new IllegalStateException("unknown condition " + condition);
    }
  }

  /** A random angle of 1 to {@code max} degrees, either sign. */
  private static double skewAngle(Random random, double max) {
    double magnitude = 1 + random.nextDouble() * (max - 1);
    return random.nextBoolean() ? magnitude : -magnitude;
  }

  private static byte[] pixels(BufferedImage image) {
    return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
  }

  /**
   * Rotates the image about its centre by {@code degrees} (positive is clockwise on screen),
   * keeping its size, with bilinear interpolation and white where nothing maps.
   */
  static void rotate(BufferedImage image, double degrees) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] px = pixels(image);
    byte[] src = px.clone();
    double rad = Math.toRadians(degrees);
    double cos = Math.cos(rad);
    double sin = Math.sin(rad);
    double cx = (w - 1) / 2.0;
    double cy = (h - 1) / 2.0;
    for (int y = 0; y < h; y++) {
      double dy = y - cy;
      for (int x = 0; x < w; x++) {
        double dx = x - cx;
        // Inverse rotation: where in the source this destination pixel comes from.
        double sx = cos * dx + sin * dy + cx;
        double sy = -sin * dx + cos * dy + cy;
        px[y * w + x] = (byte) Math.round(bilinear(src, w, h, sx, sy));
      }
    }
  }

  private static double bilinear(byte[] src, int w, int h, double x, double y) {
    int x0 = (int) Math.floor(x);
    int y0 = (int) Math.floor(y);
    double fx = x - x0;
    double fy = y - y0;
    double p00 = sample(src, w, h, x0, y0);
    double p10 = sample(src, w, h, x0 + 1, y0);
    double p01 = sample(src, w, h, x0, y0 + 1);
    double p11 = sample(src, w, h, x0 + 1, y0 + 1);
    double top = p00 + (p10 - p00) * fx;
    double bottom = p01 + (p11 - p01) * fx;
    return top + (bottom - top) * fy;
  }

  private static int sample(byte[] src, int w, int h, int x, int y) {
    if (x < 0 || y < 0 || x >= w || y >= h) {
      return 255;
    }
    return src[y * w + x] & 0xFF;
  }

  /** Gaussian noise of the given sigma, then a fraction of pixels set to black or white. */
  static void addNoise(BufferedImage image, Random random, double sigma, double saltPepper) {
    byte[] px = pixels(image);
    for (int i = 0; i < px.length; i++) {
      double v = (px[i] & 0xFF) + random.nextGaussian() * sigma;
      px[i] = (byte) clamp((int) Math.round(v));
    }
    for (int i = 0; i < px.length; i++) {
      if (random.nextDouble() < saltPepper) {
        px[i] = (byte) (random.nextBoolean() ? 255 : 0);
      }
    }
  }

  /** Separable gaussian blur, kernel half-width ceil(3 sigma), edges clamped. */
  static void gaussianBlur(BufferedImage image, double sigma) {
    int radius = (int) Math.ceil(3 * sigma);
    double[] kernel = new double[2 * radius + 1];
    double sum = 0;
    for (int i = -radius; i <= radius; i++) {
      kernel[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
      sum += kernel[i + radius];
    }
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] /= sum;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] px = pixels(image);
    double[] tmp = new double[px.length];
    for (int y = 0; y < h; y++) {
      int row = y * w;
      for (int x = 0; x < w; x++) {
        double acc = 0;
        for (int k = -radius; k <= radius; k++) {
          int xx = Math.min(w - 1, Math.max(0, x + k));
          acc += kernel[k + radius] * (px[row + xx] & 0xFF);
        }
        tmp[row + x] = acc;
      }
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double acc = 0;
        for (int k = -radius; k <= radius; k++) {
          int yy = Math.min(h - 1, Math.max(0, y + k));
          acc += kernel[k + radius] * tmp[yy * w + x];
        }
        px[y * w + x] = (byte) clamp((int) Math.round(acc));
      }
    }
  }

  /** Maps gray levels linearly: black becomes {@code text}, white becomes {@code background}. */
  static void lowerContrast(BufferedImage image, int text, int background) {
    byte[] px = pixels(image);
    for (int i = 0; i < px.length; i++) {
      int v = px[i] & 0xFF;
      px[i] = (byte) Math.round(text + (background - text) * v / 255.0);
    }
  }

  /** Encodes the image as JPEG at the given quality and decodes it back into the same image. */
  static void jpegRoundTrip(BufferedImage image, float quality) {
    try {
      ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
        writer.setOutput(out);
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        writer.write(null, new IIOImage(image, null, null), param);
      } finally {
        writer.dispose();
      }
      BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
      if (decoded.getWidth() != image.getWidth() || decoded.getHeight() != image.getHeight()) {
        throw new IllegalStateException("JPEG round trip changed the image size");
      }
      // Copy the decoded gray levels back raster to raster, with no colour conversion.
      image.getRaster().setRect(decoded.getRaster());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  // ---------------------------------------------------------------------------------------------
  // Output

  /**
   * PNG bytes of a gray image with the resolution in the pHYs chunk (pixels per metre), which
   * ImageIO, the documents job and the tesseract CLI read back.
   */
  public static byte[] encodePng(BufferedImage image, int dpi) {
    return Png.encode(image, dpi);
  }

  private static String readme(
      int pagesPerCondition, long seed, Set<Condition> conditions, String pageTable) {
    StringBuilder sb = new StringBuilder();
    sb.append("OCR evaluation pages made by io.mmflow.datasets.ocr.OcrPageGenerator\n");
    sb.append("(").append(pagesPerCondition).append(" pages per condition, seed ");
    sb.append(seed).append(").\n\n");
    sb.append("Every image X.png has its ground truth X.gt.txt beside it: the exact text,\n");
    sb.append("UTF-8, one rendered line per line, with a trailing newline. Each sub-folder\n");
    sb.append("is one condition. Page NN has the same text, font and size in every\n");
    sb.append("condition. Pages are 8.5 in wide at the condition's DPI with 1-inch margins,\n");
    sb.append("as tall as their 6-10 lines need; black antialiased text on white, rendered\n");
    sb.append("with Java2D into 8-bit grayscale, DejaVu Sans / Serif / Sans Mono at\n");
    sb.append("10, 11, 12 or 14 pt (0.6 times that in small-150). The DPI is recorded in\n");
    sb.append("the PNG pHYs chunk.\n\n");
    sb.append("Conditions:\n");
    for (Condition c : conditions) {
      sb.append(String.format(Locale.ROOT, "  %-13s %s%n", c.dirName(), c.description()));
    }
    sb.append("\nPages (file, width x height in px, font, size, lines, detail):\n");
    sb.append(pageTable);
    return sb.toString();
  }

  /** splitmix64-style mixing of the seed with small integers, for independent random streams. */
  private static long mix(long seed, int a, int b) {
    long z = seed + 0x9E3779B97F4A7C15L * (a * 1_000_003L + b + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  // ---------------------------------------------------------------------------------------------
  // Text

  /** Business-document sentences from a built-in vocabulary, in plain ASCII. */
  static final class TextSource {

    /** Every character a sentence may contain. */
    static final String ALLOWED =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,:;-()/%";

    private static final String[] MONTHS = {
      "January",
      "February",
      "March",
      "April",
      "May",
      "June",
      "July",
      "August",
      "September",
      "October",
      "November",
      "December"
    };
    private static final String[] CURRENCIES = {"USD", "EUR", "GBP"};
    private static final String[] DEPARTMENTS = {
      "finance", "sales", "purchasing", "logistics", "support", "legal", "marketing", "payroll"
    };
    private static final String[] CITIES = {
      "London", "Chicago", "Berlin", "Toronto", "Madrid", "Sydney", "Boston", "Denver", "Dublin",
      "Seattle"
    };
    private static final String[] ADJECTIVES = {
      "new",
      "annual",
      "monthly",
      "final",
      "revised",
      "current",
      "previous",
      "standard",
      "early",
      "large",
      "small",
      "open",
      "total",
      "second",
      "regional",
      "weekly"
    };
    private static final String[] NOUNS = {
      "report", "contract", "customer", "supplier", "order", "payment", "budget", "shipment",
      "account", "schedule", "office", "product", "service", "meeting", "review", "policy",
      "warehouse", "price", "team", "project", "delivery", "request", "balance", "statement"
    };
    private static final String[] VERBS = {
      "confirms",
      "includes",
      "replaces",
      "covers",
      "changes",
      "follows",
      "requires",
      "lists",
      "supports",
      "shows",
      "updates",
      "explains"
    };
    private static final String[] PREPOSITIONS = {
      "for", "with", "from", "after", "before", "under"
    };
    private static final String[] TEMPLATES = {
      "Invoice {inv} was issued on {date} for a total of {amount} {cur}.",
      "Payment of {amount} {cur} is due by {date}; please quote reference {ref}.",
      "Order {po} contains {n} items and was shipped on {date}.",
      "A discount of {pct}% applies to all orders above {amount} {cur}.",
      "The {dept} team approved a budget of {amount} {cur} on {date}.",
      "Tax ({pct}%) is included in the unit price of {amount} {cur}.",
      "Account {acct}: balance {amount} {cur} as of {date}.",
      "See section {sec} of the agreement for the terms of delivery.",
      "Contact the {dept} office at extension {ext} with questions about the {noun}.",
      "Delivery to {city} takes {n} to {n2} working days.",
      "Item {sku} (qty {n}) is back in stock at {amount} {cur} per unit.",
      "Revenue in quarter {q} rose by {pct}% compared with the previous year.",
      "The meeting is scheduled for {date} at {time} in room {room}.",
      "Please return the signed {noun} to the {dept} office by {date}.",
      "Our {city} warehouse received {n} pallets on {date}.",
      "Credit note {ref} reduces the open balance to {amount} {cur}.",
      "{Sentence}",
      "{Sentence}",
      "{Sentence}"
    };

    private TextSource() {}

    static String sentence(Random r) {
      String template = TEMPLATES[r.nextInt(TEMPLATES.length)];
      if (template.equals("{Sentence}")) {
        return freeSentence(r);
      }
      StringBuilder out = new StringBuilder();
      int i = 0;
      while (i < template.length()) {
        char c = template.charAt(i);
        if (c == '{') {
          int end = template.indexOf('}', i);
          out.append(fill(template.substring(i + 1, end), r));
          i = end + 1;
        } else {
          out.append(c);
          i++;
        }
      }
      return out.toString();
    }

    private static String freeSentence(Random r) {
      String subject = "The " + pick(r, ADJECTIVES) + " " + pick(r, NOUNS);
      String rest =
          " "
              + pick(r, VERBS)
              + " the "
              + pick(r, NOUNS)
              + " "
              + pick(r, PREPOSITIONS)
              + " the "
              + pick(r, ADJECTIVES)
              + " "
              + pick(r, NOUNS);
      return subject + rest + (r.nextInt(3) == 0 ? " in " + pick(r, CITIES) : "") + ".";
    }

    private static String fill(String key, Random r) {
      switch (key) {
        case "inv":
          return "INV-" + (2019 + r.nextInt(7)) + "-" + digits(r, 4);
        case "date":
          return (1 + r.nextInt(28)) + " " + pick(r, MONTHS) + " " + (2019 + r.nextInt(7));
        case "amount":
          {
            long cents = (long) Math.floor(Math.exp(3 + r.nextDouble() * 9) * 100);
            return String.format(Locale.US, "%,.2f", cents / 100.0);
          }
        case "cur":
          return pick(r, CURRENCIES);
        case "ref":
          return "REF/" + digits(r, 6);
        case "po":
          return "PO-" + digits(r, 5);
        case "n":
          return Integer.toString(2 + r.nextInt(40));
        case "n2":
          return Integer.toString(42 + r.nextInt(20));
        case "pct":
          return r.nextBoolean() ? Integer.toString(1 + r.nextInt(30)) : (1 + r.nextInt(20)) + ".5";
        case "dept":
          return pick(r, DEPARTMENTS);
        case "acct":
          return digits(r, 4) + "-" + digits(r, 4);
        case "sec":
          return (1 + r.nextInt(12)) + "." + (1 + r.nextInt(9));
        case "ext":
          return digits(r, 4);
        case "noun":
          return pick(r, NOUNS);
        case "city":
          return pick(r, CITIES);
        case "sku":
          return (char) ('A' + r.nextInt(26))
              + "-"
              + digits(r, 4)
              + "/"
              + (char) ('A' + r.nextInt(6));
        case "q":
          return Integer.toString(1 + r.nextInt(4));
        case "time":
          return (8 + r.nextInt(10)) + ":" + (r.nextBoolean() ? "00" : "30");
        case "room":
          return (char) ('A' + r.nextInt(5)) + "-" + (100 + r.nextInt(400));
        default:
          throw new IllegalArgumentException("unknown placeholder " + key);
      }
    }

    private static String digits(Random r, int count) {
      StringBuilder sb = new StringBuilder();
      sb.append((char) ('1' + r.nextInt(9)));
      for (int i = 1; i < count; i++) {
        sb.append((char) ('0' + r.nextInt(10)));
      }
      return sb.toString();
    }

    private static String pick(Random r, String[] words) {
      return words[r.nextInt(words.length)];
    }
  }
}
