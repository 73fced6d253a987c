package io.mmflow.jobs.backfill;

import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.core.config.PostgresOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.jobs.runtime.JobEnvironment;
import io.mmflow.jobs.runtime.ServingDatabase;
import io.mmflow.jobs.sql.SqlEnvironment;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.Configuration;

/**
 * What every backfill command works in: the serving PostgreSQL (started when it is the embedded
 * one, or the one running already), with the backfills' tables and the jobs' tables ready, and the
 * configuration that names it. Closing it stops what it started.
 */
public final class BackfillSession implements AutoCloseable {
  private final ServingDatabase database;
  private final Configuration config;
  private final BackfillStore store;

  private BackfillSession(ServingDatabase database, Configuration config) {
    this.database = database;
    this.config = config;
    this.store = new BackfillStore(database.connection());
  }

  /** Opens the session on {@code given}: backfills need the serving PostgreSQL. */
  public static BackfillSession open(Configuration given, PrintStream out) {
    if (!given.get(PostgresOptions.ENABLED)) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "backfills are kept in the serving PostgreSQL: enable it ("
              + PostgresOptions.ENABLED.key()
              + "=true)");
    }
    ServingDatabase database = ServingDatabase.open(given);
    try {
      Configuration config = database.jobConfiguration(given);
      JobEnvironment.prepareSinks(config, database.connection(), out);
      return new BackfillSession(database, config);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  public Configuration config() {
    return config;
  }

  public PostgresConnection postgres() {
    return database.connection();
  }

  public BackfillStore store() {
    return store;
  }

  /**
   * Plans backfill {@code id} over {@code selection} and records it, unless its estimated cost
   * passes the budget (a coded error) or it selects nothing (null); of {@code given}, the
   * pipeline's settings ({@link #pipelineSettings}) are those the backfill will run with.
   */
  public Backfill plan(
      String id, BackfillSelection selection, Map<String, String> given, double budgetUsd)
      throws Exception {
    io.mmflow.core.config.BackfillOptions.checkId(id);
    Map<String, String> settings = pipelineSettings(given);
    BackfillPlanner.Plan plan;
    try (SqlEnvironment sql = SqlEnvironment.open(config, false)) {
      plan = BackfillPlanner.plan(sql.tables(), postgres(), selection);
    }
    Backfill b =
        new Backfill(
            id,
            Instant.now(),
            Backfill.Status.PLANNED,
            selection,
            settings,
            plan.sources().size(),
            plan.pages(),
            plan.resultRows(),
            plan.paidUsd(),
            plan.estimatedSeconds(),
            Map.of());
    if (plan.sources().isEmpty()) {
      return null; // nothing to backfill: nothing recorded
    }
    if (plan.paidUsd() > budgetUsd) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          String.format(
              "backfill %s would re-read %d inputs whose remote calls cost $%.4f, over the budget"
                  + " of $%.4f: narrow the selection or raise --budget. Nothing was recorded",
              id, plan.sources().size(), plan.paidUsd(), budgetUsd));
    }
    store.create(b, plan.sources());
    return b;
  }

  /** The settings a backfill keeps: those that shape what its pipeline makes of an input. */
  private static final List<String> PIPELINE_SETTINGS =
      List.of(
          "mmflow.source.max-bytes",
          "mmflow.extraction.",
          "mmflow.ocr.",
          "mmflow.models.",
          "mmflow.remote.");

  /**
   * Of {@code given}, the settings a backfill keeps and runs with: the pipeline's (limits,
   * extraction, OCR, models, remote providers), never a secret; where it runs, its database and
   * catalog come from each run's own configuration.
   */
  public static Map<String, String> pipelineSettings(Map<String, String> given) {
    Map<String, String> kept = new java.util.TreeMap<>();
    given.forEach(
        (k, v) -> {
          if (!io.mmflow.core.config.MmflowConfig.isSecret(k)
              && PIPELINE_SETTINGS.stream().anyMatch(k::startsWith)) {
            kept.put(k, v);
          }
        });
    return kept;
  }

  /** The run ids of backfill {@code id}'s runs. */
  public Set<String> runIds(String id) {
    Set<String> ids = new TreeSet<>();
    for (BackfillStore.Run r : store.runs(id)) {
      ids.add(r.runId());
    }
    return ids;
  }

  /**
   * Publishes finished backfill {@code id}: its serving rows, with its state and main's snapshots
   * before, in one PostgreSQL transaction; then each Iceberg table's main forwarded to its branch.
   * A publish that stopped between the two is finished by publishing again.
   */
  public void publish(String id) {
    Backfill b = store.get(id);
    if (b.status() != Backfill.Status.PUBLISHING) {
      requireFinished(b, "publish");
      Map<String, Long> before = BackfillTables.checkPublishable(config, id);
      BackfillTables.publishServing(postgres(), id, before);
    }
    BackfillTables.fastForward(config, id);
    store.setStatus(id, Backfill.Status.PUBLISHED);
  }

  /** Drops the branch and staging rows of finished (or planned) backfill {@code id}. */
  public void discard(String id, boolean force) {
    Backfill b = store.get(id);
    if (b.status() == Backfill.Status.PUBLISHED) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "backfill "
              + id
              + " is published: roll it back (bin/mmflow backfill rollback "
              + id
              + ")");
    }
    if (b.status() == Backfill.Status.RUNNING && !force) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "backfill "
              + id
              + " has not finished: let its run end (or run it again to resume it); --force"
              + " discards it anyway, when no run of it is alive");
    }
    BackfillTables.drop(config, postgres(), id);
    store.setStatus(id, Backfill.Status.DISCARDED);
  }

  /** Undoes the publish of backfill {@code id}. */
  public void rollback(String id) {
    Backfill b = store.get(id);
    if (b.status() != Backfill.Status.PUBLISHED && b.status() != Backfill.Status.PUBLISHING) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "backfill " + id + " is " + b.status().wireName() + ", not published: nothing to undo");
    }
    BackfillTables.rollback(config, postgres(), id, b.mainSnapshots());
    BackfillTables.drop(config, postgres(), id);
    store.setStatus(id, Backfill.Status.DISCARDED);
  }

  private static void requireFinished(Backfill b, String what) {
    if (b.status() != Backfill.Status.FINISHED) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "cannot "
              + what
              + " backfill "
              + b.id()
              + ": it is "
              + b.status().wireName()
              + (b.status() == Backfill.Status.PLANNED || b.status() == Backfill.Status.RUNNING
                  ? " (bin/mmflow backfill run " + b.id() + " runs it to its end)"
                  : ""));
    }
  }

  @Override
  public void close() {
    database.close();
  }
}
