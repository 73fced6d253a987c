package io.mmflow.model.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mmflow.core.config.MmflowConfig;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.Modality;
import io.mmflow.core.model.Task;
import io.mmflow.model.calibration.Calibration;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models a job may run, declared in a YAML file:
 *
 * <pre>{@code
 * models:
 *   - id: sentiment-en
 *     version: "2026.11.24"
 *     task: sentiment
 *     modality: text
 *     runtime: onnx
 *     path: sentiment-en/model.onnx          # relative to this file
 *     inputs: {input_ids: input_ids, attention_mask: attention_mask}
 *     outputs: {logits: logits}
 *     preprocessing: {tokenizer: sentiment-en/tokenizer.json, max-tokens: 128}
 *     labels: [negative, positive]
 *     calibration: {method: temperature, temperature: 1.53}
 *     execution-provider: cpu                 # or cuda, with device-id
 *     threads: 1
 *     batch: {max-size: 32, max-wait: 20ms}
 * }</pre>
 *
 * <p>A location is a file path or {@code classpath:<resource>}; a classpath registry (the default
 * models inside the job jar) has its files copied to a temporary folder once per JVM, because ONNX
 * Runtime and the tokenizer read files. Every mistake stops with one message naming the file, the
 * model and the key; {@link OnnxModel#check} then compares the declaration with the ONNX file.
 */
public final class ModelRegistry {
  public static final String CLASSPATH = "classpath:";
  public static final String DEFAULT_LOCATION = "classpath:models/models.yaml";

  private static final Set<String> MODEL_KEYS =
      Set.of(
          "id",
          "version",
          "task",
          "modality",
          "runtime",
          "path",
          "inputs",
          "outputs",
          "preprocessing",
          "labels",
          "calibration",
          "execution-provider",
          "device-id",
          "threads",
          "batch",
          "description",
          "source");
  private static final Set<String> PREPROCESSING_KEYS =
      Set.of(
          "tokenizer",
          "max-tokens",
          "image-size",
          "resize",
          "mean",
          "std",
          "sample-rate",
          "vocabulary",
          "frame-stride");
  private static final Set<String> CALIBRATION_KEYS = Set.of("method", "temperature", "a", "b");
  private static final Set<String> BATCH_KEYS = Set.of("max-size", "max-wait");
  private static final Map<String, Path> EXTRACTED = new ConcurrentHashMap<>();

  private final String location;
  private final Map<String, ModelSpec> models;

  private ModelRegistry(String location, Map<String, ModelSpec> models) {
    this.location = location;
    this.models = models;
  }

  /**
   * Reads and checks the registry at {@code location}: a path or {@code classpath:...}, or several
   * of them separated by commas (e.g. mmflow's defaults and a team's own file), merged in order; an
   * id declared in two files is an error.
   */
  public static ModelRegistry load(String location) {
    if (!location.contains(",")) {
      return new ModelRegistry(location, loadOne(location.trim()));
    }
    Map<String, ModelSpec> models = new LinkedHashMap<>();
    for (String part : location.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      for (Map.Entry<String, ModelSpec> e : loadOne(part.trim()).entrySet()) {
        if (models.putIfAbsent(e.getKey(), e.getValue()) != null) {
          throw invalid(location, "model '" + e.getKey() + "' is declared in two files");
        }
      }
    }
    return new ModelRegistry(location, models);
  }

  private static Map<String, ModelSpec> loadOne(String location) {
    JsonNode root;
    Path base;
    boolean classpath = location.startsWith(CLASSPATH);
    try {
      if (classpath) {
        String resource = location.substring(CLASSPATH.length());
        try (InputStream in = ModelRegistry.class.getClassLoader().getResourceAsStream(resource)) {
          if (in == null) {
            throw invalid(location, "no such resource on the classpath");
          }
          root = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        int slash = resource.lastIndexOf('/');
        base = Path.of(slash < 0 ? "" : resource.substring(0, slash));
      } else {
        Path file = Path.of(location).toAbsolutePath();
        if (!Files.isRegularFile(file)) {
          throw invalid(location, "the model registry file does not exist");
        }
        root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        base = file.getParent();
      }
    } catch (IOException e) {
      throw invalid(location, "not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.path("models").isArray()) {
      throw invalid(location, "expected a top-level 'models:' list");
    }
    Map<String, ModelSpec> models = new LinkedHashMap<>();
    for (JsonNode node : root.get("models")) {
      ModelSpec spec = new Parser(location, base, classpath, node).parse();
      if (models.putIfAbsent(spec.id(), spec) != null) {
        throw invalid(location, "model '" + spec.id() + "' is declared twice");
      }
    }
    return models;
  }

  public String location() {
    return location;
  }

  public List<ModelSpec> models() {
    return List.copyOf(models.values());
  }

  /** The model with this id; a clear error naming the known ids when there is none. */
  public ModelSpec get(String id) {
    ModelSpec spec = models.get(id);
    if (spec == null) {
      throw invalid(
          location, "no model '%s' (known: %s)".formatted(id, String.join(", ", models.keySet())));
    }
    return spec;
  }

  static MmflowException invalid(String location, String message) {
    return new MmflowException(
        ErrorCode.CONFIGURATION_INVALID, "model registry " + location + ": " + message);
  }

  /** Parses one entry of {@code models:}. */
  private static final class Parser {
    private final String location;
    private final Path base;
    private final boolean classpath;
    private final JsonNode node;
    private String id = "?";

    Parser(String location, Path base, boolean classpath, JsonNode node) {
      this.location = location;
      this.base = base;
      this.classpath = classpath;
      this.node = node;
    }

    ModelSpec parse() {
      if (!node.isObject()) {
        throw invalid(location, "each entry of 'models' must be a mapping");
      }
      id = text(node, "id", null);
      checkKeys(node, MODEL_KEYS, "");
      String version = text(node, "version", null);
      Task task = parseEnum("task", () -> Task.fromWireName(text(node, "task", null)));
      Modality modality =
          parseEnum("modality", () -> Modality.fromWireName(text(node, "modality", null)));
      String runtime = text(node, "runtime", "onnx");
      if (!runtime.equals("onnx")) {
        throw fail("runtime '" + runtime + "' is not supported by the local path (onnx)");
      }
      Path modelFile = file(text(node, "path", null), "path");
      Map<String, String> inputs = stringMap(node.get("inputs"), "inputs");
      Map<String, String> outputs = stringMap(node.get("outputs"), "outputs");
      ModelSpec.Preprocessing pre = preprocessing(node.path("preprocessing"));
      List<String> labels = new ArrayList<>();
      node.path("labels").forEach(l -> labels.add(l.asText()));
      Calibration calibration = calibration(node.path("calibration"));
      String provider = text(node, "execution-provider", "cpu");
      if (!provider.equals("cpu") && !provider.equals("cuda")) {
        throw fail("execution-provider must be cpu or cuda, not '" + provider + "'");
      }
      int deviceId = integer(node, "device-id", 0);
      int threads = integer(node, "threads", 1);
      JsonNode batch = node.path("batch");
      checkKeys(batch, BATCH_KEYS, "batch.");
      int maxBatch = integer(batch, "max-size", 32);
      Duration maxWait = duration(batch, "max-wait", Duration.ofMillis(20));
      if (threads < 1 || maxBatch < 1 || deviceId < 0) {
        throw fail("threads and batch.max-size must be >= 1 and device-id >= 0");
      }
      requireRoles(task, modality, inputs, outputs, pre, labels);
      return new ModelSpec(
          id,
          version,
          task,
          modality,
          modelFile,
          inputs,
          outputs,
          pre,
          labels,
          calibration,
          provider,
          deviceId,
          threads,
          maxBatch,
          maxWait);
    }

    private void requireRoles(
        Task task,
        Modality modality,
        Map<String, String> inputs,
        Map<String, String> outputs,
        ModelSpec.Preprocessing pre,
        List<String> labels) {
      boolean classifies = task == Task.SENTIMENT || task == Task.CLASSIFICATION;
      switch (modality) {
        case TEXT -> {
          need(inputs, "inputs", "input_ids", "attention_mask");
          if (pre.tokenizer() == null) {
            throw fail("a text model needs preprocessing.tokenizer (a tokenizer.json)");
          }
        }
        case IMAGE -> {
          need(inputs, "inputs", "pixel_values");
          if (pre.imageWidth() == null) {
            throw fail("an image model needs preprocessing.image-size [width, height]");
          }
        }
        case AUDIO -> {
          need(inputs, "inputs", "input_values");
          if (task != Task.TRANSCRIPTION) {
            throw fail("audio models support task transcription, not " + task.wireName());
          }
          if (pre.vocabulary() == null || pre.frameStride() == null) {
            throw fail("a CTC model needs preprocessing.vocabulary and frame-stride");
          }
        }
        default -> throw fail("modality " + modality.wireName() + " has no local ONNX path");
      }
      if (classifies || task == Task.TRANSCRIPTION) {
        need(outputs, "outputs", "logits");
      } else if (task == Task.EMBEDDING) {
        if (!outputs.containsKey("embedding") && !outputs.containsKey("last_hidden_state")) {
          throw fail("an embedding model needs outputs.embedding or outputs.last_hidden_state");
        }
      } else {
        throw fail("task " + task.wireName() + " has no local ONNX path");
      }
      if (classifies && labels.size() < 2) {
        throw fail("a " + task.wireName() + " model needs at least two labels");
      }
    }

    private void need(Map<String, String> map, String key, String... roles) {
      for (String role : roles) {
        if (!map.containsKey(role)) {
          throw fail("%s.%s is missing (the tensor name of that role)".formatted(key, role));
        }
      }
    }

    private ModelSpec.Preprocessing preprocessing(JsonNode p) {
      checkKeys(p, PREPROCESSING_KEYS, "preprocessing.");
      String tokenizer = text(p, "tokenizer", "");
      String vocabulary = text(p, "vocabulary", "");
      JsonNode size = p.path("image-size");
      Integer width = null;
      Integer height = null;
      if (!size.isMissingNode()) {
        if (!size.isArray() || size.size() != 2 || !size.get(0).canConvertToInt()) {
          throw fail("preprocessing.image-size must be [width, height]");
        }
        width = size.get(0).asInt();
        height = size.get(1).asInt();
      }
      String resize = text(p, "resize", "center-crop");
      if (!resize.equals("center-crop") && !resize.equals("pad")) {
        throw fail("preprocessing.resize must be center-crop or pad, not '" + resize + "'");
      }
      return new ModelSpec.Preprocessing(
          tokenizer.isEmpty() ? null : file(tokenizer, "preprocessing.tokenizer"),
          p.has("max-tokens") ? integer(p, "max-tokens", 0) : null,
          width,
          height,
          resize,
          floats(p.path("mean"), "preprocessing.mean", new float[] {0.485f, 0.456f, 0.406f}),
          floats(p.path("std"), "preprocessing.std", new float[] {0.229f, 0.224f, 0.225f}),
          p.has("sample-rate") ? integer(p, "sample-rate", 16000) : null,
          vocabulary.isEmpty() ? null : file(vocabulary, "preprocessing.vocabulary"),
          p.has("frame-stride") ? integer(p, "frame-stride", 320) : null);
    }

    private Calibration calibration(JsonNode c) {
      if (c.isMissingNode()) {
        return Calibration.SOFTMAX;
      }
      checkKeys(c, CALIBRATION_KEYS, "calibration.");
      try {
        return new Calibration(
            Calibration.Method.parse(text(c, "method", "softmax")),
            c.path("temperature").asDouble(1),
            c.path("a").asDouble(1),
            c.path("b").asDouble(0));
      } catch (IllegalArgumentException e) {
        throw fail(e.getMessage());
      }
    }

    private float[] floats(JsonNode n, String key, float[] fallback) {
      if (n.isMissingNode()) {
        return fallback;
      }
      if (!n.isArray() || n.size() != 3) {
        throw fail(key + " must be a list of 3 numbers (R, G, B)");
      }
      float[] out = new float[3];
      for (int i = 0; i < 3; i++) {
        out[i] = (float) n.get(i).asDouble();
      }
      return out;
    }

    private Path file(String name, String key) {
      if (name == null || name.isBlank()) {
        throw fail(key + " is missing");
      }
      if (classpath) {
        String resource = base.resolve(name).toString().replace('\\', '/');
        return EXTRACTED.computeIfAbsent(resource, r -> extract(r, key));
      }
      Path path = base.resolve(name).normalize();
      if (!Files.isRegularFile(path)) {
        throw fail(key + " " + path + " does not exist");
      }
      return path;
    }

    private Path extract(String resource, String key) {
      try (InputStream in = ModelRegistry.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw fail(key + " classpath:" + resource + " does not exist");
        }
        Path dir = Files.createTempDirectory("mmflow-models");
        Path target = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        target.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        return target;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private Map<String, String> stringMap(JsonNode n, String key) {
      if (n == null || !n.isObject()) {
        throw fail(key + " must map roles to tensor names, e.g. {input_ids: input_ids}");
      }
      Map<String, String> out = new LinkedHashMap<>();
      n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
      return out;
    }

    private String text(JsonNode n, String key, String fallback) {
      JsonNode v = n.get(key);
      if (v == null || v.isNull() || v.asText().isBlank()) {
        if (fallback == null) {
          throw fail("'" + key + "' is missing");
        }
        return fallback;
      }
      return v.asText().trim();
    }

    private int integer(JsonNode n, String key, int fallback) {
      JsonNode v = n.get(key);
      if (v == null) {
        return fallback;
      }
      if (!v.canConvertToInt()) {
        throw fail("'" + key + "' must be an integer, not '" + v.asText() + "'");
      }
      return v.asInt();
    }

    private Duration duration(JsonNode n, String key, Duration fallback) {
      JsonNode v = n.get(key);
      if (v == null) {
        return fallback;
      }
      String s = v.asText().trim();
      try {
        if (s.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
        }
        if (s.endsWith("s")) {
          return Duration.ofMillis(
              Math.round(Double.parseDouble(s.substring(0, s.length() - 1).trim()) * 1000));
        }
        return Duration.ofMillis(Long.parseLong(s));
      } catch (NumberFormatException e) {
        throw fail("'" + key + "' must be a duration such as 20ms or 1s, not '" + s + "'");
      }
    }

    private <T> T parseEnum(String key, java.util.function.Supplier<T> parse) {
      try {
        return parse.get();
      } catch (IllegalArgumentException e) {
        throw fail("'" + key + "': " + e.getMessage());
      }
    }

    private void checkKeys(JsonNode n, Set<String> known, String prefix) {
      if (n.isMissingNode()) {
        return;
      }
      if (!n.isObject()) {
        throw fail("'" + prefix + "' must be a mapping");
      }
      Iterator<String> names = n.fieldNames();
      while (names.hasNext()) {
        String key = names.next();
        if (!known.contains(key)) {
          throw fail(
              "unknown key '%s%s' (did you mean '%s%s'?)"
                  .formatted(prefix, key, prefix, MmflowConfig.nearest(key, known)));
        }
      }
    }

    private MmflowException fail(String message) {
      return invalid(location, "model '" + id + "': " + message);
    }
  }
}
