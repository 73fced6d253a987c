package io.mmflow.connectors.embedded;

import java.util.List;
import java.util.Map;

/**
 * One request the {@link LoopbackOpenAiServer} received, as logged for tests: the {@code
 * Authorization} header's value is replaced by {@code ***}; the body is the text as received (cut
 * at {@link LoopbackSettings#maxLoggedBody()} characters).
 *
 * @param method the HTTP method
 * @param path the request path, e.g. {@code /v1/chat/completions}
 * @param headers the headers, names in lower case
 * @param body the body as text (multipart bodies read as ISO-8859-1)
 * @param status the status the server answered with
 */
public record LoopbackRequest(
    String method, String path, Map<String, List<String>> headers, String body, int status) {

  public LoopbackRequest {
    headers = Map.copyOf(headers);
  }

  /** The first value of a header (name in any case), or null. */
  public String header(String name) {
    List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return v == null || v.isEmpty() ? null : v.get(0);
  }
}
