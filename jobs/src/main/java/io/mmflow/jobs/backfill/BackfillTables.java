package io.mmflow.jobs.backfill;

import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.connectors.postgres.PostgresTable;
import io.mmflow.connectors.sink.iceberg.IcebergTables;
import io.mmflow.core.config.BackfillOptions;
import io.mmflow.core.config.IcebergOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Where a backfill writes, and how it is published, discarded or rolled back: per table, an Iceberg
 * branch ({@code backfill-<id>}, made from {@code main} when the backfill first runs) and a
 * PostgreSQL staging table ({@code backfill_<id>_results}, with the columns and key of the serving
 * table). Publishing fast-forwards each table's {@code main} to its branch and upserts the staging
 * rows into the serving tables in one transaction, keeping the rows they replace ({@code
 * backfill_<id>_replaced_results}) so that a rollback restores them.
 */
final class BackfillTables {
  /** The serving tables a backfill writes, by their name (results, dead_letters). */
  static final List<PostgresTable<?>> SERVING =
      List.of(PostgresTable.RESULTS, PostgresTable.DEAD_LETTERS);

  private BackfillTables() {}

  /** The staging copy of serving table {@code t} for backfill {@code id}: its rows. */
  static String staging(String id, PostgresTable<?> t) {
    return BackfillOptions.stagingTable(id, t.name());
  }

  /** Where a publish of backfill {@code id} keeps the rows of {@code t} it replaced. */
  static String replaced(String id, PostgresTable<?> t) {
    return BackfillOptions.stagingTable(id, "replaced_" + t.name());
  }

  /** The Iceberg tables a backfill writes. */
  static List<TableIdentifier> icebergTables(Configuration config) {
    return List.of(IcebergTables.resultsTable(config), IcebergTables.deadLetterTable(config));
  }

  /**
   * Makes the backfill's branch in each Iceberg table (from main's current snapshot) and its
   * staging tables in PostgreSQL, where missing: idempotent, so every run of a backfill calls it.
   */
  static void prepare(Configuration config, PostgresConnection postgres, String id) {
    String branch = BackfillOptions.branch(id);
    eachTable(
        config,
        table -> {
          if (!table.refs().containsKey(branch)) {
            Snapshot main = table.currentSnapshot();
            if (main == null) {
              table.manageSnapshots().createBranch(branch).commit();
            } else {
              table.manageSnapshots().createBranch(branch, main.snapshotId()).commit();
            }
          }
        });
    if (postgres != null) {
      StringBuilder ddl = new StringBuilder();
      for (PostgresTable<?> t : SERVING) {
        ddl.append("CREATE TABLE IF NOT EXISTS ")
            .append(staging(id, t))
            .append(" (LIKE ")
            .append(t.name())
            .append(" INCLUDING ALL);\n");
      }
      execute(postgres, ddl.toString(), "prepare the staging tables of backfill " + id);
    }
  }

  /**
   * The snapshot each Iceberg table's main points at before backfill {@code id} is published, or,
   * for a table whose main had none, the empty snapshot the branch started from (what a rollback
   * returns to); refused, changing nothing, when main moved since the branch was made.
   */
  static Map<String, Long> checkPublishable(Configuration config, String id) {
    String branch = BackfillOptions.branch(id);
    Map<String, Long> before = new LinkedHashMap<>();
    if (!config.get(IcebergOptions.ENABLED)) {
      return before;
    }
    IcebergTables.withCatalog(
        config,
        catalog -> {
          for (TableIdentifier t : icebergTables(config)) {
            Table table = catalog.loadTable(t);
            SnapshotRef ref = table.refs().get(branch);
            if (ref == null) {
              throw new MmflowException(
                  ErrorCode.CONFIGURATION_INVALID,
                  "table " + t + " has no branch " + branch + ": the backfill never ran");
            }
            Snapshot main = table.currentSnapshot();
            if (main != null && !isAncestor(table, ref.snapshotId(), main.snapshotId())) {
              throw new MmflowException(
                  ErrorCode.CONFIGURATION_INVALID,
                  "the main of "
                      + t
                      + " moved since backfill "
                      + id
                      + " started (a job committed to it): publishing would drop those"
                      + " commits. Discard the backfill and plan it again; nothing was changed");
            }
            before.put(
                t.toString(), main == null ? root(table, ref.snapshotId()) : main.snapshotId());
          }
          return null;
        });
    return before;
  }

  /**
   * The serving tables' side of a publish, in one PostgreSQL transaction with the backfill's new
   * state ({@code publishing}, with {@code before}): the rows the staging rows replace kept aside,
   * the staging rows upserted. Done once: a publish that stopped after it goes on with {@link
   * #fastForward}.
   */
  static void publishServing(PostgresConnection postgres, String id, Map<String, Long> before) {
    StringBuilder sql = new StringBuilder();
    for (PostgresTable<?> t : SERVING) {
      String staging = staging(id, t);
      String replaced = replaced(id, t);
      sql.append("CREATE TABLE IF NOT EXISTS ")
          .append(replaced)
          .append(" (LIKE ")
          .append(t.name())
          .append(" INCLUDING ALL);\n")
          .append("INSERT INTO ")
          .append(replaced)
          .append(" SELECT t.* FROM ")
          .append(t.name())
          .append(" t JOIN ")
          .append(staging)
          .append(" s USING (")
          .append(String.join(", ", t.schema().key()))
          .append(") ON CONFLICT DO NOTHING;\n")
          .append(t.upsertFrom(staging))
          .append(";\n");
    }
    sql.append("UPDATE backfills SET status = 'publishing', main_snapshots = ")
        .append(BackfillSelection.literal(io.mmflow.core.serde.Json.write(before)))
        .append("::jsonb, updated_at = clock_timestamp() WHERE backfill_id = ")
        .append(BackfillSelection.literal(id))
        .append(";\n");
    transaction(postgres, sql.toString(), "publish backfill " + id + " to the serving tables");
  }

