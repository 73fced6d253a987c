package io.mmflow.jobs.runtime;

import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.operators.metrics.RemoteCosts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

/**
 * What one run's remote calls cost, per provider and model, as rows of {@code job_costs} (one per
 * job id, provider and model; written when the job ends). Unlike the cost columns of {@code
 * results}, which a later run over the same items overwrites, these rows add up to what was spent.
 */
final class JobCosts {
  private JobCosts() {}

  static void record(
      PostgresConnection db,
      String jobName,
      String jobId,
      Instant started,
      Instant finished,
      Map<String, RemoteCosts.Totals> costs)
      throws SQLException {
    String sql =
        """
        INSERT INTO job_costs (job_id, job_name, provider, model_id, started_at, finished_at,
            results, cache_hits, errors, input_tokens, output_tokens, cost_usd)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (job_id, provider, model_id) DO UPDATE SET
            finished_at = EXCLUDED.finished_at, results = EXCLUDED.results,
            cache_hits = EXCLUDED.cache_hits, errors = EXCLUDED.errors,
            input_tokens = EXCLUDED.input_tokens, output_tokens = EXCLUDED.output_tokens,
            cost_usd = EXCLUDED.cost_usd
        """;
    try (Connection c = db.open();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (Map.Entry<String, RemoteCosts.Totals> e : costs.entrySet()) {
        int slash = e.getKey().indexOf('/');
        RemoteCosts.Totals t = e.getValue();
        s.setString(1, jobId);
        s.setString(2, jobName);
        s.setString(3, e.getKey().substring(0, slash));
        s.setString(4, e.getKey().substring(slash + 1));
        s.setTimestamp(5, Timestamp.from(started));
        s.setTimestamp(6, Timestamp.from(finished));
        s.setLong(7, t.results);
        s.setLong(8, t.cacheHits);
        s.setLong(9, t.errors);
        s.setLong(10, t.inputTokens);
        s.setLong(11, t.outputTokens);
        s.setDouble(12, t.usd);
        s.addBatch();
      }
      s.executeBatch();
    }
  }
}
