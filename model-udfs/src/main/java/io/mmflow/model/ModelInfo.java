package io.mmflow.model;

import static io.mmflow.core.util.Checks.requireNonBlank;

import io.mmflow.core.model.Provenance;
import java.io.Serializable;

/**
 * Identity of a model: who runs it, its id and its version.
 *
 * @param provider e.g. {@code apache-tika}, {@code onnxruntime}, {@code tesseract}
 * @param modelId the model's id
 * @param modelVersion its version; part of every result key
 */
public record ModelInfo(String provider, String modelId, String modelVersion)
    implements Serializable {
  public ModelInfo {
    requireNonBlank(provider, "provider");
    requireNonBlank(modelId, "modelId");
    requireNonBlank(modelVersion, "modelVersion");
  }

  /** Provenance of a result this model produced from the given input. */
  public Provenance provenance(String sourceUri, String contentSha256, boolean cacheHit) {
    return new Provenance(provider, modelId, modelVersion, sourceUri, contentSha256, cacheHit);
  }
}
