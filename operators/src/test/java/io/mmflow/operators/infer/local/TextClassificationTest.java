package io.mmflow.operators.infer.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.mmflow.core.config.ModelOptions.PiiMode;
import io.mmflow.core.model.Entity;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.ModalityResult;
import io.mmflow.core.model.Provenance;
import io.mmflow.core.model.Task;
import io.mmflow.core.model.Timing;
import io.mmflow.model.onnx.ModelRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextClassificationTest {
  private static final String TEXT =
      "Great service!  Write to jane.doe@example.com or call +44 20 7946 0958 any time.";

  private static ModalityResult classify(PiiMode mode) {
    TextClassification f =
        new TextClassification(ModelRegistry.DEFAULT_LOCATION, "sentiment-en", mode);
    f.open(null);
    try {
      Instant now = Instant.now();
      ModalityResult in =
          ModalityResult.builder()
              .itemId("doc-1")
              .modality(Modality.DOCUMENT)
              .task(Task.EXTRACTION)
              .text(TEXT)
              .language("en")
              .provenance(new Provenance("apache-tika", "tika", "3", "file:/doc-1", null, false))
              .timing(Timing.of(now, now, now))
              .build();
      return f.apply(List.of(in)).get(0);
    } finally {
      f.close();
    }
  }

  @Test
  void piiSpansBecomeEntitiesWithoutTheirValues() {
    ModalityResult detected = classify(PiiMode.DETECT);
    assertThat(detected.entities())
        .extracting(Entity::type)
        .containsExactly("pii:email", "pii:phone");
    assertThat(detected.entities()).extracting(Entity::text).containsExactly("[EMAIL]", "[PHONE]");
    // offsets into the normalized text (the double space became one)
    String normalized = TEXT.replace("  ", " ");
    Entity email = detected.entities().get(0);
    assertThat(normalized.substring(email.charStart(), email.charEnd()))
        .isEqualTo("jane.doe@example.com");
    assertThat(detected.toString() + detected.attributes()).doesNotContain("jane");
    assertThat(detected.labels()).hasSize(2);
  }

  @Test
  void redactionHidesTheValuesFromTheModelAndOffDetectsNothing() {
    ModalityResult detected = classify(PiiMode.DETECT);
    ModalityResult redacted = classify(PiiMode.REDACT);
    assertThat(redacted.entities()).hasSize(2);
    // the model saw "[EMAIL]" and "[PHONE]", fewer word pieces than the address and number
    assertThat(Integer.parseInt(redacted.attributes().get("tokens")))
        .isLessThan(Integer.parseInt(detected.attributes().get("tokens")));
    assertThat(classify(PiiMode.OFF).entities()).isEmpty();
  }
}
