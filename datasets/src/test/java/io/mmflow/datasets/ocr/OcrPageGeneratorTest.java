package io.mmflow.datasets.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.datasets.ocr.OcrPageGenerator.Condition;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Node;

class OcrPageGeneratorTest {

  private static final int PAGES = 2;
  private static final long SEED = 42L;
  private static final String ALLOWED =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,:;-()/%";

  @TempDir static Path dir;

  private static List<Path> images;

  @BeforeAll
  static void generate() {
    images = OcrPageGenerator.generate(dir, PAGES, SEED);
  }

  @Test
  void writesEveryConditionWithImagesAndTruthFiles() throws IOException {
    assertThat(images).hasSize(PAGES * Condition.values().length);
    assertThat(dir.resolve("README.txt")).isRegularFile().isNotEmptyFile();
    String readme = Files.readString(dir.resolve("README.txt"));
    for (Condition condition : Condition.values()) {
      Path sub = dir.resolve(condition.dirName());
      assertThat(sub).isDirectory();
      assertThat(readme).contains(condition.dirName());
      assertThat(filesEndingWith(sub, ".png")).hasSize(PAGES);
      assertThat(filesEndingWith(sub, ".gt.txt")).hasSize(PAGES);
      for (Path png : filesEndingWith(sub, ".png")) {
        assertThat(images).contains(png);
        assertThat(OcrPageGenerator.truthFileOf(png)).isRegularFile();
      }
    }
    assertThat(dir.resolve("clean-300")).isDirectory();
    assertThat(dir.resolve("clean-150")).isDirectory();
    assertThat(dir.resolve("skew")).isDirectory();
    assertThat(dir.resolve("noise")).isDirectory();
    assertThat(dir.resolve("blur")).isDirectory();
    assertThat(dir.resolve("low-contrast")).isDirectory();
    assertThat(dir.resolve("jpeg")).isDirectory();
    assertThat(dir.resolve("mixed")).isDirectory();
  }

  @Test
  void truthFilesHoldSixToTenLinesOfPlainAsciiText() throws IOException {
    for (Path png : images) {
      Path truth = OcrPageGenerator.truthFileOf(png);
      assertThat(truth.getFileName().toString())
          .isEqualTo(png.getFileName().toString().replace(".png", ".gt.txt"));
      String text = Files.readString(truth, StandardCharsets.UTF_8);
      assertThat(text).isNotBlank().endsWith("\n").doesNotContain("\r");
      List<String> lines = text.lines().collect(Collectors.toList());
      assertThat(lines).hasSizeBetween(6, 10);
      for (String line : lines) {
        assertThat(line).isNotBlank().doesNotStartWith(" ").doesNotEndWith(" ");
        for (char c : line.toCharArray()) {
          assertThat(ALLOWED.indexOf(c)).as("character '%s' in %s", c, truth).isNotNegative();
        }
      }
    }
  }

  @Test
  void imagesAreGrayWithTheWidthAndPngDpiOfTheirCondition() throws IOException {
    for (Condition condition : Condition.values()) {
      int expectedWidth = condition.dpi() == 150 ? 1275 : 2550;
      assertThat(condition.pageWidth()).isEqualTo(expectedWidth);
      for (Path png : filesEndingWith(dir.resolve(condition.dirName()), ".png")) {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getType()).as(png.toString()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
        assertThat(image.getWidth()).as(png.toString()).isEqualTo(expectedWidth);
        // 2 inches of margin plus 6 to 10 lines of 10 to 14 pt text (6 to 8.4 pt when small).
        assertThat(image.getHeight())
            .as(png.toString())
            .isBetween(condition.dpi() * 2 + condition.dpi() / 3, condition.dpi() * 5);
        assertThat(pngDpi(png)).as(png.toString()).isEqualTo(condition.dpi());
        assertThat(OcrPageGenerator.dpiOf(png)).isEqualTo(condition.dpi());
      }
    }
  }

  @Test
  void cleanPagesHaveDarkTextInsideTheMargins() throws IOException {
    for (Path png : filesEndingWith(dir.resolve("clean-300"), ".png")) {
      BufferedImage image = ImageIO.read(png.toFile());
      int[] box = darkBox(image, 128);
      assertThat(box).as("dark pixels in %s", png).isNotNull();
      assertThat(box[0]).isGreaterThanOrEqualTo(300 - 10); // left margin (glyph overhang)
      assertThat(box[1]).isGreaterThanOrEqualTo(300 - 10); // top margin
      assertThat(box[2]).isLessThan(2550 - 300); // right margin
      assertThat(box[3]).isLessThan(image.getHeight() - 300 + 10); // bottom margin
      assertThat(min(image)).isZero();
    }
  }

  @Test
  void skewedPagesAreRotatedVersionsOfTheCleanPages() throws IOException {
    for (Path skewed : filesEndingWith(dir.resolve("skew"), ".png")) {
      Path clean = dir.resolve("clean-300").resolve(skewed.getFileName());
      // Same page number: same text, font and size, only rotated.
      assertThat(OcrPageGenerator.truthFileOf(skewed))
          .hasSameTextualContentAs(OcrPageGenerator.truthFileOf(clean));
      BufferedImage skewImage = ImageIO.read(skewed.toFile());
      BufferedImage cleanImage = ImageIO.read(clean.toFile());
      assertThat(skewImage.getWidth()).isEqualTo(cleanImage.getWidth());
      assertThat(skewImage.getHeight()).isEqualTo(cleanImage.getHeight());
      int[] skewBox = darkBox(skewImage, 128);
      int[] cleanBox = darkBox(cleanImage, 128);
      int skewHeight = skewBox[3] - skewBox[1];
      int cleanHeight = cleanBox[3] - cleanBox[1];
      // At least 1 degree over about 1950 px of text width: over 30 px taller.
      assertThat(skewHeight).as(skewed.toString()).isGreaterThan(cleanHeight + 20);
      assertThat(pixelData(skewImage)).isNotEqualTo(pixelData(cleanImage));
    }
  }

