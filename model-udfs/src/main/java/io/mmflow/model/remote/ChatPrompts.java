package io.mmflow.model.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mmflow.core.model.Entity;
import io.mmflow.core.model.Label;
import io.mmflow.core.model.Task;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The system prompts of chat tasks, each asking for one JSON object, and the parsing of the JSON
 * the model sends back. A reply that is not such JSON is an {@link IllegalArgumentException} whose
 * message says what was wrong (never the reply itself, which may be long).
 */
public final class ChatPrompts {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The labels, entities and text found in one reply. */
  record Parsed(List<Label> labels, List<Entity> entities, Optional<String> text) {}

  private ChatPrompts() {}

  /** The system prompt of a chat task (also the baseline of bench remote's ML_PREDICT). */
  public static String system(Task task) {
    String ask =
        switch (task) {
          case SENTIMENT ->
              "Classify the sentiment of the user's text as positive, negative or neutral. "
                  + "Answer {\"label\": \"positive|negative|neutral\", \"score\": 0..1}.";
          case CLASSIFICATION ->
              "Classify the user's text by topic. Answer {\"labels\": [{\"label\": \"...\","
                  + " \"score\": 0..1}]}, best first.";
          case SUMMARY ->
              "Summarize the user's text in one or two sentences. Answer {\"summary\": \"...\"}.";
          case ENTITIES ->
              "List the named entities of the user's text. Answer {\"entities\": [{\"text\":"
                  + " \"...\", \"type\": \"PERSON|ORG|LOCATION|DATE|OTHER\"}]}.";
          case CAPTION -> "Describe the image in one sentence. Answer {\"caption\": \"...\"}.";
          default -> throw new IllegalArgumentException("task " + task.wireName() + " is no chat");
        };
    return "You are mmflow's " + task.wireName() + " model. " + ask + " Reply with JSON only.";
  }

  static Parsed parse(Task task, String content, String input) {
    JsonNode root;
    try {
      root = JSON.readTree(content == null ? "" : content);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the reply is not JSON");
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("the reply is not a JSON object");
    }
    return switch (task) {
      case SENTIMENT, CLASSIFICATION -> new Parsed(labels(root), List.of(), Optional.empty());
      case ENTITIES -> new Parsed(List.of(), entities(root, input), Optional.empty());
      case SUMMARY -> new Parsed(List.of(), List.of(), Optional.of(text(root, "summary")));
      case CAPTION -> new Parsed(List.of(), List.of(), Optional.of(text(root, "caption")));
      default -> throw new IllegalArgumentException("task " + task.wireName() + " is no chat");
    };
  }

  private static List<Label> labels(JsonNode root) {
    List<Label> out = new ArrayList<>();
    if (root.has("label")) {
      out.add(label(root));
    }
    for (JsonNode l : root.path("labels")) {
      out.add(label(l));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("the reply has no 'label' or 'labels'");
    }
    out.sort(Comparator.comparingDouble(Label::score).reversed());
    return out;
  }

  private static Label label(JsonNode node) {
    String name = node.path("label").asText("");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a label of the reply has no name");
    }
    double score = node.path("score").asDouble(1.0);
    if (Double.isNaN(score)) {
      score = 0;
    }
    return new Label(name, Math.max(0, Math.min(1, score)));
  }

  private static List<Entity> entities(JsonNode root, String input) {
    JsonNode list = root.get("entities");
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException("the reply has no 'entities' list");
    }
    List<Entity> out = new ArrayList<>();
    for (JsonNode e : list) {
      String text = e.path("text").asText("");
      if (text.isBlank()) {
        continue;
      }
      String type = e.path("type").asText("OTHER");
      int at = input == null ? -1 : input.indexOf(text);
      Integer start = at < 0 ? null : at;
      Integer end = at < 0 ? null : at + text.length();
      out.add(new Entity(text, type.isBlank() ? "OTHER" : type, start, end, null, null, null));
    }
    return out;
  }

  private static String text(JsonNode root, String key) {
    JsonNode v = root.has(key) ? root.get(key) : root.get("text");
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException("the reply has no '" + key + "' text");
    }
    return v.asText().trim();
  }
}
