package io.mmflow.core.model;

import static io.mmflow.core.util.Checks.checkArgument;
import static io.mmflow.core.util.Checks.requireNonBlank;
import static java.util.Objects.requireNonNull;

import io.mmflow.core.serde.JsonTypeInfoFactory;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * The fused view of one correlation id over one event-time window.
 *
 * @param correlationId the conversation, session or item fused
 * @param windowStart event-time start of the window, inclusive
 * @param windowEnd event-time end, exclusive
 * @param modalitiesPresent modalities with at least one successful result
 * @param modalitiesMissing expected modalities with no successful result
 * @param sentiment the fused sentiment, or null when no modality gave one
 * @param consistency cross-modal agreement in [0,1] (1 = all modalities agree), null with fewer
 *     than two modalities
 * @param strategy the fusion strategy used
 * @param status success, partial failure or error
 * @param resultCount how many modality results the window held
 * @param fusedAt processing time of the fusion
 * @param schemaVersion {@link SchemaVersion#CURRENT} when written
 */
@TypeInfo(JsonTypeInfoFactory.class)
public record FusedResult(
    String correlationId,
    Instant windowStart,
    Instant windowEnd,
    List<Modality> modalitiesPresent,
    List<Modality> modalitiesMissing,
    OverallSentiment sentiment,
    Double consistency,
    FusionStrategy strategy,
    FusionStatus status,
    int resultCount,
    Instant fusedAt,
    int schemaVersion) {
  public FusedResult {
    requireNonBlank(correlationId, "correlationId");
    requireNonNull(windowStart, "windowStart is null");
    requireNonNull(windowEnd, "windowEnd is null");
    checkArgument(
        !windowEnd.isBefore(windowStart), "window end %s before start %s", windowEnd, windowStart);
    modalitiesPresent = modalitiesPresent == null ? List.of() : List.copyOf(modalitiesPresent);
    modalitiesMissing = modalitiesMissing == null ? List.of() : List.copyOf(modalitiesMissing);
    if (consistency != null) {
      io.mmflow.core.util.Checks.checkUnitInterval(consistency, "consistency");
    }
    requireNonNull(strategy, "strategy is null");
    requireNonNull(status, "status is null");
    requireNonNull(fusedAt, "fusedAt is null");
    checkArgument(resultCount >= 0, "resultCount must be >= 0");
  }
}
