package io.mmflow.model.remote;

import static java.util.Objects.requireNonNull;

import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.core.JsonValue;
import com.openai.core.MultipartField;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionCreateResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionListPageAsync;
import com.openai.models.chat.completions.ChatCompletionListParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.Embedding;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.mmflow.core.model.Cost;
import io.mmflow.core.model.Task;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One model of an OpenAI-compatible provider, called through the official OpenAI Java SDK (OkHttp,
 * async). The SDK's own retries are off ({@code maxRetries(0)}): mmflow's resilience layer decides
 * about retries. Every method returns a future that fails with a {@link RemoteCallException}.
 *
 * <p>Chat tasks (sentiment, classification, summary, entities, caption) ask for one JSON object
 * ({@code response_format: json_object}); transcription uses {@code /audio/transcriptions} and
 * embedding {@code /embeddings}. Close the model to release the client's threads and connections.
 */
public final class OpenAiRemoteModel implements AutoCloseable {
  private final ProviderSpec provider;
  private final RemoteModelSpec spec;

  /** Calls one SDK client runs at once: its OkHttp dispatcher allows 64 (per host, too). */
  public static final int CALLS_PER_CLIENT = 64;

  /** The metadata key under which a stored chat call carries mmflow's request key. */
  public static final String KEY_METADATA = "mmflow_key";

  private final OpenAIClientAsync[] clients;
  private final AtomicInteger next = new AtomicInteger();
  private final String who;

  private OpenAiRemoteModel(ProviderSpec provider, RemoteModelSpec spec, int concurrency) {
    this.provider = requireNonNull(provider, "provider is null");
    this.spec = requireNonNull(spec, "spec is null");
    // the SDK gives no hold on OkHttp's dispatcher limit: more calls in flight need more clients
    this.clients =
        new OpenAIClientAsync[Math.max(1, -Math.floorDiv(-concurrency, CALLS_PER_CLIENT))];
    for (int i = 0; i < clients.length; i++) {
      OpenAIOkHttpClientAsync.Builder b =
          OpenAIOkHttpClientAsync.builder()
              .baseUrl(provider.baseUrl())
              .apiKey(provider.apiKey().isPresent() ? provider.apiKey().reveal() : "none")
              .timeout(provider.timeout())
              // keep a connection per call in flight: OkHttp's default of 5 idle connections
              // closes and reopens the others on every call
              .maxIdleConnections(CALLS_PER_CLIENT)
              .keepAliveDuration(Duration.ofMinutes(5))
              .maxRetries(0);
      provider.organization().ifPresent(b::organization);
      clients[i] = b.build();
    }
    this.who = "provider '" + provider.name() + "' model '" + spec.id() + "'";
  }

  /** A client for {@code spec}, a model of {@code provider}, for up to 64 calls in flight. */
  public static OpenAiRemoteModel of(ProviderSpec provider, RemoteModelSpec spec) {
    return new OpenAiRemoteModel(provider, spec, CALLS_PER_CLIENT);
  }

  /** A client for {@code spec} with room for {@code concurrency} calls in flight. */
  public static OpenAiRemoteModel of(ProviderSpec provider, RemoteModelSpec spec, int concurrency) {
    return new OpenAiRemoteModel(provider, spec, concurrency);
  }

  private OpenAIClientAsync client() {
    return clients[Math.floorMod(next.getAndIncrement(), clients.length)];
  }

  /** A client for the model {@code id} of {@code registry}. */
  public static OpenAiRemoteModel of(ProviderRegistry registry, String id) {
    RemoteModelSpec spec = registry.model(id);
    return new OpenAiRemoteModel(registry.provider(spec), spec, CALLS_PER_CLIENT);
  }

  /** The model's declaration. */
  public RemoteModelSpec spec() {
    return spec;
  }

  /** The provider's declaration (its key is not shown by {@code toString()}). */
  public ProviderSpec provider() {
    return provider;
  }

  /** The sentiment of {@code text}: labels positive/negative/neutral with scores. */
  public CompletableFuture<RemoteAnswer> sentiment(String text) {
    return text(Task.SENTIMENT, text);
  }

  /** A chat task on text: sentiment, classification, summary or entities. */
  public CompletableFuture<RemoteAnswer> text(Task task, String text) {
    return text(task, text, null);
  }

