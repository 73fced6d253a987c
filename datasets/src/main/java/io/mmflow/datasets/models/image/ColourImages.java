package io.mmflow.datasets.models.image;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Renders labelled colour images for mmflow's colour model: the whole image in one of {@link
 * #LABELS}' colours, its shade jittered once per image, noise on every pixel, and sometimes a
 * smaller patch of another colour; or two colours side by side or one above the other (layouts, for
 * the embedding). Deterministic for a given {@link Random}.
 */
public final class ColourImages {
  /** The colour names, in the model's logits order. */
  public static final List<String> LABELS =
      List.of("black", "white", "gray", "red", "orange", "yellow", "green", "blue", "purple");

  /** Each label's typical shade, 0xRRGGBB. */
  private static final int[] SHADES = {
    0x141414, 0xEBEBEB, 0x808080, 0xC81E1E, 0xF08C14, 0xE6DC28, 0x28A03C, 0x2846C8, 0x7832A0
  };

  /**
   * How far a rendered image strays from its label's shade.
   *
   * @param shadeJitter standard deviation, in levels 0..255, of the per-image shift of each channel
   * @param pixelNoise standard deviation, in levels, of independent noise on each pixel channel
   * @param patchChance probability of a patch of another colour covering 4 to 20% of the image
   */
  public record Noise(double shadeJitter, double pixelNoise, double patchChance) {
    /** The exact shade everywhere. */
    public static final Noise CLEAN = new Noise(0, 0, 0);

    /** What the model is fitted and measured on. */
    public static final Noise TRAINING = new Noise(22, 24, 0.5);
  }

  /** One rendered image and the index of its label in {@link #LABELS}. */
  public record Sample(BufferedImage image, int label) {}

  private ColourImages() {}

  /** The typical shade of {@code label} (an index of {@link #LABELS}), as 0xRRGGBB. */
  public static int shade(int label) {
    return SHADES[label];
  }

  /** The index of a colour name in {@link #LABELS}. */
  public static int label(String name) {
    int i = LABELS.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("no colour '" + name + "' (known: " + LABELS + ")");
    }
    return i;
  }

  /** {@code perLabel} images of every label, label after label in turn, each {@code size}². */
  public static List<Sample> samples(int perLabel, int size, Noise noise, Random random) {
    List<Sample> out = new ArrayList<>(perLabel * LABELS.size());
    for (int i = 0; i < perLabel; i++) {
      for (int label = 0; label < LABELS.size(); label++) {
        out.add(new Sample(solid(label, size, size, noise, random), label));
      }
    }
    return out;
  }

  /** An image of colour {@code label}, with a patch of another colour when the noise says so. */
  public static BufferedImage solid(int label, int width, int height, Noise noise, Random random) {
    int[] rgb = new int[width * height];
    Arrays.fill(rgb, jitter(SHADES[label], noise, random));
    if (random.nextDouble() < noise.patchChance()) {
      int other = (label + 1 + random.nextInt(LABELS.size() - 1)) % LABELS.size();
      int pw = (int) Math.round(width * (0.2 + 0.25 * random.nextDouble()));
      int ph = (int) Math.round(height * (0.2 + 0.25 * random.nextDouble()));
      int px = random.nextInt(width - pw + 1);
      int py = random.nextInt(height - ph + 1);
      int colour = jitter(SHADES[other], noise, random);
      for (int y = py; y < py + ph; y++) {
        Arrays.fill(rgb, y * width + px, y * width + px + pw, colour);
      }
    }
    return image(rgb, width, height, noise, random);
  }

  /**
   * Two colours, each on one half: {@code first} left and {@code second} right when {@code
   * sideBySide}, else {@code first} above {@code second}. No patch.
   */
  public static BufferedImage halves(
      int first,
      int second,
      boolean sideBySide,
      int width,
      int height,
      Noise noise,
      Random random) {
    int a = jitter(SHADES[first], noise, random);
    int b = jitter(SHADES[second], noise, random);
    int[] rgb = new int[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        boolean firstHalf = sideBySide ? x < width / 2 : y < height / 2;
        rgb[y * width + x] = firstHalf ? a : b;
      }
    }
    return image(rgb, width, height, noise, random);
  }

  /** {@code shade} with each channel shifted by a normal draw of the noise's shade jitter. */
  private static int jitter(int shade, Noise noise, Random random) {
    int out = 0;
    for (int shift = 16; shift >= 0; shift -= 8) {
      double v = ((shade >> shift) & 0xFF) + random.nextGaussian() * noise.shadeJitter();
      out |= clamp(v) << shift;
    }
    return out;
  }

  /** The pixels with per-pixel noise added, as a TYPE_INT_RGB image. */
  private static BufferedImage image(int[] rgb, int width, int height, Noise noise, Random random) {
    if (noise.pixelNoise() > 0) {
      for (int i = 0; i < rgb.length; i++) {
        int p = rgb[i];
        int out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
          out |= clamp(((p >> shift) & 0xFF) + random.nextGaussian() * noise.pixelNoise()) << shift;
        }
        rgb[i] = out;
      }
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, width, height, rgb, 0, width);
    return image;
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }
}
