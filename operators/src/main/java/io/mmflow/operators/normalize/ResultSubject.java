package io.mmflow.operators.normalize;

import io.mmflow.core.model.Modality;
import java.time.Instant;

/**
 * What a result is about, for a stage whose input is neither a {@link
 * io.mmflow.core.model.MediaItem} nor another result (a remote call's request): the item, its part,
 * the group it is fused in, its modality and source. The stage's input record implements it, so the
 * normalize stage reads it without depending on the stage.
 */
public interface ResultSubject {
  String itemId();

  String partId();

  String correlationId();

  Modality modality();

  String sourceUri();

  String contentSha256();

  Instant eventTime();
}
