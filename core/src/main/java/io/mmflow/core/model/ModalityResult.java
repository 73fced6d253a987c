package io.mmflow.core.model;

import static io.mmflow.core.util.Checks.checkArgument;
import static io.mmflow.core.util.Checks.checkUnitInterval;
import static io.mmflow.core.util.Checks.requireNonBlank;
import static java.util.Objects.requireNonNull;

import io.mmflow.core.serde.JsonTypeInfoFactory;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * The canonical answer of one task on one part, whatever the modality, model or provider.
 *
 * <p>Its key is ({@code itemId}, {@code partId}, {@code task}, {@code provenance.modelVersion}):
 * sinks upsert on it, so replaying the same input leaves one row. See docs/schema.md for every
 * field.
 *
 * @param itemId the input item
 * @param partId the part of the item (page number, feed part id); {@code "0"} for a whole item
 * @param correlationId the group the item is fused in
 * @param modality the part's modality
 * @param task what was asked
 * @param status ok, degraded or error
 * @param labels labels with calibrated scores, best first; empty when the task has none
 * @param entities entities found (words with boxes, PII spans, spoken segments)
 * @param text extracted, recognised or transcribed text; null when the task yields none
 * @param language ISO 639-1 code of the text's language, or null when unknown
 * @param pageCount pages in the document, for document tasks
 * @param embedding an embedding vector, for embedding tasks
 * @param confidence overall confidence in [0,1], calibrated by {@code calibration}
 * @param calibration the method that mapped raw scores to {@code confidence}
 * @param provenance provider, model and input
 * @param timing event time and processing times
 * @param cost tokens and money
 * @param error why the task failed, when {@code status} is error
 * @param attributes task specific facts (content type, truncated, parser)
 * @param schemaVersion {@link SchemaVersion#CURRENT} when written
 */
@TypeInfo(JsonTypeInfoFactory.class)
public record ModalityResult(
    String itemId,
    String partId,
    String correlationId,
    Modality modality,
    Task task,
    ResultStatus status,
    List<Label> labels,
    List<Entity> entities,
    String text,
    String language,
    Integer pageCount,
    float[] embedding,
    Double confidence,
    String calibration,
    Provenance provenance,
    Timing timing,
    Cost cost,
    ResultError error,
    Map<String, String> attributes,
    int schemaVersion) {

  public ModalityResult {
    requireNonBlank(itemId, "itemId");
    requireNonBlank(partId, "partId");
    requireNonBlank(correlationId, "correlationId");
    requireNonNull(modality, "modality is null");
    requireNonNull(task, "task is null");
    requireNonNull(status, "status is null");
    requireNonNull(provenance, "provenance is null");
    requireNonNull(timing, "timing is null");
    labels = labels == null ? List.of() : List.copyOf(labels);
    entities = entities == null ? List.of() : List.copyOf(entities);
    cost = cost == null ? Cost.FREE : cost;
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    if (confidence != null) {
      checkUnitInterval(confidence, "confidence");
    }
    checkArgument(
        (status == ResultStatus.ERROR) == (error != null),
        "an error result must carry an error and only an error result may: status=%s, error=%s",
        status,
        error);
    checkArgument(pageCount == null || pageCount >= 0, "pageCount must be >= 0: %s", pageCount);
    checkArgument(schemaVersion > 0, "schemaVersion must be > 0, but was: %s", schemaVersion);
  }

  /** The upsert key: item, part, task and model version joined by {@code '/'}. */
  public String resultKey() {
    return itemId + "/" + partId + "/" + task.wireName() + "/" + provenance.modelVersion();
  }

  /** This result with another modality (e.g. the sentiment of a transcript counts as audio). */
  public ModalityResult withModality(Modality other) {
    if (other == modality) {
      return this;
    }
    return new ModalityResult(
        itemId,
        partId,
        correlationId,
        other,
        task,
        status,
        labels,
        entities,
        text,
        language,
        pageCount,
        embedding,
        confidence,
        calibration,
        provenance,
        timing,
        cost,
        error,
        attributes,
        schemaVersion);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModalityResult r
        && schemaVersion == r.schemaVersion
        && itemId.equals(r.itemId)
        && partId.equals(r.partId)
        && correlationId.equals(r.correlationId)
        && modality == r.modality
        && task == r.task
        && status == r.status
        && labels.equals(r.labels)
        && entities.equals(r.entities)
        && Objects.equals(text, r.text)
        && Objects.equals(language, r.language)
        && Objects.equals(pageCount, r.pageCount)
        && Arrays.equals(embedding, r.embedding)
        && Objects.equals(confidence, r.confidence)
        && Objects.equals(calibration, r.calibration)
        && provenance.equals(r.provenance)
        && timing.equals(r.timing)
        && cost.equals(r.cost)
        && Objects.equals(error, r.error)
        && attributes.equals(r.attributes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(itemId, partId, task, provenance, status);
  }

  @Override
  public String toString() {
    return "ModalityResult[key=%s, modality=%s, status=%s, confidence=%s, error=%s]"
        .formatted(resultKey(), modality, status, confidence, error);
  }

  /** Builds a result; {@link #build()} runs the record's checks. */
  public static final class Builder {
    private String itemId;
    private String partId = "0";
    private String correlationId;
    private Modality modality;
    private Task task;
    private ResultStatus status = ResultStatus.OK;
    private List<Label> labels = List.of();
    private List<Entity> entities = List.of();
    private String text;
    private String language;
    private Integer pageCount;
    private float[] embedding;
    private Double confidence;
    private String calibration;
    private Provenance provenance;
    private Timing timing;
    private Cost cost = Cost.FREE;
    private ResultError error;
    private final Map<String, String> attributes = new HashMap<>();

    private Builder() {}

    /** Copies item, part and correlation id from the input item. */
    public Builder forItem(MediaItem item) {
      this.itemId = item.itemId();
      this.partId = item.partId();
      this.correlationId = item.correlationId();
      return this;
    }

    public Builder itemId(String v) {
      this.itemId = v;
      return this;
    }

    public Builder partId(String v) {
      this.partId = v;
      return this;
    }

    public Builder correlationId(String v) {
      this.correlationId = v;
      return this;
    }

    public Builder modality(Modality v) {
      this.modality = v;
      return this;
    }

    public Builder task(Task v) {
      this.task = v;
      return this;
    }

    public Builder status(ResultStatus v) {
      this.status = v;
      return this;
    }

    public Builder labels(List<Label> v) {
      this.labels = v;
      return this;
    }

    public Builder entities(List<Entity> v) {
      this.entities = v;
      return this;
    }

    public Builder text(String v) {
      this.text = v;
      return this;
    }

    public Builder language(String v) {
      this.language = v;
      return this;
    }

    public Builder pageCount(Integer v) {
      this.pageCount = v;
      return this;
    }

    public Builder embedding(float[] v) {
      this.embedding = v;
      return this;
    }

    public Builder confidence(Double v, String calibrationMethod) {
      this.confidence = v;
      this.calibration = calibrationMethod;
      return this;
    }

    public Builder provenance(Provenance v) {
      this.provenance = v;
      return this;
    }

    public Builder timing(Timing v) {
      this.timing = v;
      return this;
    }

    public Builder cost(Cost v) {
      this.cost = v;
      return this;
    }

    /** Marks the result as failed with {@code e}. */
    public Builder error(ResultError e) {
      this.error = e;
      this.status = ResultStatus.ERROR;
      return this;
    }

    public Builder attribute(String key, String value) {
      if (value != null) {
        attributes.put(key, value);
      }
      return this;
    }

    /**
     * Adds the item's attributes (file or object metadata, Kafka coordinates) as {@code
     * source.<key>}, so a result says where its input came from.
     */
    public Builder sourceAttributes(MediaItem item) {
      item.attributes().forEach((k, v) -> attribute(AttributeKeys.SOURCE_PREFIX + k, v));
      return this;
    }

    /** Adds every entry of {@code more} (null values skipped). */
    public Builder attributes(Map<String, String> more) {
      more.forEach(this::attribute);
      return this;
    }

    public ModalityResult build() {
      return new ModalityResult(
          itemId,
          partId,
          correlationId == null ? itemId : correlationId,
          modality,
          task,
          status,
          labels,
          entities,
          text,
          language,
          pageCount,
          embedding,
          confidence,
          calibration,
          provenance,
          timing,
          cost,
          error,
          attributes,
          SchemaVersion.CURRENT);
    }
  }
}
