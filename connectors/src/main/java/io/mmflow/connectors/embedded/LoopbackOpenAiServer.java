package io.mmflow.connectors.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small OpenAI-compatible server on 127.0.0.1 for tests, benchmarks and demos: no network, no
 * keys, deterministic answers, and faults on demand ({@link LoopbackSettings}).
 *
 * <p>It speaks {@code POST /v1/chat/completions} (JSON answers: sentiment from keywords, summary =
 * first sentence, entities = capitalized words, caption = the image's size and SHA-256 prefix),
 * {@code POST /v1/embeddings} (unit vectors from hashing the text's words) and {@code POST
 * /v1/audio/transcriptions} (multipart; the text names the file and its size). Usage counts words
 * as tokens. Chat calls asked with {@code store: true} are kept with their {@code metadata} and
 * served by {@code GET /v1/chat/completions} (filters {@code model}, {@code metadata[k]=v}, {@code
 * limit}) and {@code GET /v1/chat/completions/{id}}, as OpenAI's stored completions are. Each
 * answer carries an {@code x-request-id}. Up to 512 requests are served at once.
 */
public final class LoopbackOpenAiServer implements AutoCloseable {
  static {
    // The JDK server writes a response's headers and body in separate small writes; with Nagle's
    // algorithm on, the body waits for the client's delayed ACK: +40 ms on every call (measured:
    // 8 calls in flight at 20 ms gave 123 calls/s instead of 374). Read once, when the JDK's
    // server configuration is first loaded.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private static final int THREADS = 512;
  private static final String COMPLETIONS = "/v1/chat/completions";
  private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
  private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"");

  private final LoopbackSettings settings;
  private final HttpServer server;
  private final ThreadPoolExecutor pool;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final ArrayDeque<LoopbackRequest> log = new ArrayDeque<>();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peakInFlight = new AtomicInteger();
  // the body of each exchange being answered, for the log (not HttpExchange attributes: the JDK
  // keeps those in the context, shared by every exchange in flight)
  private final Map<HttpExchange, byte[]> bodies = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final Set<java.net.InetSocketAddress> connections = ConcurrentHashMap.newKeySet();
  private final LoopbackStoredCompletions stored = new LoopbackStoredCompletions();

  private LoopbackOpenAiServer(int port, LoopbackSettings settings) throws IOException {
    this.settings = settings;
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "loopback-openai-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts a server on an ephemeral port with default settings. */
  public static LoopbackOpenAiServer start() {
    return start(0, new LoopbackSettings());
  }

  /** Starts a server on {@code port} (0 = ephemeral) with {@code settings}. */
  public static LoopbackOpenAiServer start(int port, LoopbackSettings settings) {
    try {
      return new LoopbackOpenAiServer(port, settings);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the loopback server on port " + port, e);
    }
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The API root to configure as a provider's {@code base-url}: {@code http://127.0.0.1:P/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  /**
   * Writes {@code file}, a providers file (docs/remote.md) with this server as provider {@code
   * loop} and {@code models}, the YAML list items that go under {@code models:} (each {@code - id:
   * ...}, indented as a text block leaves them). Returns {@code file}.
   */
  public Path writeProvidersFile(Path file, String models) throws IOException {
    return writeProvidersFile(file, null, models);
  }

  /** As {@link #writeProvidersFile(Path, String)}, with the provider's per-call {@code timeout}. */
  public Path writeProvidersFile(Path file, Duration timeout, String models) throws IOException {
    return writeProvidersFile(file, timeout, false, models);
  }

  /**
   * As {@link #writeProvidersFile(Path, Duration, String)}; {@code storeCompletions} declares the
   * provider as one that stores chat completions ({@code store-completions: true}).
   */
  public Path writeProvidersFile(
      Path file, Duration timeout, boolean storeCompletions, String models) throws IOException {
    Files.writeString(
        file,
        "providers:\n  - name: loop\n    base-url: "
            + baseUrl()
            + "\n"
            + (timeout == null ? "" : "    timeout: " + timeout.toMillis() + "ms\n")
            + (storeCompletions ? "    store-completions: true\n" : "")
            + "    models:\n"
            + models.stripIndent().indent(6));
    return file;
  }

  /** The live settings; changes apply to the next request. */
  public LoopbackSettings settings() {
    return settings;
  }

  /** The requests received so far (oldest first, at most {@link LoopbackSettings#logCapacity}). */
  public List<LoopbackRequest> requests() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /** The number of requests received. */
  public long requestCount() {
    return requests.get();
  }

  /** Requests dropped by {@link LoopbackSettings#dropReusedConnections} since the last reset. */
  public long droppedRequests() {
    return dropped.get();
  }

  /** The most requests it was answering at one time (a client's real concurrency). */
  public int peakInFlight() {
    return peakInFlight.get();
  }

  /** How many answers had each HTTP status. */
  public Map<Integer, Long> statusCounts() {
    Map<Integer, Long> out = new TreeMap<>();
    statuses.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** Forgets the logged requests and the counters. */
  public void reset() {
    synchronized (log) {
      log.clear();
    }
    requests.set(0);
    dropped.set(0);
    connections.clear();
    peakInFlight.set(inFlight.get());
    statuses.clear();
  }

  /** Stops the server; requests held by the timeout fault are let go. */
  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    pool.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    byte[] body = ex.getRequestBody().readAllBytes();
    String path = ex.getRequestURI().getPath();
    if (settings.dropReusedConnections() && !connections.add(ex.getRemoteAddress())) {
      dropped.incrementAndGet();
      inFlight.decrementAndGet();
      ex.close(); // no answer sent: the JDK's server closes the connection
      return;
    }
    bodies.put(ex, body);
    try {
      answer(ex, path, body);
    } catch (RuntimeException e) {
      send(ex, 500, LoopbackAnswers.error("loopback: " + e, "server_error", null));
    } finally {
      bodies.remove(ex);
      inFlight.decrementAndGet();
      ex.close();
    }
  }

  private int answer(HttpExchange ex, String path, byte[] body) throws IOException {
    String key = settings.requiredApiKey().orElse(null);
    if (key != null
        && !("Bearer " + key).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
      String given = String.valueOf(ex.getRequestHeaders().getFirst("Authorization"));
      // echoes what it got, as some providers do, so clients prove they mask it
      return send(
          ex,
          401,
          LoopbackAnswers.error(
              "Incorrect API key provided: " + given.replaceFirst("^Bearer ", ""),
              "invalid_request_error",
              "invalid_api_key"));
    }
    java.util.Random random = settings.random();
    sleep(settings.latency().sampleMillis(random));
    double u = random.nextDouble();
    double p5xx = settings.serverErrorRate();
    double p429 = p5xx + settings.rateLimitRate();
    if (u < p5xx) {
      return send(
          ex, 500, LoopbackAnswers.error("loopback: injected failure", "server_error", null));
    }
    if (u < p429) {
      ex.getResponseHeaders().add("Retry-After", String.valueOf(settings.retryAfterSeconds()));
      return send(
          ex,
          429,
          LoopbackAnswers.error("loopback: rate limited", "requests", "rate_limit_exceeded"));
    }
    if (u < p429 + settings.timeoutRate()) {
      try {
        closed.await(settings.hangMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return send(ex, 504, LoopbackAnswers.error("loopback: held too long", "timeout", null));
    }
    if ("GET".equals(ex.getRequestMethod()) && path.startsWith(COMPLETIONS)) {
      return path.equals(COMPLETIONS)
          ? send(ex, 200, stored.list(ex.getRequestURI().getRawQuery()))
          : storedOne(ex, path.substring(COMPLETIONS.length() + 1));
    }
    if (!"POST".equals(ex.getRequestMethod())) {
      return send(ex, 405, LoopbackAnswers.error("POST only", "invalid_request_error", null));
    }
    return switch (path) {
      case COMPLETIONS -> send(ex, 200, chat(body, random));
      case "/v1/embeddings" -> send(ex, 200, embeddings(body));
      case "/v1/audio/transcriptions" ->
          send(ex, 200, transcription(body, ex.getRequestHeaders().getFirst("Content-Type")));
      default ->
          send(
              ex,
              404,
              LoopbackAnswers.error("no route " + path, "invalid_request_error", "unknown_url"));
    };
  }

  private String chat(byte[] body, java.util.Random random) throws IOException {
    JsonNode req = LoopbackAnswers.JSON.readTree(body);
    String content =
        random.nextDouble() < settings.badJsonRate()
            ? "Sure! Here is the answer: {not json"
            : LoopbackAnswers.chatContent(req);
    int in = 0;
    for (JsonNode m : req.path("messages")) {
      JsonNode c = m.path("content");
      in += LoopbackAnswers.tokens(c.isTextual() ? c.asText() : c.toString());
    }
    ObjectNode out = LoopbackAnswers.JSON.createObjectNode();
    out.put("id", "chatcmpl-loopback-" + ids.incrementAndGet())
        .put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", req.path("model").asText("loopback"));
    ObjectNode choice = out.putArray("choices").addObject();
    choice.put("index", 0).put("finish_reason", "stop").putNull("logprobs");
    choice.putObject("message").put("role", "assistant").put("content", content).putNull("refusal");
    usage(out, in, LoopbackAnswers.tokens(content));
    if (req.path("store").asBoolean(false)) {
      // kept as OpenAI keeps a stored completion: with the request's metadata, listed and fetched
      // by GET, whether or not the client is still there to read the answer
      stored.add(out, req.path("metadata").isObject() ? (ObjectNode) req.get("metadata") : null);
    }
    return out.toString();
  }

  /** {@code GET /v1/chat/completions/{id}}: one stored completion, or 404. */
  private int storedOne(HttpExchange ex, String id) throws IOException {
    Optional<ObjectNode> c = stored.find(id);
    return c.isPresent()
        ? send(ex, 200, c.get().toString())
        : send(
            ex,
            404,
            LoopbackAnswers.error(
                "No chat completion found with id '" + id + "'.", "invalid_request_error", null));
  }

  private String embeddings(byte[] body) throws IOException {
    JsonNode req = LoopbackAnswers.JSON.readTree(body);
    List<String> texts = new ArrayList<>();
    JsonNode input = req.path("input");
    if (input.isTextual()) {
      texts.add(input.asText());
    } else {
      input.forEach(t -> texts.add(t.asText()));
    }
    ObjectNode out = LoopbackAnswers.JSON.createObjectNode();
    out.put("object", "list").put("model", req.path("model").asText("loopback"));
    ArrayNode data = out.putArray("data");
    int tokens = 0;
    for (int i = 0; i < texts.size(); i++) {
      ArrayNode v =
          data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
      for (float f : LoopbackAnswers.embedding(texts.get(i), settings.embeddingDimension())) {
        v.add(f);
      }
      tokens += LoopbackAnswers.tokens(texts.get(i));
    }
    out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return out.toString();
  }

  private String transcription(byte[] body, String contentType) {
    Matcher b = BOUNDARY.matcher(String.valueOf(contentType));
    String name = "audio";
    int size = 0;
    if (b.find()) {
      String text = new String(body, StandardCharsets.ISO_8859_1);
      for (String part : text.split("--" + Pattern.quote(b.group(1)))) {
        Matcher f = FILENAME.matcher(part);
        int split = part.indexOf("\r\n\r\n");
        if (f.find() && split >= 0) {
          name = f.group(1);
          size = Math.max(0, part.length() - split - 4 - 2);
        }
      }
    }
    ObjectNode out = LoopbackAnswers.JSON.createObjectNode();
    out.put("text", "loopback transcript of " + name + " (" + size + " bytes)");
    return out.toString();
  }

  private static void usage(ObjectNode out, int in, int completion) {
    out.putObject("usage")
        .put("prompt_tokens", in)
        .put("completion_tokens", completion)
        .put("total_tokens", in + completion);
  }

  private int send(HttpExchange ex, int status, String json) throws IOException {
    // logged before the answer leaves, so a client that has its answer finds the request logged
    record(ex, ex.getRequestURI().getPath(), bodies.get(ex), status);
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.getResponseHeaders().set("x-request-id", "req-loopback-" + ids.incrementAndGet());
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    return status;
  }

  private void record(HttpExchange ex, String path, byte[] body, int status) {
    statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    ex.getRequestHeaders()
        .forEach(
            (k, v) -> {
              String name = k.toLowerCase(Locale.ROOT);
              headers.put(name, name.equals("authorization") ? List.of("***") : List.copyOf(v));
            });
    String text =
        new String(
            body, isMultipart(headers) ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    if (text.length() > settings.maxLoggedBody()) {
      text = text.substring(0, settings.maxLoggedBody());
    }
    LoopbackRequest r = new LoopbackRequest(ex.getRequestMethod(), path, headers, text, status);
    synchronized (log) {
      log.addLast(r);
      while (log.size() > settings.logCapacity()) {
        log.removeFirst();
      }
    }
  }

  private static boolean isMultipart(Map<String, List<String>> headers) {
    List<String> ct = headers.get("content-type");
    return ct != null && !ct.isEmpty() && ct.get(0).startsWith("multipart/");
  }

  private void sleep(long millis) {
    if (millis > 0) {
      try {
        closed.await(millis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "LoopbackOpenAiServer[" + baseUrl() + ", " + settings + "]";
  }
}
