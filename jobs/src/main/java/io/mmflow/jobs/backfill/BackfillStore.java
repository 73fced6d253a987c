package io.mmflow.jobs.backfill;

import com.fasterxml.jackson.core.type.TypeReference;
import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.serde.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backfills in the serving PostgreSQL: {@code backfills}, {@code backfill_items} (the inputs
 * each re-reads) and {@code backfill_runs} (each run of one, recorded when it starts). Tables in
 * sql/postgres/schema.sql.
 */
public final class BackfillStore {
  private final PostgresConnection postgres;

  public BackfillStore(PostgresConnection postgres) {
    if (postgres == null) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "backfills are kept in the serving PostgreSQL: enable it (mmflow.postgres.enabled=true)");
    }
    this.postgres = postgres;
  }

  /** One run of a backfill: its run id, when it started, where it checkpoints, how it ended. */
  public record Run(String runId, Instant startedAt, String checkpoints, String status) {}

  /** Records a planned backfill and the inputs it re-reads, in one transaction. */
  public void create(Backfill b, List<String> sources) {
    try (Connection c = postgres.open()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO backfills (backfill_id, created_at, status, selection, settings, items,"
                  + " pages, planned_results, estimated_usd, estimated_seconds)"
                  + " VALUES (?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?)")) {
        ps.setString(1, b.id());
        ps.setTimestamp(2, Timestamp.from(b.createdAt()));
        ps.setString(3, b.status().wireName());
        ps.setString(4, Json.write(b.selection()));
        ps.setString(5, Json.write(b.settings()));
        ps.setLong(6, b.items());
        ps.setLong(7, b.pages());
        ps.setLong(8, b.plannedResults());
        ps.setDouble(9, b.estimatedUsd());
        if (b.estimatedSeconds() == null) {
          ps.setNull(10, java.sql.Types.DOUBLE);
        } else {
          ps.setDouble(10, b.estimatedSeconds());
        }
        ps.executeUpdate();
      } catch (SQLException e) {
        if ("23505".equals(e.getSQLState())) {
          throw new MmflowException(
              ErrorCode.CONFIGURATION_INVALID,
              "a backfill named " + b.id() + " exists: choose another --id, or discard it first");
        }
        throw e;
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO backfill_items (backfill_id, source_uri) VALUES (?, ?)"
                  + " ON CONFLICT DO NOTHING")) {
        int n = 0;
        for (String source : sources) {
          ps.setString(1, b.id());
          ps.setString(2, source);
          ps.addBatch();
          if (++n % 1000 == 0) {
            ps.executeBatch();
          }
        }
        ps.executeBatch();
      }
      c.commit();
    } catch (SQLException e) {
      throw failed("record backfill " + b.id(), e);
    }
  }

  /** The backfill {@code id}, or a coded error saying there is none. */
  public Backfill get(String id) {
    return find(id)
        .orElseThrow(
            () ->
                new MmflowException(
                    ErrorCode.CONFIGURATION_INVALID,
                    "no backfill " + id + " (bin/mmflow backfill list shows them)"));
  }

  public Optional<Backfill> find(String id) {
    List<Backfill> found = query("WHERE backfill_id = ?", id);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /** Every backfill, newest first. */
  public List<Backfill> list() {
    return query("", null);
  }

  /** The inputs backfill {@code id} re-reads, in a stable order. */
  public List<String> sources(String id) {
    List<String> out = new ArrayList<>();
    try (Connection c = postgres.open();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT source_uri FROM backfill_items WHERE backfill_id = ? ORDER BY source_uri")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failed("read the inputs of backfill " + id, e);
    }
  }

  public void setStatus(String id, Backfill.Status status) {
    update(
        "UPDATE backfills SET status = ?, updated_at = clock_timestamp() WHERE backfill_id = ?",
        status.wireName(),
        id);
  }

  /** Records a run of {@code id} as it starts. */
  public void runStarted(String id, String runId, String checkpoints) {
    try (Connection c = postgres.open();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO backfill_runs (backfill_id, run_id, started_at, checkpoints, status)"
                    + " VALUES (?, ?, clock_timestamp(), ?, 'running')")) {
      ps.setString(1, id);
      ps.setString(2, runId);
      ps.setString(3, checkpoints);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw failed("record a run of backfill " + id, e);
    }
  }

  public void runEnded(String id, String runId, String status) {
    update(
        "UPDATE backfill_runs SET status = ? WHERE backfill_id = ? AND run_id = ?",
        status,
        id,
        runId);
  }

  /** The runs of {@code id}, oldest first. */
  public List<Run> runs(String id) {
    List<Run> out = new ArrayList<>();
    try (Connection c = postgres.open();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT run_id, started_at, checkpoints, status FROM backfill_runs"
                    + " WHERE backfill_id = ? ORDER BY started_at")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Run(
                  rs.getString(1),
                  rs.getTimestamp(2).toInstant(),
                  rs.getString(3),
                  rs.getString(4)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failed("read the runs of backfill " + id, e);
    }
  }

  private List<Backfill> query(String where, String id) {
    List<Backfill> out = new ArrayList<>();
    try (Connection c = postgres.open();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT backfill_id, created_at, status, selection::text, settings::text, items,"
                    + " pages, planned_results, estimated_usd, estimated_seconds,"
                    + " main_snapshots::text FROM backfills "
                    + where
                    + " ORDER BY created_at DESC")) {
      if (id != null) {
        ps.setString(1, id);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          double seconds = rs.getDouble(10);
          Double estimatedSeconds = rs.wasNull() ? null : seconds;
          String snapshots = rs.getString(11);
          out.add(
              new Backfill(
                  rs.getString(1),
                  rs.getTimestamp(2).toInstant(),
                  Backfill.Status.of(rs.getString(3)),
                  Json.read(rs.getString(4), BackfillSelection.class),
                  Json.mapper()
                      .readValue(rs.getString(5), new TypeReference<Map<String, String>>() {}),
                  rs.getLong(6),
                  rs.getLong(7),
                  rs.getLong(8),
                  rs.getDouble(9),
                  estimatedSeconds,
                  snapshots == null
                      ? Map.of()
                      : Json.mapper()
                          .readValue(snapshots, new TypeReference<Map<String, Long>>() {})));
        }
      }
      return out;
    } catch (SQLException | java.io.IOException e) {
      throw failed("read the backfills", e);
    }
  }

  private void update(String sql, String... params) {
    try (Connection c = postgres.open();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      ps.executeUpdate();
    } catch (SQLException e) {
      throw failed("update the backfills", e);
    }
  }

  private MmflowException failed(String what, Exception e) {
    return new MmflowException(
        ErrorCode.SINK_WRITE_FAILED,
        "cannot " + what + " in " + postgres.safeUrl() + ": " + e.getMessage(),
        e);
  }
}
