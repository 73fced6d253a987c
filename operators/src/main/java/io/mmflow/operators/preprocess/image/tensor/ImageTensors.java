package io.mmflow.operators.preprocess.image.tensor;

import io.mmflow.operators.preprocess.image.tensor.ImageTensor.Placement;
import io.mmflow.operators.preprocess.image.tensor.ImageTensorSpec.ChannelOrder;
import io.mmflow.operators.preprocess.image.tensor.ImageTensorSpec.ResizeMode;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Images to NCHW float tensors for ONNX models, as described by an {@link ImageTensorSpec}: decode
 * (bytes only; see {@link ImageDecoder}), fit into W x H by center crop or padding, resample,
 * reorder the channels, scale and normalize.
 *
 * <p>Resampling is separable (one axis at a time, G. Wolberg, <i>Digital Image Warping</i>, 1990,
 * ch. 5) in floats, computed only for the pixels that land in the tensor:
 *
 * <ul>
 *   <li>reducing an axis: area averaging (a box filter one output pixel wide, each source pixel
 *       weighted by the part of it the output pixel covers; OpenCV's {@code INTER_AREA}). It is the
 *       exact integral of the piecewise-constant image, so large reductions do not alias, in one
 *       pass instead of Java2D's repeated bilinear halvings;
 *   <li>enlarging an axis: bilinear interpolation between the two nearest source pixel centres
 *       (half-pixel centres, edges clamped; OpenCV's {@code INTER_LINEAR}).
 * </ul>
 *
 * Models trained with PIL's antialiased bilinear (a triangle filter when reducing) see values a few
 * levels apart on sharp edges; flat regions are identical.
 */
public final class ImageTensors {
  private ImageTensors() {}

  /**
   * Decodes {@code bytes} (upright, pixel limit {@code spec.maxPixels()} checked from the header
   * first) and converts it to a tensor of shape {@code {1, 3, H, W}}.
   *
   * @throws io.mmflow.core.error.MmflowException as {@link ImageDecoder#decode}
   */
  public static ImageTensor toTensor(byte[] bytes, ImageTensorSpec spec) {
    return toTensor(ImageDecoder.decode(bytes, spec.maxPixels()), spec);
  }

  /**
   * Converts an already decoded image to a tensor of shape {@code {1, 3, H, W}}. The image is used
   * as it is (no EXIF orientation: it has none).
   */
  public static ImageTensor toTensor(BufferedImage image, ImageTensorSpec spec) {
    return toBatch(List.of(image), spec);
  }

  /** Converts {@code images} to one tensor of shape {@code {N, 3, H, W}}, in list order. */
  public static ImageTensor toBatch(List<BufferedImage> images, ImageTensorSpec spec) {
    if (images.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one image");
    }
    float[] data = new float[Math.multiplyExact(images.size(), spec.floatsPerImage())];
    Placement[] placements = new Placement[images.size()];
    for (int i = 0; i < images.size(); i++) {
      placements[i] = write(images.get(i), spec, data, i);
    }
    return new ImageTensor(
        data, new long[] {images.size(), 3, spec.height(), spec.width()}, placements);
  }

  /**
   * Writes {@code image} into slot {@code index} of a batch buffer of {@code N * 3 * H * W} floats
   * (floats {@code index * 3HW} to {@code (index + 1) * 3HW}); the rest of the buffer is untouched.
   */
  public static Placement write(
      BufferedImage image, ImageTensorSpec spec, float[] batch, int index) {
    int per = spec.floatsPerImage();
    if (index < 0 || (long) (index + 1) * per > batch.length) {
      throw new IndexOutOfBoundsException(
          "slot " + index + " of " + per + " floats does not fit a buffer of " + batch.length);
    }
    return fill(image, spec, batch, index * per);
  }

  /**
   * Writes {@code image} into slot {@code index} of a batch buffer (e.g. a direct buffer handed to
   * ONNX Runtime), with absolute puts: the buffer's position is not changed.
   */
  public static Placement write(
      BufferedImage image, ImageTensorSpec spec, FloatBuffer batch, int index) {
    int per = spec.floatsPerImage();
    if (index < 0 || (long) (index + 1) * per > batch.limit()) {
      throw new IndexOutOfBoundsException(
          "slot " + index + " of " + per + " floats does not fit a buffer of " + batch.limit());
    }
    if (batch.hasArray() && !batch.isReadOnly()) {
      return fill(image, spec, batch.array(), batch.arrayOffset() + index * per);
    }
    float[] one = new float[per];
    Placement placement = fill(image, spec, one, 0);
    batch.put(index * per, one);
    return placement;
  }

  private static Placement fill(BufferedImage image, ImageTensorSpec spec, float[] out, int at) {
    BufferedImage rgb = ImageDecoder.toRgb(image);
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    int tw = spec.width();
    int th = spec.height();
    double scale;
    int rw;
    int rh;
    if (spec.resizeMode() == ResizeMode.CENTER_CROP) {
      scale = Math.max((double) tw / w, (double) th / h);
      rw = Math.max(tw, (int) Math.round(w * scale));
      rh = Math.max(th, (int) Math.round(h * scale));
    } else {
      scale = Math.min((double) tw / w, (double) th / h);
      rw = Math.min(tw, Math.max(1, (int) Math.round(w * scale)));
      rh = Math.min(th, Math.max(1, (int) Math.round(h * scale)));
    }
    // the part of the resized image that lands in the tensor, and where it lands
    int cropX = Math.max(0, (rw - tw) / 2);
    int cropY = Math.max(0, (rh - th) / 2);
    int padX = Math.max(0, (tw - rw) / 2);
    int padY = Math.max(0, (th - rh) / 2);
    int cols = Math.min(rw, tw);
    int rows = Math.min(rh, th);

    float[] a = new float[3];
    float[] b = new float[3];
    float[] mean = spec.mean();
    float[] std = spec.std();
    for (int c = 0; c < 3; c++) {
      a[c] = spec.pixelScale() / std[c];
      b[c] = -mean[c] / std[c];
    }
    int plane = tw * th;
    if (cols < tw || rows < th) {
      for (int c = 0; c < 3; c++) {
        Arrays.fill(out, at + c * plane, at + (c + 1) * plane, spec.padValue() * a[c] + b[c]);
      }
    }

    Taps tx = Taps.of(w, rw, cropX, cols);
    Taps ty = Taps.of(h, rh, cropY, rows);
    int rowLo = ty.start[0];
    int rowHi = ty.start[rows - 1] + ty.size;
    // horizontal pass over the source rows the vertical taps read: R, G, B planes of cols floats
    int midRows = rowHi - rowLo;
    float[][] mid = new float[3][midRows * cols];
    int[] line = new int[w];
    for (int y = rowLo; y < rowHi; y++) {
      rgb.getRGB(0, y, w, 1, line, 0, w);
      int o = (y - rowLo) * cols;
      for (int x = 0; x < cols; x++) {
        int s = tx.start[x];
        int t = x * tx.size;
        float r = 0;
        float g = 0;
        float bl = 0;
        for (int k = 0; k < tx.size; k++) {
          float wk = tx.weight[t + k];
          int p = line[s + k];
          r += ((p >> 16) & 0xFF) * wk;
          g += ((p >> 8) & 0xFF) * wk;
          bl += (p & 0xFF) * wk;
        }
        mid[0][o + x] = r;
        mid[1][o + x] = g;
        mid[2][o + x] = bl;
      }
    }
    // vertical pass, channel reorder and normalization straight into the tensor slot
    int[] source =
        spec.channelOrder() == ChannelOrder.RGB ? new int[] {0, 1, 2} : new int[] {2, 1, 0};
    for (int c = 0; c < 3; c++) {
      float[] m = mid[source[c]];
      for (int y = 0; y < rows; y++) {
        int dst = at + c * plane + (padY + y) * tw + padX;
        int s = (ty.start[y] - rowLo) * cols;
        int t = y * ty.size;
        for (int x = 0; x < cols; x++) {
          float v = 0;
          for (int k = 0; k < ty.size; k++) {
            v += m[s + k * cols + x] * ty.weight[t + k];
          }
          out[dst + x] = v * a[c] + b[c];
        }
      }
    }
    boolean crop = spec.resizeMode() == ResizeMode.CENTER_CROP;
    return new Placement(scale, crop ? -cropX : padX, crop ? -cropY : padY);
  }

  /**
   * For output pixels {@code from .. from + count - 1} of one axis resized from {@code in} to
   * {@code out} pixels: the first source pixel and {@code size} weights summing to 1.
   */
  private static final class Taps {
    final int size;
    final int[] start;
    final float[] weight;

    private Taps(int size, int[] start, float[] weight) {
      this.size = size;
      this.start = start;
      this.weight = weight;
    }

    static Taps of(int in, int out, int from, int count) {
      int[] start = new int[count];
      if (out == in || in == 1) {
        float[] weight = new float[count];
        for (int i = 0; i < count; i++) {
          start[i] = in == 1 ? 0 : from + i;
          weight[i] = 1f;
        }
        return new Taps(1, start, weight);
      }
      double scale = (double) in / out;
      if (out < in) {
        int size = Math.min(in, (int) Math.ceil(scale) + 1);
        float[] weight = new float[count * size];
        for (int i = 0; i < count; i++) {
          double a = (from + i) * scale;
          double b = Math.min(in, (from + i + 1) * scale);
          int s = Math.max(0, Math.min((int) Math.floor(a), in - size));
          start[i] = s;
          double total = 0;
          for (int k = 0; k < size; k++) {
            int j = s + k;
            total += j >= in ? 0 : Math.max(0, Math.min(b, j + 1) - Math.max(a, j));
          }
          for (int k = 0; k < size; k++) {
            int j = s + k;
            double c = j >= in ? 0 : Math.max(0, Math.min(b, j + 1) - Math.max(a, j));
            weight[i * size + k] = (float) (c / total);
          }
        }
        return new Taps(size, start, weight);
      }
      float[] weight = new float[count * 2];
      for (int i = 0; i < count; i++) {
        double c = (from + i + 0.5) * scale - 0.5;
        c = Math.max(0, Math.min(in - 1, c));
        int j = Math.min((int) Math.floor(c), in - 2);
        double frac = c - j;
        start[i] = j;
        weight[i * 2] = (float) (1 - frac);
        weight[i * 2 + 1] = (float) frac;
      }
      return new Taps(2, start, weight);
    }
  }
}
