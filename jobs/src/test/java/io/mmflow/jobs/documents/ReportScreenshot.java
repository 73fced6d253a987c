package io.mmflow.jobs.documents;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;

/**
 * Opens an HTML report in headless Chromium (Debian's package, which {@code bin/mmflow test}
 * installs) and checks its screenshot: the plots are drawn, not only written.
 */
final class ReportScreenshot {
  private ReportScreenshot() {}

  /** The Chromium of the machine, or null. */
  static Path chromium() {
    for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    return null;
  }

  /**
   * Screenshots {@code report} into {@code png} and checks that it shows the heat map's shaded
   * cells and the histogram's blue bars (#2a6fdb).
   */
  static void assertRendersPlots(Path report, Path png) throws Exception {
    Path chromium = chromium();
    Assumptions.assumeTrue(
        chromium != null, "no Chromium here: apt-get install -y chromium (bin/mmflow test does)");
    Process p =
        new ProcessBuilder(
                chromium.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--window-size=1200,1000",
                "--screenshot=" + png.toAbsolutePath(),
                report.toAbsolutePath().toUri().toString())
            .redirectErrorStream(true)
            .redirectOutput(png.resolveSibling("chromium.log").toFile())
            .start();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("Chromium took over 90 s").isTrue();
    assertThat(png).exists();
    BufferedImage image = ImageIO.read(png.toFile());
    long bars = 0;
    long cells = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y) & 0xFFFFFF;
        int r = rgb >> 16;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        if (Math.abs(r - 0x2a) < 8 && Math.abs(g - 0x6f) < 8 && Math.abs(b - 0xdb) < 8) {
          bars++;
        } else if (b > 250 && r == g && r < 235) {
          cells++; // a heat map cell: rgb(v, v, 255)
        }
      }
    }
    assertThat(bars).as("histogram bars in %s", png).isGreaterThan(200);
    assertThat(cells).as("heat map cells in %s", png).isGreaterThan(500);
  }
}
