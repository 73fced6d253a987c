package io.mmflow.operators.infer.remote;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.error.SecretScrubber;
import io.mmflow.core.model.Cost;
import io.mmflow.core.model.Entity;
import io.mmflow.core.model.Label;
import io.mmflow.core.model.Task;
import io.mmflow.core.serde.Json;
import io.mmflow.core.util.Threads;
import io.mmflow.model.remote.RemoteAnswer;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The remote answer cache across runs and restarts: table {@code remote_answers} of the serving
 * PostgreSQL, keyed by the exact cache key (content + task + model + model version + prompt). A
 * fresh subtask (a new run, a restart, a backfill over the same files) finds what earlier ones paid
 * for. Reads and writes run on one thread per subtask (a JDBC connection is not thread-safe), off
 * the async operator's mailbox; a failed read is a miss, a failed write is counted, neither fails
 * the record.
 *
 * <p>Where the provider stores completions, table {@code remote_calls_sent} journals each call
 * before it is sent and loses it when its answer is stored: a key found there but not among the
 * answers is a call that a killed run may have paid for, to be fetched from the provider's stored
 * completions rather than asked again.
 */
public final class PostgresAnswerStore implements AutoCloseable {
  static final String TABLE = "remote_answers";

  /**
   * The one declaration of the table: the operator runs it when it opens (a subtask that loses the
   * race to create it goes on), so the table is there wherever the cache is on and no schema file
   * has to keep a copy in step with the statements below.
   */
  public static final String DDL =
      "CREATE TABLE IF NOT EXISTS "
          + TABLE
          + " (cache_key text PRIMARY KEY, model_id text NOT NULL, task text NOT NULL,"
          + " answer jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())";

  static final String SENT = "remote_calls_sent";

  /** The journal of calls sent and not yet answered (see the class comment). */
  public static final String SENT_DDL =
      "CREATE TABLE IF NOT EXISTS "
          + SENT
          + " (cache_key text PRIMARY KEY, model_id text NOT NULL,"
          + " sent_at timestamptz NOT NULL DEFAULT now())";

  /**
   * What the table knows of a key.
   *
   * @param answer the stored answer, if any
   * @param sent whether a call for the key was sent and its answer never stored
   */
  record Lookup(Optional<RemoteAnswer> answer, boolean sent) {
    static final Lookup MISS = new Lookup(Optional.empty(), false);
  }

  /** Where the table is; the password is never printed. */
  record Target(String url, String user, String password) implements Serializable {
    @Override
    public String toString() {
      return "Target["
          + (url == null ? "unset" : SecretScrubber.scrub(url))
          + ", user="
          + user
          + "]";
    }
  }

  /** What is stored of an answer (its JSON in the table). */
  record Stored(
      String modelId,
      Task task,
      List<Label> labels,
      List<Entity> entities,
      String text,
      List<float[]> embeddings,
      long inputTokens,
      long outputTokens,
      double usd) {
    static Stored of(RemoteAnswer a) {
      return new Stored(
          a.modelId(),
          a.task(),
          a.labels(),
          a.entities(),
          a.text().orElse(null),
          a.embeddings(),
          a.cost().inputTokens(),
          a.cost().outputTokens(),
          a.cost().usd());
    }

    RemoteAnswer answer() {
      return new RemoteAnswer(
          modelId,
          task,
          labels == null ? List.of() : labels,
          entities == null ? List.of() : entities,
          Optional.ofNullable(text),
          embeddings == null ? List.of() : embeddings,
          new Cost(inputTokens, outputTokens, usd),
          Optional.empty(),
          0);
    }
  }

  private final Connection connection;
  // prepared once; used only on the store's one thread
  private final PreparedStatement select;
  private final PreparedStatement upsert;
  private final PreparedStatement markSent;
  private final ExecutorService thread;
  private final Duration ttl;

