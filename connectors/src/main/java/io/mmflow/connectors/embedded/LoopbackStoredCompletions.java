package io.mmflow.connectors.embedded;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The loopback server's stored chat completions, as OpenAI keeps those asked with {@code store:
 * true}: each with its request's {@code metadata}, listed by {@code model} and {@code
 * metadata[k]=v} filters (oldest first, {@code limit} per page) and fetched by id.
 */
final class LoopbackStoredCompletions {
  private final Queue<ObjectNode> completions = new ConcurrentLinkedQueue<>();

  /** Keeps {@code completion}, the answer as sent, with {@code metadata} (null: none). */
  void add(ObjectNode completion, ObjectNode metadata) {
    ObjectNode c = completion.deepCopy();
    c.set("metadata", metadata == null ? c.objectNode() : metadata.deepCopy());
    completions.add(c);
  }

  /** The body of {@code GET /v1/chat/completions?}{@code rawQuery}: a list page. */
  String list(String rawQuery) {
    Map<String, String> metadata = new LinkedHashMap<>();
    String model = null;
    int limit = 20;
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        String k = decode(eq < 0 ? pair : pair.substring(0, eq));
        String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
        if (k.startsWith("metadata[") && k.endsWith("]")) {
          metadata.put(k.substring("metadata[".length(), k.length() - 1), v);
        } else if (k.equals("model")) {
          model = v;
        } else if (k.equals("limit")) {
          limit = Integer.parseInt(v);
        }
      }
    }
    ObjectNode out = LoopbackAnswers.JSON.createObjectNode().put("object", "list");
    ArrayNode data = out.putArray("data");
    boolean more = false;
    for (ObjectNode c : completions) {
      if (matches(c, model, metadata)) {
        if (data.size() == limit) {
          more = true;
          break;
        }
        data.add(c);
      }
    }
    out.put("first_id", data.isEmpty() ? null : data.get(0).path("id").asText());
    out.put("last_id", data.isEmpty() ? null : data.get(data.size() - 1).path("id").asText());
    out.put("has_more", more);
    return out.toString();
  }

  /** The stored completion {@code id}. */
  Optional<ObjectNode> find(String id) {
    return completions.stream().filter(c -> id.equals(c.path("id").asText())).findFirst();
  }

  private static boolean matches(ObjectNode c, String model, Map<String, String> metadata) {
    if (model != null && !model.equals(c.path("model").asText())) {
      return false;
    }
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      if (!e.getValue().equals(c.path("metadata").path(e.getKey()).asText(null))) {
        return false;
      }
    }
    return true;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
