package io.mmflow.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.Task;
import io.mmflow.model.text.TextModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry and the ONNX loader on mmflow's own sentiment model (trained by the project, see
 * datasets' SentimentModelBuilder), copied next to registries written by each test.
 */
class ModelRegistryTest {
  @TempDir Path dir;

  private static final String ENTRY =
      """
      models:
        - id: s
          version: "1"
          task: sentiment
          modality: text
          path: model.onnx
          inputs: {input_ids: input_ids, attention_mask: attention_mask}
          outputs: {logits: logits}
          preprocessing: {tokenizer: tokenizer.json, max-tokens: 16}
          labels: [negative, positive]
          calibration: {method: temperature, temperature: 1.5}
      """;

  @BeforeEach
  void copyModel() throws IOException {
    for (String f : List.of("model.onnx", "tokenizer.json")) {
      try (InputStream in =
          getClass().getClassLoader().getResourceAsStream("models/sentiment-en/" + f)) {
        Files.copy(in, dir.resolve(f));
      }
    }
  }

  private ModelSpec load(String yaml) throws IOException {
    Path file = dir.resolve("models.yaml");
    Files.writeString(file, yaml);
    return ModelRegistry.load(file.toString()).get("s");
  }

  private static void assertInvalid(ThrowingRunnable r, String message) {
    assertThatThrownBy(r::run)
        .isInstanceOf(MmflowException.class)
        .hasMessageContaining(message)
        .satisfies(
            e ->
                assertThat(((MmflowException) e).code())
                    .isEqualTo(ErrorCode.CONFIGURATION_INVALID));
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void theDefaultRegistryLoadsFromTheClasspathAndItsModelAnswers() {
    ModelSpec spec = ModelRegistry.load(ModelRegistry.DEFAULT_LOCATION).get("sentiment-en");
    assertThat(spec.task()).isEqualTo(Task.SENTIMENT);
    assertThat(spec.labels()).containsExactly("negative", "positive");
    try (TextModel model = new TextModel(spec)) {
      List<TextModel.Prediction> p =
          model.applyBatch(
              List.of(
                  "The service was excellent and the food was great.",
                  "Terrible, the worst phone I ever bought. It broke after a day."));
      assertThat(p.get(0).labels().get(0).label()).isEqualTo("positive");
      assertThat(p.get(1).labels().get(0).label()).isEqualTo("negative");
      assertThat(p.get(0).confidence()).isBetween(0.5, 1.0);
      assertThat(p.get(0).labels().get(0).score() + p.get(0).labels().get(1).score())
          .isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
    }
  }

  @Test
  void aBatchGivesTheSameScoresAsOneAtATimeDespitePadding() throws IOException {
    ModelSpec spec = load(ENTRY);
    List<String> texts =
        List.of("good", "a much longer sentence that is not very good at all", "bad");
    try (TextModel model = new TextModel(spec)) {
      List<TextModel.Prediction> batch = model.applyBatch(texts);
      for (int i = 0; i < texts.size(); i++) {
        // the same sums, maybe in another order: equal to float rounding
        assertThat(batch.get(i).rawScores())
            .containsExactly(
                model.apply(texts.get(i)).rawScores(),
                org.assertj.core.api.Assertions.within(1e-4f));
      }
    }
  }

  @Test
  void textBeyondTheTokenBudgetIsTruncatedAndFlagged() throws IOException {
    ModelSpec spec = load(ENTRY);
    String longText = String.join(" ", Collections.nCopies(40, "great"));
    try (TextModel model = new TextModel(spec)) {
      TextModel.Prediction p = model.apply(longText);
      assertThat(p.truncated()).isTrue();
      assertThat(p.tokens()).isEqualTo(16);
      assertThat(model.apply("great").truncated()).isFalse();
    }
  }

  @Test
  void aMissingModelFileStopsWithItsPath() {
    assertInvalid(
        () -> load(ENTRY.replace("path: model.onnx", "path: nope.onnx")),
        "nope.onnx does not exist");
  }

  @Test
  void aWrongTensorNameIsNamedWithTheFilesInputs() throws IOException {
    ModelSpec spec = load(ENTRY.replace("input_ids: input_ids", "input_ids: token_ids"));
    assertInvalid(() -> OnnxModel.check(spec), "inputs.input_ids names tensor 'token_ids'");
  }

  @Test
  void aLabelCountOtherThanTheLogitsWidthStops() throws IOException {
    ModelSpec spec = load(ENTRY.replace("[negative, positive]", "[negative, neutral, positive]"));
    assertInvalid(() -> OnnxModel.check(spec), "declares 3 labels");
  }

  @Test
  void anUnknownKeyGetsASuggestion() {
    assertInvalid(() -> load(ENTRY.replace("labels:", "lables:")), "did you mean 'labels'");
  }

  @Test
  void cudaWhereThisBuildHasNoCudaProviderSaysWhatToDo() throws IOException {
    ModelSpec spec = load(ENTRY + "    execution-provider: cuda\n");
    assertThat(spec.usesCuda()).isTrue();
    OnnxEnvironment.get();
    // reported as skipped, not passed, in a -Pgpu build where CUDA is there
    org.junit.jupiter.api.Assumptions.assumeFalse(
        ai.onnxruntime.OrtEnvironment.getAvailableProviders()
            .contains(ai.onnxruntime.OrtProvider.CUDA),
        "this ONNX Runtime build has CUDA");
    assertInvalid(() -> OnnxModel.check(spec), "no CUDA provider");
  }

  @Test
  void severalFilesMergeAndAnIdInTwoOfThemIsAnError() throws IOException {
    load(ENTRY);
    String both = ModelRegistry.DEFAULT_LOCATION + ", " + dir.resolve("models.yaml");
    ModelRegistry merged = ModelRegistry.load(both);
    assertThat(merged.models()).extracting(ModelSpec::id).containsExactly("sentiment-en", "s");
    assertThat(merged.get("s").modelFile()).isEqualTo(dir.resolve("model.onnx").toAbsolutePath());
    assertInvalid(
        () -> ModelRegistry.load(both + "," + dir.resolve("models.yaml")),
        "model 's' is declared in two files");
  }

  @Test
  void anUnknownModelIdListsTheKnownOnes() throws IOException {
    load(ENTRY);
    assertInvalid(
        () -> ModelRegistry.load(dir.resolve("models.yaml").toString()).get("other"), "known: s");
  }

  @Test
  void missingRolesAndBadValuesAreNamed() {
    List<String[]> cases = new ArrayList<>();
    cases.add(
        new String[] {"outputs: {logits: logits}", "outputs: {}", "outputs.logits is missing"});
    cases.add(new String[] {"task: sentiment", "task: dancing", "'task'"});
    cases.add(new String[] {"method: temperature", "method: magic", "unknown calibration method"});
    for (String[] c : cases) {
      assertInvalid(() -> load(ENTRY.replace(c[0], c[1])), c[2]);
    }
  }
}
