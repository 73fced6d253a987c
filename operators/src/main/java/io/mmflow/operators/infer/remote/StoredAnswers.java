package io.mmflow.operators.infer.remote;

import io.mmflow.model.remote.OpenAiRemoteModel;
import io.mmflow.model.remote.RemoteAnswer;
import io.mmflow.model.remote.RemoteModelSpec;
import io.mmflow.operators.infer.remote.routing.ProviderRouter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The answers a record can have without a new call, past the memory cache: the table across runs
 * ({@link PostgresAnswerStore}) for each candidate's key in turn, and, for a key journaled as sent
 * but never answered (a call of an attempt killed in flight), the provider's stored completion
 * instead of paying for the call again. Whatever is found is kept in the caches.
 */
final class StoredAnswers {
  /** An answer found, the candidate it is of, and how it was found. */
  record Served(RemoteAnswer answer, RemoteModelSpec spec, AnswerCache.Hit hit) {}

  private StoredAnswers() {}

  /**
   * The first answer found for {@code order}'s candidates; empty when none (then the record is
   * routed to a call). {@code key} gives a candidate's exact cache key, {@code text} is what the
   * call asks about (null for media), {@code meaning} its embedding where there is one.
   */
  static CompletableFuture<Optional<Served>> find(
      RemoteCall.Stage stage,
      List<ProviderRouter.Candidate> order,
      Function<RemoteModelSpec, String> key,
      String text,
      float[] meaning) {
    CompletableFuture<Optional<Served>> out = new CompletableFuture<>();
    try {
      find(stage, order, 0, key, text, meaning, out);
    } catch (RuntimeException e) {
      out.complete(Optional.empty()); // a failed look-up is a miss: the record is routed
    }
    return out;
  }

  private static void find(
      RemoteCall.Stage stage,
      List<ProviderRouter.Candidate> order,
      int i,
      Function<RemoteModelSpec, String> keyOf,
      String text,
      float[] meaning,
      CompletableFuture<Optional<Served>> out) {
    if (i >= order.size()) {
      out.complete(Optional.empty());
      return;
    }
    RemoteCandidates candidates = stage.candidates();
    OpenAiRemoteModel model = candidates.model(order.get(i).id());
    String key = keyOf.apply(model.spec());
    CompletableFuture<PostgresAnswerStore.Lookup> lookup;
    try {
      lookup = candidates.store().find(key);
    } catch (RuntimeException e) {
      out.complete(Optional.empty()); // the store is closing: a miss, the record is routed
      return;
    }
    lookup.whenComplete(
        (found, failure) -> {
          if (failure == null && found.answer().isPresent()) {
            RemoteAnswer answer = found.answer().get();
            candidates.cache().put(key, model.spec().id(), meaning, answer);
            stage.metrics().cacheHits.inc();
            stage.metrics().storedHits.inc();
            out.complete(Optional.of(new Served(answer, model.spec(), AnswerCache.Hit.STORED)));
          } else if (failure == null && found.sent()) {
            recover(stage, model, key, text, meaning)
                .whenComplete(
                    (served, lost) -> {
                      if (lost == null && served.isPresent()) {
                        out.complete(served);
                      } else {
                        find(stage, order, i + 1, keyOf, text, meaning, out);
                      }
                    });
          } else {
            find(stage, order, i + 1, keyOf, text, meaning, out);
          }
        });
  }

  /**
   * The provider's stored answer to the journaled call for {@code key}: paid for by the killed
   * attempt, so its cost counts now, once; empty when the provider has none (the call never reached
   * it) or cannot be asked.
   */
  private static CompletableFuture<Optional<Served>> recover(
      RemoteCall.Stage stage, OpenAiRemoteModel model, String key, String text, float[] meaning) {
    CompletableFuture<Optional<RemoteAnswer>> f;
    try {
      f = model.findStored(stage.task(), key, text);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    return f.handle(
        (found, failure) -> {
          if (failure != null || found.isEmpty()) {
            return Optional.empty();
          }
          RemoteAnswer answer = found.get();
          stage.metrics().recovered.inc();
          stage.candidates().spend(answer.cost().usd());
          try {
            stage.candidates().keep(key, model.spec().id(), meaning, answer, stage.metrics());
          } catch (RuntimeException e) {
            stage.metrics().storeWriteFailures.inc(); // served all the same
          }
          return Optional.of(new Served(answer, model.spec(), AnswerCache.Hit.RECOVERED));
        });
  }
}
