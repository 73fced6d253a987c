package io.mmflow.operators.infer.local;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.ResultError;
import io.mmflow.model.image.ImageModel;
import io.mmflow.model.onnx.ModelRegistry;
import io.mmflow.model.onnx.ModelSpec;
import io.mmflow.operators.normalize.ImageModelResults;
import io.mmflow.operators.preprocess.image.tensor.ImageDecoder;
import io.mmflow.operators.preprocess.image.tensor.ImageTensorSpec;
import io.mmflow.operators.preprocess.image.tensor.ImageTensorSpec.ChannelOrder;
import io.mmflow.operators.preprocess.image.tensor.ImageTensorSpec.ResizeMode;
import io.mmflow.operators.preprocess.image.tensor.ImageTensors;
import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;

/**
 * A registry image model (classification or embedding) over image items that carry their bytes:
 * bytes → {@link ImageDecoder} (pixel limit from the header, EXIF orientation) → {@link
 * ImageTensors} as the model's {@code preprocessing} says (image size, center-crop or pad, mean,
 * std) → one ONNX Runtime run per micro-batch → one result per item: calibrated labels and the best
 * label's confidence, or the unit-length embedding, with the model's provenance.
 *
 * <p>An item whose image cannot be decoded (no bytes, unknown format, corrupt, over the pixel
 * limit) becomes an error result with its code (MMF-1001, 1003, 1004, 1008); the rest of its batch
 * runs. A model failure fails the batch, and {@link MicroBatchOperator} then retries each item
 * alone.
 */
public final class ImageClassification implements BatchFunction<MediaItem, ModalityResult> {
  private final String registry;
  private final String modelId;
  private final long maxPixels;

  private transient ModelSpec spec;
  private transient ImageModel model;
  private transient ImageTensorSpec tensorSpec;
  private transient ImageModelResults results;

  /** The model {@code modelId} of the registry at {@code registry}, the default pixel limit. */
  public ImageClassification(String registry, String modelId) {
    this(registry, modelId, ImageTensorSpec.DEFAULT_MAX_PIXELS);
  }

  /** As above; larger images (width × height) are refused before decoding. */
  public ImageClassification(String registry, String modelId, long maxPixels) {
    this.registry = registry;
    this.modelId = modelId;
    this.maxPixels = maxPixels;
  }

  /**
   * How records become the tensor of an image model: its image size, resize mode, mean and std; RGB
   * planes, pixels scaled by 1/255 first, padding black.
   */
  public static ImageTensorSpec tensorSpec(ModelSpec spec, long maxPixels) {
    ModelSpec.Preprocessing p = spec.preprocessing();
    return new ImageTensorSpec(
        p.imageWidth(),
        p.imageHeight(),
        "pad".equals(p.resize()) ? ResizeMode.PAD : ResizeMode.CENTER_CROP,
        p.mean(),
        p.std(),
        ChannelOrder.RGB,
        1f / 255f,
        0,
        maxPixels);
  }

  @Override
  public void open(RuntimeContext context) {
    spec = ModelRegistry.load(registry).get(modelId);
    tensorSpec = tensorSpec(spec, maxPixels);
    model = new ImageModel(spec);
    results = new ImageModelResults(spec);
  }

  @Override
  public List<ModalityResult> apply(List<MediaItem> batch) {
    Instant started = Instant.now();
    int n = batch.size();
    float[] nchw = new float[Math.multiplyExact(n, tensorSpec.floatsPerImage())];
    ModalityResult[] out = new ModalityResult[n];
    int[] width = new int[n];
    int[] height = new int[n];
    int rows = 0;
    for (int i = 0; i < n; i++) {
      MediaItem item = batch.get(i);
      try {
        BufferedImage image = ImageDecoder.decode(item.content(), tensorSpec.maxPixels());
        ImageTensors.write(image, tensorSpec, nchw, rows);
        rows++; // only once the slot is written: rows are the decoded items, in order
        width[i] = image.getWidth();
        height[i] = image.getHeight();
      } catch (MmflowException e) {
        out[i] = error(item, e.code(), e.getMessage(), started);
      } catch (RuntimeException e) { // a decoder's own failure on malformed bytes
        out[i] = error(item, ErrorCode.CORRUPT_INPUT, "cannot decode the image: " + e, started);
      }
    }
    List<ImageModel.Prediction> predictions = model.applyBatch(nchw, rows);
    Instant finished = Instant.now();
    List<ModalityResult> done = new ArrayList<>(n);
    int row = 0;
    for (int i = 0; i < n; i++) {
      done.add(
          out[i] != null
              ? out[i]
              : results.answer(
                  batch.get(i), predictions.get(row++), width[i], height[i], started, finished));
    }
    return done;
  }

  @Override
  public ModalityResult failed(MediaItem input, Exception error) {
    Instant now = Instant.now();
    return results.failed(input, ResultError.from(error, ErrorCode.MODEL_FAILURE), now, now);
  }

  private ModalityResult error(MediaItem item, ErrorCode code, String message, Instant started) {
    return results.failed(item, ResultError.of(code, message), started, Instant.now());
  }

  @Override
  public void close() {
    if (model != null) {
      model.close();
      model = null;
    }
  }
}
