package io.mmflow.operators.normalize;

import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.ResultError;
import io.mmflow.core.model.ResultStatus;
import io.mmflow.core.model.Task;
import io.mmflow.model.image.ImageModel;
import io.mmflow.model.onnx.ModelSpec;
import java.time.Instant;

/**
 * A registry image model's answer on an image item (modality image): calibrated labels with the
 * best label's score as confidence, or the unit-length embedding with its dimension; the image's
 * size and the model's resize mode; or the error of an image that could not be read.
 */
public final class ImageModelResults {
  private final ModelSpec spec;
  private final String calibration;

  public ImageModelResults(ModelSpec spec) {
    this.spec = spec;
    this.calibration = spec.calibration().describe();
  }

  /** The model's answer {@code p} on {@code item}'s image of {@code width} × {@code height}. */
  public ModalityResult answer(
      MediaItem item,
      ImageModel.Prediction p,
      int width,
      int height,
      Instant started,
      Instant finished) {
    ModalityResult.Builder r =
        base(item, started, finished)
            .attribute("image_width", Integer.toString(width))
            .attribute("image_height", Integer.toString(height));
    if (spec.task() == Task.EMBEDDING) {
      r.embedding(p.embedding()).attribute("embedding_dim", Integer.toString(p.embedding().length));
    } else {
      r.labels(p.labels()).confidence(p.confidence(), calibration);
    }
    return r.build();
  }

  /** The error result of an item whose image could not be read, or that the model failed on. */
  public ModalityResult failed(
      MediaItem item, ResultError error, Instant started, Instant finished) {
    return base(item, started, finished).error(error).build();
  }

  private ModalityResult.Builder base(MediaItem item, Instant started, Instant finished) {
    return Results.of(item, Modality.IMAGE, spec.task(), spec.info(), started, finished)
        .status(ResultStatus.OK)
        .attribute("model_task", spec.task().wireName())
        .attribute("resize", spec.preprocessing().resize());
  }
}
