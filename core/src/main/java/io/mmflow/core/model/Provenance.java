package io.mmflow.core.model;

import static io.mmflow.core.util.Checks.requireNonBlank;

/**
 * Where a result came from.
 *
 * @param provider who ran the model: {@code apache-tika}, {@code tesseract}, {@code onnxruntime},
 *     or a remote provider's name
 * @param modelId the model's id
 * @param modelVersion the model's version; part of every result key, so a new version adds rows
 *     instead of overwriting them
 * @param sourceUri the input object
 * @param contentSha256 hex SHA-256 of the input bytes
 * @param cacheHit whether the answer came from a result cache rather than a model call
 */
public record Provenance(
    String provider,
    String modelId,
    String modelVersion,
    String sourceUri,
    String contentSha256,
    boolean cacheHit) {
  public Provenance {
    requireNonBlank(provider, "provider");
    requireNonBlank(modelId, "modelId");
    requireNonBlank(modelVersion, "modelVersion");
  }
}