  /**
   * A chat task on text, tagged with {@code key} (mmflow's request key, or null) where the provider
   * stores completions, so that {@link #findStored} can fetch its answer later.
   */
  public CompletableFuture<RemoteAnswer> text(Task task, String text, String key) {
    ChatCompletionCreateParams params = chat(task, key).addUserMessage(text).build();
    return chatCall(task, params, text);
  }

  /** A one-sentence caption of an image, sent inline as a base64 data URL. */
  public CompletableFuture<RemoteAnswer> caption(byte[] image, String mediaType) {
    return caption(image, mediaType, null);
  }

  /** A caption, tagged with {@code key} as {@link #text(Task, String, String)} is. */
  public CompletableFuture<RemoteAnswer> caption(byte[] image, String mediaType, String key) {
    String url = "data:" + mediaType + ";base64," + Base64.getEncoder().encodeToString(image);
    List<ChatCompletionContentPart> parts =
        List.of(
            ChatCompletionContentPart.ofText(
                ChatCompletionContentPartText.builder().text("Describe this image.").build()),
            ChatCompletionContentPart.ofImageUrl(
                ChatCompletionContentPartImage.builder()
                    .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url(url).build())
                    .build()));
    ChatCompletionCreateParams params =
        chat(Task.CAPTION, key).addUserMessageOfArrayOfContentParts(parts).build();
    return chatCall(Task.CAPTION, params, null);
  }

  /**
   * The transcript of an audio file; {@code fileName}'s extension tells the provider the format.
   */
  public CompletableFuture<RemoteAnswer> transcribe(byte[] audio, String fileName) {
    TranscriptionCreateParams params =
        TranscriptionCreateParams.builder()
            .model(spec.model())
            .file(
                MultipartField.<java.io.InputStream>builder()
                    .value(new ByteArrayInputStream(audio))
                    .filename(fileName)
                    .build())
            .build();
    long start = System.nanoTime();
    return call(
        () -> client().audio().transcriptions().withRawResponse().create(params),
        (HttpResponseFor<TranscriptionCreateResponse> r) -> {
          TranscriptionCreateResponse body = r.parse();
          if (!body.isTranscription()) {
            throw RemoteErrors.badResponse(who, "the transcription answer has no text");
          }
          String text = body.asTranscription().text();
          return answer(
              Task.TRANSCRIPTION, List.of(), Optional.of(text), List.of(), 0, 0, r, start);
        });
  }

  /** One embedding vector per text, in the order of {@code texts}. */
  public CompletableFuture<RemoteAnswer> embed(List<String> texts) {
    EmbeddingCreateParams params =
        EmbeddingCreateParams.builder().model(spec.model()).inputOfArrayOfStrings(texts).build();
    long start = System.nanoTime();
    return call(
        () -> client().embeddings().withRawResponse().create(params),
        (HttpResponseFor<CreateEmbeddingResponse> r) -> {
          CreateEmbeddingResponse body = r.parse();
          List<float[]> vectors = new ArrayList<>();
          for (Embedding e :
              body.data().stream()
                  .sorted(java.util.Comparator.comparingLong(Embedding::index))
                  .toList()) {
            List<Float> v = e.embedding();
            float[] a = new float[v.size()];
            for (int i = 0; i < a.length; i++) {
              a[i] = v.get(i);
            }
            vectors.add(a);
          }
          if (vectors.size() != texts.size()) {
            throw RemoteErrors.badResponse(
                who, "asked for %d embeddings, got %d".formatted(texts.size(), vectors.size()));
          }
          long in = body.usage().promptTokens();
          return answer(Task.EMBEDDING, List.of(), Optional.empty(), vectors, in, 0, r, start);
        });
  }

  /** Whether calls of {@code task} are stored at the provider and can be found again. */
  public boolean storesAnswers(Task task) {
    return provider.storeCompletions() && task != Task.EMBEDDING && task != Task.TRANSCRIPTION;
  }

  /**
   * The provider's stored answer to the chat call tagged {@code key} (made by an earlier attempt
   * that ended before it recorded the answer), parsed as the call's own answer would have been;
   * empty when the provider has none (the call never reached it, or it stores nothing). {@code
   * input} is the text that was asked about (null for a caption). Fails as a call does.
   */
  public CompletableFuture<Optional<RemoteAnswer>> findStored(Task task, String key, String input) {
    if (!storesAnswers(task)) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    ChatCompletionListParams params =
        // by the key alone: it names the model already, and a provider may store the snapshot
        // it resolved the model's name to rather than the name asked for
        ChatCompletionListParams.builder()
            .metadata(
                ChatCompletionListParams.Metadata.builder()
                    .putAdditionalProperty(KEY_METADATA, key)
                    .build())
            .limit(1)
            .build();
    long start = System.nanoTime();
    return call(
        () -> client().chat().completions().list(params),
        (ChatCompletionListPageAsync page) ->
            page.data().isEmpty()
                ? Optional.<RemoteAnswer>empty()
                : Optional.of(read(task, page.data().get(0), input, Optional.empty(), start)));
  }

  private ChatCompletionCreateParams.Builder chat(Task task, String key) {
    if (!spec.supports(task)) {
      throw new IllegalArgumentException(who + " is not declared for task " + task.wireName());
    }
    ChatCompletionCreateParams.Builder b =
        ChatCompletionCreateParams.builder()
            .model(spec.model())
            .addSystemMessage(ChatPrompts.system(task))
            .responseFormat(ResponseFormatJsonObject.builder().build())
            .maxTokens(spec.maxTokens())
            .temperature(spec.temperature());
    if (key != null && storesAnswers(task)) {
      b.store(true)
          .metadata(
              ChatCompletionCreateParams.Metadata.builder()
                  .putAdditionalProperty(KEY_METADATA, JsonValue.from(key))
                  .build());
    }
    return b;
  }

  private CompletableFuture<RemoteAnswer> chatCall(
      Task task, ChatCompletionCreateParams params, String input) {
    long start = System.nanoTime();
    return call(
        () -> client().chat().completions().withRawResponse().create(params),
        (HttpResponseFor<ChatCompletion> r) -> read(task, r.parse(), input, r.requestId(), start));
  }

  private RemoteAnswer read(
      Task task, ChatCompletion body, String input, Optional<String> requestId, long start) {
    if (body.choices().isEmpty()) {
      throw RemoteErrors.badResponse(who, "the answer has no choices");
    }
    String content = body.choices().get(0).message().content().orElse("");
    ChatPrompts.Parsed parsed;
    try {
      parsed = ChatPrompts.parse(task, content, input);
    } catch (IllegalArgumentException e) {
      throw RemoteErrors.badResponse(who, e.getMessage());
    }
    long in = body.usage().map(u -> u.promptTokens()).orElse(0L);
    long out = body.usage().map(u -> u.completionTokens()).orElse(0L);
    return new RemoteAnswer(
        spec.id(),
        task,
        parsed.labels(),
        parsed.entities(),
        parsed.text(),
        List.of(),
        cost(in, out),
        requestId,
        millisSince(start));
  }

  private RemoteAnswer answer(
      Task task,
      List<io.mmflow.core.model.Label> labels,
      Optional<String> text,
      List<float[]> vectors,
      long in,
      long out,
      HttpResponseFor<?> r,
      long start) {
    return new RemoteAnswer(
        spec.id(),
        task,
        labels,
        List.of(),
        text,
        vectors,
        cost(in, out),
        r.requestId(),
        millisSince(start));
  }

  private <R, A> CompletableFuture<A> call(
      java.util.function.Supplier<CompletableFuture<R>> send, Function<R, A> read) {
    CompletableFuture<R> sent;
    try {
      sent = send.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(RemoteErrors.map(e, who, provider.apiKey()));
    }
    CompletableFuture<A> out = new CompletableFuture<>();
    sent.whenComplete(
        (r, error) -> {
          if (error != null) {
            out.completeExceptionally(RemoteErrors.map(error, who, provider.apiKey()));
            return;
          }
          try {
            out.complete(read.apply(r));
          } catch (RuntimeException e) {
            out.completeExceptionally(RemoteErrors.map(e, who, provider.apiKey()));
          } finally {
            if (r instanceof AutoCloseable c) {
              try {
                c.close();
              } catch (Exception ignored) {
                // the body was read already
              }
            }
          }
        });
    return out;
  }

  private Cost cost(long in, long out) {
    return new Cost(in, out, spec.pricing().usd(in, out));
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** Releases the client's threads and connections. */
  @Override
  public void close() {
    for (OpenAIClientAsync c : clients) {
      c.close();
    }
  }

  @Override
  public String toString() {
    return "OpenAiRemoteModel[" + spec.id() + " = " + provider.name() + "/" + spec.model() + "]";
  }
}