  /**
   * The Iceberg side of a publish: each table's main fast-forwarded to the backfill's branch, then
   * the branches removed. Idempotent: a table already forwarded (or whose branch is gone) is left
   * as it is, so a publish that stopped half-way is finished by running it again.
   */
  static void fastForward(Configuration config, String id) {
    String branch = BackfillOptions.branch(id);
    eachTable(
        config,
        table -> {
          SnapshotRef ref = table.refs().get(branch);
          Snapshot main = table.currentSnapshot();
          if (ref != null && (main == null || main.snapshotId() != ref.snapshotId())) {
            table.manageSnapshots().fastForwardBranch(SnapshotRef.MAIN_BRANCH, branch).commit();
          }
        });
    removeBranches(config, branch);
  }

  /** Removes {@code branch} from the tables that have it. */
  private static void removeBranches(Configuration config, String branch) {
    eachTable(
        config,
        table -> {
          if (table.refs().containsKey(branch)) {
            table.manageSnapshots().removeBranch(branch).commit();
          }
        });
  }

  /**
   * Undoes a publish: each Iceberg table's main back at the snapshot it pointed at before (later
   * commits stay in the table's history), and in PostgreSQL the backfill's rows replaced by those
   * they had replaced, in one transaction.
   */
  static void rollback(
      Configuration config, PostgresConnection postgres, String id, Map<String, Long> before) {
    if (config.get(IcebergOptions.ENABLED)) {
      IcebergTables.withCatalog(
          config,
          catalog -> {
            for (TableIdentifier t : icebergTables(config)) {
              Long snapshot = before.get(t.toString());
              if (snapshot == null) {
                continue; // not published to this table
              }
              catalog.loadTable(t).manageSnapshots().rollbackTo(snapshot).commit();
            }
            return null;
          });
    }
    if (postgres != null) {
      StringBuilder sql = new StringBuilder();
      for (PostgresTable<?> t : SERVING) {
        String staging = staging(id, t);
        String replaced = replaced(id, t);
        List<String> key = t.schema().key();
        StringBuilder match = new StringBuilder();
        for (String k : key) {
          match.append(match.length() == 0 ? "" : " AND ").append("t.").append(k);
          match.append(" = s.").append(k);
        }
        sql.append("DELETE FROM ")
            .append(t.name())
            .append(" t USING ")
            .append(staging)
            .append(" s WHERE ")
            .append(match)
            .append(";\n")
            .append(t.upsertFrom(replaced))
            .append(";\n");
      }
      transaction(postgres, sql.toString(), "roll back backfill " + id);
    }
  }

  /** Drops the backfill's branches and staging tables (those that exist). */
  static void drop(Configuration config, PostgresConnection postgres, String id) {
    String branch = BackfillOptions.branch(id);
    removeBranches(config, branch);
    if (postgres != null) {
      StringBuilder ddl = new StringBuilder();
      for (PostgresTable<?> t : SERVING) {
        ddl.append("DROP TABLE IF EXISTS ")
            .append(staging(id, t))
            .append(", ")
            .append(replaced(id, t))
            .append(";\n");
      }
      execute(postgres, ddl.toString(), "drop the staging tables of backfill " + id);
    }
  }

  /** The first snapshot of {@code head}'s history. */
  private static long root(Table table, long head) {
    long id = head;
    Snapshot s = table.snapshot(id);
    while (s != null && s.parentId() != null && table.snapshot(s.parentId()) != null) {
      id = s.parentId();
      s = table.snapshot(id);
    }
    return id;
  }

  /** Whether snapshot {@code ancestor} is {@code head} or one of its ancestors. */
  private static boolean isAncestor(Table table, long head, long ancestor) {
    Long id = head;
    while (id != null) {
      if (id == ancestor) {
        return true;
      }
      Snapshot s = table.snapshot(id);
      id = s == null ? null : s.parentId();
    }
    return false;
  }

  /** {@code work} on each Iceberg table a backfill writes, when Iceberg output is on. */
  private static void eachTable(Configuration config, java.util.function.Consumer<Table> work) {
    if (!config.get(IcebergOptions.ENABLED)) {
      return;
    }
    IcebergTables.withCatalog(
        config,
        catalog -> {
          for (TableIdentifier t : icebergTables(config)) {
            work.accept(catalog.loadTable(t));
          }
          return null;
        });
  }

  private static void execute(PostgresConnection postgres, String sql, String what) {
    try (Connection c = postgres.open();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new MmflowException(
          ErrorCode.SINK_WRITE_FAILED,
          "cannot " + what + " in " + postgres.safeUrl() + ": " + e.getMessage(),
          e);
    }
  }

  private static void transaction(PostgresConnection postgres, String sql, String what) {
    try (Connection c = postgres.open()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute(sql);
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new MmflowException(
          ErrorCode.SINK_WRITE_FAILED,
          "cannot " + what + " in " + postgres.safeUrl() + ": " + e.getMessage(),
          e);
    }
  }
}