  @Test
  void lowContrastPagesHaveNoDarkPixels() throws IOException {
    for (Path png : filesEndingWith(dir.resolve("low-contrast"), ".png")) {
      BufferedImage image = ImageIO.read(png.toFile());
      assertThat(min(image)).as(png.toString()).isGreaterThanOrEqualTo(90);
      assertThat(max(image)).as(png.toString()).isBetween(160, 180);
      assertThat(darkBox(image, 140)).as("text still there in %s", png).isNotNull();
    }
  }

  @Test
  void degradedPagesDifferFromTheCleanOnes() throws IOException {
    for (String condition : List.of("noise", "blur", "jpeg", "mixed")) {
      for (Path png : filesEndingWith(dir.resolve(condition), ".png")) {
        Path clean = dir.resolve("clean-300").resolve(png.getFileName());
        assertThat(OcrPageGenerator.truthFileOf(png))
            .hasSameTextualContentAs(OcrPageGenerator.truthFileOf(clean));
        assertThat(pixelData(ImageIO.read(png.toFile())))
            .as(png.toString())
            .isNotEqualTo(pixelData(ImageIO.read(clean.toFile())));
      }
    }
  }

  @Test
  void sameSeedGivesIdenticalPagesAndOtherSeedsOtherText(@TempDir Path again, @TempDir Path other)
      throws IOException {
    List<Path> second = OcrPageGenerator.generate(again, PAGES, SEED);
    assertThat(second).hasSameSizeAs(images);
    for (int i = 0; i < images.size(); i++) {
      Path first = images.get(i);
      Path repeat = second.get(i);
      assertThat(dir.relativize(first)).isEqualTo(again.relativize(repeat));
      assertThat(Files.readAllBytes(OcrPageGenerator.truthFileOf(repeat)))
          .isEqualTo(Files.readAllBytes(OcrPageGenerator.truthFileOf(first)));
      assertThat(pixelData(ImageIO.read(repeat.toFile())))
          .as(first.toString())
          .isEqualTo(pixelData(ImageIO.read(first.toFile())));
    }

    List<Path> different = OcrPageGenerator.generate(other, 1, SEED + 1);
    assertThat(Files.readString(OcrPageGenerator.truthFileOf(different.get(0))))
        .isNotEqualTo(Files.readString(OcrPageGenerator.truthFileOf(images.get(0))));
  }

  // ---------------------------------------------------------------------------------------------

  private static List<Path> filesEndingWith(Path folder, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(suffix))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  /** The DPI from the PNG pHYs chunk, read through ImageIO's native PNG metadata. */
  private static int pngDpi(Path png) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(png.toFile())) {
      Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
      ImageReader reader = readers.next();
      try {
        reader.setInput(in);
        IIOMetadata metadata = reader.getImageMetadata(0);
        Node root = metadata.getAsTree("javax_imageio_png_1.0");
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
          if (n.getNodeName().equals("pHYs")) {
            IIOMetadataNode phys = (IIOMetadataNode) n;
            assertThat(phys.getAttribute("unitSpecifier")).isEqualTo("meter");
            assertThat(phys.getAttribute("pixelsPerUnitYAxis"))
                .isEqualTo(phys.getAttribute("pixelsPerUnitXAxis"));
            double perMetre = Double.parseDouble(phys.getAttribute("pixelsPerUnitXAxis"));
            return (int) Math.round(perMetre * 0.0254);
          }
        }
        throw new AssertionError("no pHYs chunk in " + png);
      } finally {
        reader.dispose();
      }
    }
  }

  private static byte[] pixelData(BufferedImage image) {
    assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
    return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
  }

  /** {minX, minY, maxX, maxY} of pixels darker than the threshold, or null if there are none. */
  private static int[] darkBox(BufferedImage image, int threshold) {
    byte[] px = pixelData(image);
    int w = image.getWidth();
    int minX = Integer.MAX_VALUE;
    int minY = Integer.MAX_VALUE;
    int maxX = -1;
    int maxY = -1;
    for (int i = 0; i < px.length; i++) {
      if ((px[i] & 0xFF) < threshold) {
        int x = i % w;
        int y = i / w;
        minX = Math.min(minX, x);
        minY = Math.min(minY, y);
        maxX = Math.max(maxX, x);
        maxY = Math.max(maxY, y);
      }
    }
    return maxX < 0 ? null : new int[] {minX, minY, maxX, maxY};
  }

  private static int min(BufferedImage image) {
    int min = 255;
    for (byte b : pixelData(image)) {
      min = Math.min(min, b & 0xFF);
    }
    return min;
  }

  private static int max(BufferedImage image) {
    int max = 0;
    for (byte b : pixelData(image)) {
      max = Math.max(max, b & 0xFF);
    }
    return max;
  }
}
