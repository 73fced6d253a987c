package io.mmflow.connectors.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The deterministic answers of the {@link LoopbackOpenAiServer}, in the OpenAI wire format. */
final class LoopbackAnswers {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> POSITIVE =
      Set.of("good", "great", "love", "excellent", "happy", "wonderful", "best", "amazing", "nice");
  private static final Set<String> NEGATIVE =
      Set.of("bad", "terrible", "hate", "awful", "worst", "sad", "poor", "horrible", "broken");
  private static final Pattern TASK = Pattern.compile("mmflow's (\\w+) model");
  private static final Pattern CAPITALIZED = Pattern.compile("\\b\\p{Lu}[\\p{L}\\p{N}]+");

  private LoopbackAnswers() {}

  /** The JSON content a chat model would answer, from the system prompt and the user message. */
  static String chatContent(JsonNode request) {
    String system = "";
    StringBuilder user = new StringBuilder();
    byte[] image = null;
    for (JsonNode m : request.path("messages")) {
      JsonNode content = m.path("content");
      if ("system".equals(m.path("role").asText()) || "developer".equals(m.path("role").asText())) {
        system += content.asText("");
      } else if (content.isTextual()) {
        user.append(content.asText()).append(' ');
      } else {
        for (JsonNode part : content) {
          if ("image_url".equals(part.path("type").asText())) {
            image = dataUrlBytes(part.path("image_url").path("url").asText(""));
          } else {
            user.append(part.path("text").asText("")).append(' ');
          }
        }
      }
    }
    String text = user.toString().trim();
    Matcher m = TASK.matcher(system);
    String task = m.find() ? m.group(1) : image != null ? "caption" : "sentiment";
    ObjectNode out = JSON.createObjectNode();
    switch (task) {
      case "caption" -> out.put("caption", caption(image));
      case "summary" -> out.put("summary", firstSentence(text));
      case "entities" -> {
        ArrayNode list = out.putArray("entities");
        Set<String> seen = new LinkedHashSet<>();
        Matcher c = CAPITALIZED.matcher(text);
        while (c.find()) {
          if (seen.add(c.group())) {
            list.addObject().put("text", c.group()).put("type", "OTHER");
          }
        }
      }
      case "classification" ->
          out.putArray("labels").addObject().put("label", "general").put("score", 1.0);
      default -> sentiment(text, out);
    }
    return out.toString();
  }

  private static void sentiment(String text, ObjectNode out) {
    int pos = 0;
    int neg = 0;
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}]+")) {
      pos += POSITIVE.contains(w) ? 1 : 0;
      neg += NEGATIVE.contains(w) ? 1 : 0;
    }
    String label = pos > neg ? "positive" : neg > pos ? "negative" : "neutral";
    out.put("label", label).put("score", label.equals("neutral") ? 0.6 : 0.9);
  }

  static String firstSentence(String text) {
    Matcher m = Pattern.compile("^.*?[.!?](\\s|$)", Pattern.DOTALL).matcher(text);
    return m.find() ? m.group().trim() : text.trim();
  }

  static String caption(byte[] image) {
    if (image == null) {
      return "no image";
    }
    return "an image of %d bytes (sha256 %s)"
        .formatted(image.length, sha256(image).substring(0, 12));
  }

  private static byte[] dataUrlBytes(String url) {
    int comma = url.indexOf(',');
    if (!url.startsWith("data:") || comma < 0) {
      return url.getBytes(StandardCharsets.UTF_8);
    }
    try {
      return Base64.getDecoder().decode(url.substring(comma + 1));
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }

  /**
   * A unit vector from the text's words (a hashed bag of words): the same text gives the same
   * vector, texts that share most of their words give close vectors, as a real embedding model does
   * for texts of the same meaning.
   */
  static float[] embedding(String text, int dimension) {
    float[] v = new float[dimension];
    for (String word : text.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (word.isEmpty()) {
        continue;
      }
      // each word adds a fixed random direction: texts that share words point the same way
      Random r = new Random(word.hashCode() * 0x9E3779B97F4A7C15L);
      for (int i = 0; i < dimension; i++) {
        v[i] += (float) r.nextGaussian();
      }
    }
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    if (norm == 0) {
      v[0] = 1;
      return v;
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < dimension; i++) {
      v[i] = (float) (v[i] / norm);
    }
    return v;
  }

  /** Approximate token count: words. */
  static int tokens(String text) {
    String t = text == null ? "" : text.trim();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An error body in OpenAI's format. */
  static String error(String message, String type, String code) {
    ObjectNode out = JSON.createObjectNode();
    out.putObject("error")
        .put("message", message)
        .put("type", type)
        .put("code", code)
        .putNull("param");
    return out.toString();
  }
}
