package io.mmflow.operators.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mmflow.core.config.FusionOptions;
import io.mmflow.core.config.FusionOptions.WindowKind;
import io.mmflow.core.config.MmflowConfig;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.FusionStrategy;
import io.mmflow.core.model.Modality;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class FusionSettingsTest {
  @Test
  void defaults() {
    FusionSettings s = FusionSettings.defaults();
    assertThat(s.strategy()).isEqualTo(FusionStrategy.WEIGHTED_AVERAGE);
    assertThat(s.window()).isEqualTo(WindowKind.SESSION);
    assertThat(s.gap()).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.allowedLateness()).isZero();
    assertThat(s.expectedModalities()).isEmpty();
    assertThat(s.weights())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                Modality.TEXT, 0.4,
                Modality.AUDIO, 0.3,
                Modality.IMAGE, 0.2,
                Modality.DOCUMENT, 0.1,
                Modality.OCR, 0.1));
    assertThat(s.precedence())
        .containsExactly(
            Modality.TEXT, Modality.AUDIO, Modality.IMAGE, Modality.DOCUMENT, Modality.OCR);
    assertThat(s.hierarchicalThreshold()).isEqualTo(0.6);
  }

  @Test
  void optionsAreDeclaredToTheConfigLoader() {
    assertThat(MmflowConfig.allOptions()).containsAll(FusionOptions.all());
  }

  @Test
  void parsesListsInAnyCaseAndFillsThePrecedence() {
    Configuration c = new Configuration();
    c.setString("mmflow.fusion.strategy", "majority_vote");
    c.setString("mmflow.fusion.window", "tumbling");
    c.set(FusionOptions.WEIGHTS, " Image:2 ,text:0.5");
    c.set(FusionOptions.PRECEDENCE, "ocr, AUDIO");
    c.set(FusionOptions.EXPECTED_MODALITIES, "text,image");
    FusionSettings s = FusionSettings.from(c);
    assertThat(s.strategy()).isEqualTo(FusionStrategy.MAJORITY_VOTE);
    assertThat(s.window()).isEqualTo(WindowKind.TUMBLING);
    assertThat(s.weights()).containsEntry(Modality.IMAGE, 2.0).containsEntry(Modality.AUDIO, 0.0);
    assertThat(s.precedence())
        .containsExactly(
            Modality.OCR, Modality.AUDIO, Modality.TEXT, Modality.IMAGE, Modality.DOCUMENT);
    assertThat(s.expectedModalities()).containsExactly(Modality.TEXT, Modality.IMAGE);
  }

  @Test
  void refusesBadValuesWithTheKey() {
    assertInvalid(FusionOptions.WEIGHTS, "text:-1", "weight of text is -1.0");
    assertInvalid(FusionOptions.WEIGHTS, "text:0", "at least one weight must be > 0");
    assertInvalid(FusionOptions.WEIGHTS, "text=0.4", "expected modality:weight");
    assertInvalid(FusionOptions.WEIGHTS, "text:abc", "not a number");
    assertInvalid(FusionOptions.WEIGHTS, "video:1", "Unknown Modality 'video'");
    assertInvalid(FusionOptions.WEIGHTS, "text:1,text:2", "text is listed twice");
    assertInvalid(FusionOptions.PRECEDENCE, "text,text", "text is listed twice");
    assertInvalid(FusionOptions.EXPECTED_MODALITIES, "txt", "Unknown Modality 'txt'");
    assertInvalid(FusionOptions.HIERARCHICAL_THRESHOLD, 1.5, "must be in [0,1]");
    assertInvalid(FusionOptions.GAP, Duration.ZERO, "must be > 0");
    assertInvalid(FusionOptions.ALLOWED_LATENESS, Duration.ofSeconds(-1), "must be >= 0");
  }

  private static <T> void assertInvalid(ConfigOption<T> option, T value, String message) {
    Configuration c = new Configuration();
    c.set(option, value);
    assertThatThrownBy(() -> FusionSettings.from(c))
        .isInstanceOf(MmflowException.class)
        .hasMessageContaining(option.key())
        .hasMessageContaining(message)
        .satisfies(
            e ->
                assertThat(((MmflowException) e).code())
                    .isEqualTo(ErrorCode.CONFIGURATION_INVALID));
  }
}
