package io.mmflow.model.remote;

import static java.util.Objects.requireNonNull;

import io.mmflow.core.model.Cost;
import io.mmflow.core.model.Entity;
import io.mmflow.core.model.Label;
import io.mmflow.core.model.Task;
import java.util.List;
import java.util.Optional;

/**
 * What a remote model answered for one call, already parsed.
 *
 * @param modelId mmflow's id of the model that answered
 * @param task the task asked for
 * @param labels labels with scores (sentiment, classification), best first; else empty
 * @param entities named entities (entities task); else empty
 * @param text the summary, caption or transcript, when the task produces text
 * @param embeddings one vector per input text (embedding task); else empty
 * @param cost tokens used and their price in USD according to the model's {@link Pricing}
 * @param requestId the provider's request id ({@code x-request-id}), when it sent one
 * @param latencyMs wall time of the call, in milliseconds
 */
public record RemoteAnswer(
    String modelId,
    Task task,
    List<Label> labels,
    List<Entity> entities,
    Optional<String> text,
    List<float[]> embeddings,
    Cost cost,
    Optional<String> requestId,
    long latencyMs) {

  public RemoteAnswer {
    requireNonNull(modelId, "modelId is null");
    requireNonNull(task, "task is null");
    labels = List.copyOf(labels);
    entities = List.copyOf(entities);
    requireNonNull(text, "text is null");
    embeddings = List.copyOf(embeddings);
    requireNonNull(cost, "cost is null");
    requireNonNull(requestId, "requestId is null");
  }

  /** The best label, if the answer has labels. */
  public Optional<Label> topLabel() {
    return labels.isEmpty() ? Optional.empty() : Optional.of(labels.get(0));
  }
}
