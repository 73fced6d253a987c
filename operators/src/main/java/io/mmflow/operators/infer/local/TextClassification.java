package io.mmflow.operators.infer.local;

import io.mmflow.core.config.ModelOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.ResultError;
import io.mmflow.core.model.ResultStatus;
import io.mmflow.core.model.Timing;
import io.mmflow.model.onnx.ModelRegistry;
import io.mmflow.model.onnx.ModelSpec;
import io.mmflow.model.text.LanguageIdentifier;
import io.mmflow.model.text.TextModel;
import io.mmflow.operators.preprocess.text.PiiDetector;
import io.mmflow.operators.preprocess.text.PiiRedactor;
import io.mmflow.operators.preprocess.text.PiiSpan;
import io.mmflow.operators.preprocess.text.TextNormalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
  // per-model strings every result carries, made once
  private transient String calibration;
  private transient String maxTokens;
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
    model = new TextModel(spec);
    languages = new LanguageIdentifier();
    calibration = spec.calibration().describe();
    maxTokens = Integer.toString(model.maxTokens());
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
      TextModel.Prediction p = predictions.get(i);
      ModalityResult.Builder result = base(in, started, finished);
      if (in.modality() == Modality.TEXT) {
        // a text part (a post, a message) has no other result: its sentiment keeps the text the
        // model saw (normalized; redacted when mmflow.models.pii=REDACT)
        result.text(texts.get(i));
      }
      out.add(
          result
              .labels(p.labels())
              .confidence(p.confidence(), calibration)
              .language(language(in, texts.get(i)))
              .attribute("tokens", Integer.toString(p.tokens()))
              .attribute("truncated", Boolean.toString(p.truncated()))
              .attribute("max_tokens", maxTokens)
              .entities(PiiSpan.entities(found.get(i)))
              .build());
    }
    return out;
  }

  @Override
  public ModalityResult failed(ModalityResult input, Exception error) {
    Instant now = Instant.now();
    return base(input, now, now).error(ResultError.from(error, ErrorCode.MODEL_FAILURE)).build();
  }

  private ModalityResult.Builder base(ModalityResult in, Instant started, Instant finished) {
    return ModalityResult.builder()
        .itemId(in.itemId())
        .partId(in.partId())
        .correlationId(in.correlationId())
        .modality(in.modality())
        .task(spec.task())
        .status(ResultStatus.OK)
        .provenance(
            spec.info()
                .provenance(in.provenance().sourceUri(), in.provenance().contentSha256(), false))
        .timing(Timing.of(in.timing().eventTime(), started, finished))
        .attribute("model_task", spec.task().wireName())
        .attribute("source_task", in.task().wireName())
        .attributes(sourceAttributes(in));
  }

  /** Where the text came from ({@code source.*}: the file's or the Kafka record's coordinates). */
  private static Map<String, String> sourceAttributes(ModalityResult in) {
    Map<String, String> out = new HashMap<>();
    in.attributes()
        .forEach(
            (k, v) -> {
              if (k.startsWith("source.")) {
                out.put(k, v);
              }
            });
    return out;
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
