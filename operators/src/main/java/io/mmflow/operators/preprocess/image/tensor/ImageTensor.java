package io.mmflow.operators.preprocess.image.tensor;

import java.util.Arrays;

/**
 * A float tensor in NCHW order, as ONNX image models take it ({@code OnnxTensor.createTensor(env,
 * FloatBuffer.wrap(data), shape)}). The array is not copied: callers own it.
 *
 * @param data {@code N * 3 * H * W} floats: image, then channel, then row, then column
 * @param shape {@code {N, 3, H, W}}
 * @param placements where each image of the batch went, one per image
 */
public record ImageTensor(float[] data, long[] shape, Placement[] placements) {

  /**
   * Where an image lies in its tensor slot: tensor x = source x * {@code scale} + {@code offsetX}
   * (the same for y), in pixels, for mapping a model's boxes back onto the source. The offsets are
   * negative for a center crop and positive for padding.
   */
  public record Placement(double scale, int offsetX, int offsetY) {
    /** Source x of tensor x {@code tx}. */
    public double toSourceX(double tx) {
      return (tx - offsetX) / scale;
    }

    /** Source y of tensor y {@code ty}. */
    public double toSourceY(double ty) {
      return (ty - offsetY) / scale;
    }
  }

  public ImageTensor {
    if (shape.length != 4 || shape[1] != 3) {
      throw new IllegalArgumentException("shape must be {N, 3, H, W}: " + Arrays.toString(shape));
    }
    if (data.length != shape[0] * shape[1] * shape[2] * shape[3]) {
      throw new IllegalArgumentException(
          data.length + " floats do not fill the shape " + Arrays.toString(shape));
    }
    if (placements.length != shape[0]) {
      throw new IllegalArgumentException(
          placements.length + " placements for a batch of " + shape[0]);
    }
    shape = shape.clone();
    placements = placements.clone();
  }

  /** A copy of the shape. */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** A copy of the placements. */
  @Override
  public Placement[] placements() {
    return placements.clone();
  }

  /** Value at batch index {@code n}, channel {@code c}, row {@code y}, column {@code x}. */
  public float get(int n, int c, int y, int x) {
    int h = (int) shape[2];
    int w = (int) shape[3];
    return data[((n * 3 + c) * h + y) * w + x];
  }

  @Override
  public String toString() {
    return "ImageTensor" + Arrays.toString(shape);
  }
}
