package io.mmflow.core.config;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Backfills: a run that reprocesses what earlier runs wrote writes beside {@code main}, never into
 * it, until it is published. Its rows go to the Iceberg branch {@link #branch} of each table and to
 * the PostgreSQL staging tables {@link #stagingTable}; names derive from the backfill's id here, so
 * the sinks, the planner and the publisher agree on them.
 */
public final class BackfillOptions {
  /**
   * A backfill id: words of lowercase letters and digits joined by single dashes, 40 characters at
   * most. No double dash, so that {@code backfill_<id>__<table>} names one backfill's table only.
   */
  private static final Pattern ID_PATTERN = Pattern.compile("(?=.{1,40}$)[a-z0-9]+(-[a-z0-9]+)*");

  public static final ConfigOption<String> ID =
      ConfigOptions.key("mmflow.backfill.id")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "The backfill a run writes for (set by bin/mmflow backfill run, or for the backfill"
                  + " entry point of flink run): its rows go to the Iceberg branch"
                  + " backfill-<id> and the PostgreSQL tables backfill_<id>_results and"
                  + " backfill_<id>_dead_letters, never to main, until it is published.");

  public static final ConfigOption<Double> BUDGET_USD =
      ConfigOptions.key("mmflow.backfill.budget-usd")
          .doubleType()
          .defaultValue(5.0)
          .withDescription(
              "A backfill whose planned remote cost passes this many US dollars is refused, by"
                  + " plan and by run; raise it with --budget.");

  private BackfillOptions() {}

  public static List<ConfigOption<?>> all() {
    return List.of(ID, BUDGET_USD);
  }

  /** {@code id}, checked: a coded error naming what a backfill id may hold. */
  public static String checkId(String id) {
    if (id == null || !ID_PATTERN.matcher(id).matches()) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "invalid backfill id '"
              + id
              + "': use 1 to 40 lowercase letters and digits, words joined by single dashes"
              + " (upgrade-1207)");
    }
    return id;
  }

  /** The Iceberg branch of backfill {@code id}, in every table it writes. */
  public static String branch(String id) {
    return "backfill-" + checkId(id);
  }

  /**
   * The PostgreSQL staging table of backfill {@code id} for {@code table} (results, ...): {@code
   * backfill_<id>__<table>}, the id's dashes as single underscores, so that no two backfills share
   * one.
   */
  public static String stagingTable(String id, String table) {
    return "backfill_" + checkId(id).replace('-', '_').toLowerCase(Locale.ROOT) + "__" + table;
  }
}
