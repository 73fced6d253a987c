package io.mmflow.operators.infer.local;

import io.mmflow.core.config.ModelOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.ResultError;
import io.mmflow.core.model.ResultStatus;
import io.mmflow.model.onnx.ModelRegistry;
import io.mmflow.model.onnx.ModelSpec;
import io.mmflow.model.text.LanguageIdentifier;
import io.mmflow.model.text.TextModel;
import io.mmflow.operators.normalize.TextModelResults;
import io.mmflow.operators.preprocess.text.PiiDetector;
import io.mmflow.operators.preprocess.text.PiiRedactor;
import io.mmflow.operators.preprocess.text.PiiSpan;
import io.mmflow.operators.preprocess.text.TextNormalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;

/**
 * A registry text model (sentiment or classification) over the text of results that carry one
 * (document extraction, OCR, transcription): text → NFKC and whitespace normalization → tokenizer →
 * ONNX Runtime, a micro-batch at a time → one result per input with the calibrated label scores,
 * the language (the input's, else detected), the token count and whether the text was cut to the
 * model's token budget, and the model's provenance. The result has the input's modality (the
 * sentiment of a transcript is the audio's); for a text part it also carries the classified text.
 */
public final class TextClassification implements BatchFunction<ModalityResult, ModalityResult> {
  private final String registry;
  private final String modelId;
  private final ModelOptions.PiiMode pii;

  private transient TextModel model;
  private transient ModelSpec spec;
  private transient LanguageIdentifier languages;
  private transient TextModelResults results;
  private transient PiiDetector piiDetector;

  public TextClassification(String registry, String modelId) {
    this(registry, modelId, ModelOptions.PiiMode.OFF);
  }

  /**
   * @param pii whether personal data in the text is found (its spans become entities of type {@code
   *     pii:<kind>} with the placeholder as their text, offsets into the normalized text), and
   *     whether the model then sees placeholders instead
   */
  public TextClassification(String registry, String modelId, ModelOptions.PiiMode pii) {
    this.registry = registry;
    this.modelId = modelId;
    this.pii = pii;
  }

  /** Whether {@code r} has text this function can classify. */
  public static boolean hasText(ModalityResult r) {
    return r.status() != ResultStatus.ERROR && r.text() != null && !r.text().isBlank();
  }

  @Override
  public void open(RuntimeContext context) {
    spec = ModelRegistry.load(registry).get(modelId);
    // one session per slot: this job's stages of one subtask index share it. That index stands
    // for the slot because mmflow's jobs run every operator at the job's parallelism in one
    // slot-sharing group (Flink's default), so subtask i of each lands in the same slot; outside an
    // operator (no context) a session of its own.
    model =
        new TextModel(
            spec,
            context == null
                ? null
                : context.getJobInfo().getJobId()
                    + "/"
                    + context.getTaskInfo().getIndexOfThisSubtask());
    languages = new LanguageIdentifier();
    results = new TextModelResults(spec, model.maxTokens());
    piiDetector = pii == ModelOptions.PiiMode.OFF ? null : new PiiDetector();
  }

  @Override
  public List<ModalityResult> apply(List<ModalityResult> batch) {
    Instant started = Instant.now();
    List<String> texts = new ArrayList<>(batch.size());
    List<List<PiiSpan>> found = new ArrayList<>(batch.size());
    for (ModalityResult r : batch) {
      String text = TextNormalizer.normalize(r.text()).text();
      List<PiiSpan> spans = piiDetector == null ? List.of() : piiDetector.detect(text);
      found.add(spans);
      texts.add(
          pii == ModelOptions.PiiMode.REDACT && !spans.isEmpty()
              ? PiiRedactor.redact(text, spans).text()
              : text);
    }
    List<TextModel.Prediction> predictions = model.applyBatch(texts);
    Instant finished = Instant.now();
    List<ModalityResult> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      ModalityResult in = batch.get(i);
      String text = texts.get(i);
      out.add(
          results.answer(
              in, predictions.get(i), text, language(in, text), found.get(i), started, finished));
    }
    return out;
  }

  @Override
  public ModalityResult failed(ModalityResult input, Exception error) {
    return results.failed(input, ResultError.from(error, ErrorCode.MODEL_FAILURE), Instant.now());
  }

  private String language(ModalityResult in, String text) {
    if (in.language() != null) {
      return in.language();
    }
    LanguageIdentifier.Detection d = languages.detect(text);
    return d == null ? null : d.language();
  }

  @Override
  public void close() {
    if (model != null) {
      model.close();
    }
  }
}
