package io.mmflow.operators.normalize;

import io.mmflow.core.model.AttributeKeys;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.ResultError;
import io.mmflow.core.model.ResultStatus;
import io.mmflow.core.model.Timing;
import io.mmflow.model.onnx.ModelSpec;
import io.mmflow.model.text.TextModel;
import io.mmflow.operators.preprocess.text.PiiSpan;
import java.time.Instant;
import java.util.List;

/**
 * A registry text model's answer on the text of another result (a document's extraction, a page's
 * OCR, a transcript, a text part): the same item, part and modality as its input (the sentiment of
 * a transcript is the audio's), the task and provenance of the model, calibrated labels with the
 * best label's score as confidence (the model's calibration method), the language, the token count
 * and whether the text was cut to the model's budget, PII spans as entities, and the input's {@code
 * source.*} attributes.
 */
public final class TextModelResults {
  private final ModelSpec spec;
  // per-model strings every result carries, made once
  private final String calibration;
  private final String maxTokens;

  /**
   * @param spec the registry model
   * @param maxTokens the model's token budget
   */
  public TextModelResults(ModelSpec spec, int maxTokens) {
    this.spec = spec;
    this.calibration = spec.calibration().describe();
    this.maxTokens = Integer.toString(maxTokens);
  }

  /**
   * The model's answer {@code p} on {@code in}'s text.
   *
   * @param seenText the text the model saw (normalized; redacted when PII is redacted): kept on the
   *     result of a text part, which has no other result
   * @param language the input's language, else the one detected; may be null
   * @param pii the personal data found in the text, as {@code pii:<kind>} entities
   */
  public ModalityResult answer(
      ModalityResult in,
      TextModel.Prediction p,
      String seenText,
      String language,
      List<PiiSpan> pii,
      Instant started,
      Instant finished) {
    ModalityResult.Builder result = base(in, started, finished);
    if (in.modality() == Modality.TEXT) {
      result.text(seenText);
    }
    return result
        .labels(p.labels())
        .confidence(p.confidence(), calibration)
        .language(language)
        .attribute("tokens", Integer.toString(p.tokens()))
        .attribute(AttributeKeys.TRUNCATED, Boolean.toString(p.truncated()))
        .attribute("max_tokens", maxTokens)
        .entities(PiiSpan.entities(pii))
        .build();
  }

  /** The error result of an input the model failed on. */
  public ModalityResult failed(ModalityResult in, ResultError error, Instant at) {
    return base(in, at, at).error(error).build();
  }

  private ModalityResult.Builder base(ModalityResult in, Instant started, Instant finished) {
    ModalityResult.Builder b =
        ModalityResult.builder()
            .itemId(in.itemId())
            .partId(in.partId())
            .correlationId(in.correlationId())
            .modality(in.modality())
            .task(spec.task())
            .status(ResultStatus.OK)
            .provenance(
                spec.info()
                    .provenance(
                        in.provenance().sourceUri(), in.provenance().contentSha256(), false))
            .timing(Timing.of(in.timing().eventTime(), started, finished))
            .attribute("model_task", spec.task().wireName())
            .attribute("source_task", in.task().wireName());
    // where the text came from: the file's or the Kafka record's coordinates
    in.attributes()
        .forEach(
            (k, v) -> {
              if (k.startsWith(AttributeKeys.SOURCE_PREFIX)) {
                b.attribute(k, v);
              }
            });
    return b;
  }
}
