package io.mmflow.model.remote;

import static java.util.Objects.requireNonNull;

import io.mmflow.core.model.Task;
import java.util.Set;

/**
 * One model of a remote provider, as declared under {@code providers[].models} of the provider
 * registry.
 *
 * @param provider the name of the provider that serves it
 * @param id mmflow's id of the model (the {@code model_id} of results), unique in the registry
 * @param model the provider's name of the model, sent in each request
 * @param tasks the tasks this model may be asked for
 * @param pricing what a call costs
 * @param quality 0..1, how good its answers are (for routing)
 * @param maxTokens the most output tokens asked for per call
 * @param temperature the sampling temperature sent with chat calls
 */
public record RemoteModelSpec(
    String provider,
    String id,
    String model,
    Set<Task> tasks,
    Pricing pricing,
    double quality,
    int maxTokens,
    double temperature) {

  public RemoteModelSpec {
    requireNonNull(provider, "provider is null");
    requireNonNull(id, "id is null");
    requireNonNull(model, "model is null");
    tasks = Set.copyOf(tasks);
    requireNonNull(pricing, "pricing is null");
  }

  /** Whether this model may be asked for {@code task}. */
  public boolean supports(Task task) {
    return tasks.contains(task);
  }
}