  private PostgresAnswerStore(Connection connection, Duration ttl) throws SQLException {
    this.connection = connection;
    this.select =
        connection.prepareStatement(
            "SELECT (SELECT answer::text FROM "
                + TABLE
                + " WHERE cache_key = ? AND created_at > ?),"
                + " EXISTS (SELECT 1 FROM "
                + SENT
                + " WHERE cache_key = ?)");
    // the answer stored and its journal entry dropped in one statement
    this.upsert =
        connection.prepareStatement(
            "WITH answered AS (DELETE FROM "
                + SENT
                + " WHERE cache_key = ?) INSERT INTO "
                + TABLE
                + " (cache_key, model_id, task, answer) VALUES (?, ?, ?, ?::jsonb)"
                + " ON CONFLICT (cache_key) DO UPDATE SET answer = EXCLUDED.answer,"
                + " created_at = now()");
    this.markSent =
        connection.prepareStatement(
            "INSERT INTO "
                + SENT
                + " (cache_key, model_id) VALUES (?, ?)"
                + " ON CONFLICT (cache_key) DO UPDATE SET sent_at = now()");
    this.ttl = ttl;
    this.thread = Executors.newSingleThreadExecutor(Threads.daemon("mmflow-remote-answer-store"));
  }

  /**
   * Connects and creates the table if it is missing; a clear error when the database is not there.
   */
  static PostgresAnswerStore open(Target target, Duration ttl) {
    if (target.url() == null || target.url().isBlank()) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "mmflow.remote.cache.postgres needs the serving PostgreSQL: set mmflow.postgres.url (the"
              + " runner sets it for its embedded database)");
    }
    Properties props = new Properties();
    if (target.user() != null) {
      props.setProperty("user", target.user());
    }
    if (target.password() != null) {
      props.setProperty("password", target.password());
    }
    try {
      Connection c = DriverManager.getConnection(target.url(), props);
      createTable(c);
      return new PostgresAnswerStore(c, ttl);
    } catch (SQLException e) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "remote answer cache: cannot use PostgreSQL at "
              + SecretScrubber.scrub(target.url())
              + ": "
              + SecretScrubber.scrub(String.valueOf(e.getMessage())),
          e);
    }
  }

  private static void createTable(Connection c) throws SQLException {
    // this connection's commits return before their WAL is flushed: a row is visible to every
    // other session at once and survives this process being killed (the journal's case); only a
    // crash of the database server itself in the next fraction of a second could lose one, which
    // costs a call asked again, never a wrong answer. Two flushes a call (the journal, the
    // answer) halved a backfill's throughput on the embedded database otherwise.
    try (Statement s = c.createStatement()) {
      s.execute("SET synchronous_commit TO off");
    }
    for (String ddl : new String[] {DDL, SENT_DDL}) {
      try (Statement s = c.createStatement()) {
        s.execute(ddl);
      } catch (SQLException e) {
        // two subtasks creating it at once: one of them loses on the catalog's unique index
        if (!"23505".equals(e.getSQLState()) && !"42P07".equals(e.getSQLState())) {
          throw e;
        }
      }
    }
  }

  /**
   * The answer stored under {@code key} within the time to live, and whether a call for it was sent
   * and never answered; a miss on an error.
   */
  CompletableFuture<Lookup> find(String key) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            select.setString(1, key);
            select.setTimestamp(2, Timestamp.from(Instant.now().minus(ttl)));
            select.setString(3, key);
            try (ResultSet rs = select.executeQuery()) {
              if (!rs.next()) {
                return Lookup.MISS;
              }
              String answer = rs.getString(1);
              return new Lookup(
                  answer == null
                      ? Optional.empty()
                      : Optional.of(Json.read(answer, Stored.class).answer()),
                  rs.getBoolean(2));
            }
          } catch (SQLException | RuntimeException e) {
            return Lookup.MISS;
          }
        },
        thread);
  }

  /**
   * Journals a call for {@code key} before it is sent; completes (false when the write failed) once
   * the row is committed, so that a call is never out before its entry.
   */
  CompletableFuture<Boolean> markSent(String key, String modelId) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            markSent.setString(1, key);
            markSent.setString(2, modelId);
            markSent.executeUpdate();
            return true;
          } catch (SQLException | RuntimeException e) {
            return false;
          }
        },
        thread);
  }

  /** Stores (or refreshes) an answer; completes with false when the write failed. */
  CompletableFuture<Boolean> put(String key, RemoteAnswer answer) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            upsert.setString(1, key);
            upsert.setString(2, key);
            upsert.setString(3, answer.modelId());
            upsert.setString(4, answer.task().wireName());
            upsert.setString(5, Json.write(Stored.of(answer)));
            upsert.executeUpdate();
            return true;
          } catch (SQLException | RuntimeException e) {
            return false;
          }
        },
        thread);
  }

  @Override
  public void close() {
    // let queued writes of answers already paid for land before the connection goes
    thread.shutdown();
    try {
      thread.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      connection.close();
    } catch (SQLException e) {
      // closing: nothing left to do
    }
  }
}
