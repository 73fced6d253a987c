package io.mmflow.sql.model;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.model.MediaItem;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.ResultError;
import io.mmflow.operators.infer.local.BatchFunction;
import io.mmflow.operators.normalize.ExtractionResults;
import io.mmflow.sql.functions.DocumentReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.configuration.Configuration;

/**
 * Tesseract as a model of {@code ML_PREDICT}: each image read as {@code MMF_OCR} reads it (the
 * jobs' validation, OCR preprocessing and page reading, with the model's {@code mmflow.ocr.*}
 * settings), one image after the other on the batcher's thread (one engine per function instance;
 * Flink's parallelism gives more).
 */
final class TesseractStage implements BatchFunction<MediaItem, ModalityResult> {
  private static final long serialVersionUID = 1L;

  /** The model id that names Tesseract in {@code 'model'} and in the models catalog. */
  static final String MODEL_ID = "tesseract";

  private final Map<String, String> settings;
  private transient DocumentReader reader;

  TesseractStage(Configuration settings) {
    this.settings = settings.toMap();
  }

  @Override
  public void open(RuntimeContext context) {
    reader = new DocumentReader(Configuration.fromMap(settings), true, true);
  }

  @Override
  public List<ModalityResult> apply(List<MediaItem> batch) {
    List<ModalityResult> out = new ArrayList<>(batch.size());
    for (MediaItem item : batch) {
      out.add(reader.readImage(item));
    }
    return out;
  }

  @Override
  public ModalityResult failed(MediaItem input, Exception error) {
    Instant now = Instant.now();
    ResultError e = ResultError.from(error, ErrorCode.MODEL_FAILURE);
    return ExtractionResults.rejectedItem(input, e.code(), e.message(), now, now);
  }

  @Override
  public void close() {
    if (reader != null) {
      reader.close();
    }
  }
}
