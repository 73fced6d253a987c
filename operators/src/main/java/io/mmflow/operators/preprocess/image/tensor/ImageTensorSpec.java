package io.mmflow.operators.preprocess.image.tensor;

import static io.mmflow.core.util.Checks.checkArgument;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What an ONNX image model expects as input: the tensor's size, how an image of another shape is
 * fitted into it, and how pixels become floats.
 *
 * <p>A pixel value {@code p} (0..255) of tensor channel {@code c} becomes {@code (p * pixelScale -
 * mean[c]) / std[c]}. {@code mean} and {@code std} are given in the tensor's channel order: for a
 * {@link ChannelOrder#BGR} model, {@code mean[0]} is the blue channel's.
 *
 * @param width tensor width W in pixels
 * @param height tensor height H in pixels
 * @param resizeMode how an image of another aspect ratio is fitted into W x H
 * @param mean per tensor channel, subtracted after scaling
 * @param std per tensor channel, divides after subtracting the mean; must be > 0
 * @param channelOrder order of the three colour planes in the tensor
 * @param pixelScale factor applied to the 0..255 pixel values first, e.g. {@code 1/255f}
 * @param padValue gray level 0..255 of the padding in {@link ResizeMode#PAD}, normalized like any
 *     pixel (e.g. 114 for YOLO letterboxing, 0 for black)
 * @param maxPixels larger images (width x height, read from the header) are refused before decoding
 *     with PIXEL_LIMIT_EXCEEDED (MMF-1008)
 */
public record ImageTensorSpec(
    int width,
    int height,
    ResizeMode resizeMode,
    float[] mean,
    float[] std,
    ChannelOrder channelOrder,
    float pixelScale,
    int padValue,
    long maxPixels)
    implements Serializable {

  /** How an image is fitted into the tensor's W x H. */
  public enum ResizeMode {
    /** Scale so the image covers W x H (the shorter side fits), then cut out the centre. */
    CENTER_CROP,
    /**
     * Scale so the image fits inside W x H (the longer side fits), keep the aspect ratio, centre it
     * and fill the rest with {@code padValue} (letterboxing).
     */
    PAD
  }

  /** Order of the colour planes in the tensor. */
  public enum ChannelOrder {
    RGB,
    BGR
  }

  /** The ImageNet statistics used by most torchvision and timm classifiers. */
  public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};

  public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

  /** Default pixel limit, the same as {@code mmflow.ocr.max-pixels}' default. */
  public static final long DEFAULT_MAX_PIXELS = 120_000_000L;

  public ImageTensorSpec {
    checkArgument(width > 0 && width <= 16384, "width must be in 1..16384: %s", width);
    checkArgument(height > 0 && height <= 16384, "height must be in 1..16384: %s", height);
    checkArgument(resizeMode != null, "resize mode must not be null");
    checkArgument(channelOrder != null, "channel order must not be null");
    mean = channels(mean, "mean");
    std = channels(std, "std");
    for (int c = 0; c < 3; c++) {
      checkArgument(
          std[c] > 0 && Float.isFinite(std[c]),
          "std must be finite and > 0 in every channel: %s",
          Arrays.toString(std));
      checkArgument(
          Float.isFinite(mean[c]),
          "mean must be finite in every channel: %s",
          Arrays.toString(mean));
    }
    checkArgument(
        pixelScale > 0 && Float.isFinite(pixelScale),
        "pixel scale must be finite and > 0: %s",
        pixelScale);
    checkArgument(padValue >= 0 && padValue <= 255, "pad value must be in 0..255: %s", padValue);
    checkArgument(maxPixels > 0, "max pixels must be > 0: %s", maxPixels);
  }

  /**
   * The common classifier input: RGB, center crop, {@code 1/255} then ImageNet mean and std,
   * default pixel limit.
   */
  public static ImageTensorSpec imagenet(int width, int height) {
    return new ImageTensorSpec(
        width,
        height,
        ResizeMode.CENTER_CROP,
        IMAGENET_MEAN,
        IMAGENET_STD,
        ChannelOrder.RGB,
        1f / 255f,
        0,
        DEFAULT_MAX_PIXELS);
  }

  /** The same spec with another resize mode and pad value. */
  public ImageTensorSpec withResize(ResizeMode mode, int pad) {
    return new ImageTensorSpec(
        width, height, mode, mean, std, channelOrder, pixelScale, pad, maxPixels);
  }

  /** The same spec with another pixel limit. */
  public ImageTensorSpec withMaxPixels(long limit) {
    return new ImageTensorSpec(
        width, height, resizeMode, mean, std, channelOrder, pixelScale, padValue, limit);
  }

  /** Floats per image in the tensor: {@code 3 * H * W}. */
  public int floatsPerImage() {
    return 3 * width * height;
  }

  /** A copy: the spec is immutable. */
  @Override
  public float[] mean() {
    return mean.clone();
  }

  /** A copy: the spec is immutable. */
  @Override
  public float[] std() {
    return std.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageTensorSpec s
        && width == s.width
        && height == s.height
        && resizeMode == s.resizeMode
        && Arrays.equals(mean, s.mean)
        && Arrays.equals(std, s.std)
        && channelOrder == s.channelOrder
        && Float.compare(pixelScale, s.pixelScale) == 0
        && padValue == s.padValue
        && maxPixels == s.maxPixels;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(
        new Object[] {
          width,
          height,
          resizeMode,
          Arrays.hashCode(mean),
          Arrays.hashCode(std),
          channelOrder,
          pixelScale,
          padValue,
          maxPixels
        });
  }

  @Override
  public String toString() {
    return "ImageTensorSpec["
        + width
        + "x"
        + height
        + ", "
        + resizeMode
        + ", mean="
        + Arrays.toString(mean)
        + ", std="
        + Arrays.toString(std)
        + ", "
        + channelOrder
        + ", scale="
        + pixelScale
        + ", pad="
        + padValue
        + ", maxPixels="
        + maxPixels
        + "]";
  }

  private static float[] channels(float[] values, String name) {
    checkArgument(
        values != null && values.length == 3,
        "%s must have 3 values, one per channel: %s",
        name,
        values == null ? "null" : Arrays.toString(values));
    return values.clone();
  }
}
