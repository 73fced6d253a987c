package io.mmflow.jobs.backfill;

import io.mmflow.connectors.postgres.PostgresConnection;
import io.mmflow.connectors.source.file.FileMediaSource;
import io.mmflow.connectors.source.s3.S3MediaSource;
import io.mmflow.core.config.BackfillOptions;
import io.mmflow.core.config.PostgresOptions;
import io.mmflow.core.config.RemoteOptions;
import io.mmflow.core.config.RuntimeOptions;
import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.core.model.MediaItem;
import io.mmflow.jobs.documents.DocumentsJob;
import io.mmflow.jobs.pipeline.JobSinks;
import io.mmflow.jobs.pipeline.PartPipeline;
import io.mmflow.jobs.runtime.MmflowJob;
import io.mmflow.jobs.runtime.SubmitMain;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A backfill's run: the documents job's per-part pipeline over exactly the inputs the backfill
 * selected ({@code backfill_items}), with its settings, writing to its Iceberg branch and
 * PostgreSQL staging tables (the sinks follow {@link BackfillOptions#ID}), never to main. Bounded;
 * the operators keep the documents job's uids, so a run resumes from the checkpoint of the one
 * before it. Each run is recorded as it is built and the backfill finished when one ends, whether
 * {@code bin/mmflow backfill run} or {@code flink run} started it.
 */
public final class BackfillJob implements MmflowJob {
  public static final String NAME = "backfill";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "reprocess what a planned backfill selected, into its own Iceberg branch";
  }

  @Override
  public String input(Configuration config) {
    return "backfill " + config.getOptional(BackfillOptions.ID).orElse("?");
  }

  @Override
  public void validate(Configuration config) {
    if (config.getOptional(BackfillOptions.ID).isEmpty()) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "no backfill named: plan one (bin/mmflow backfill plan) and run it by its id, or set "
              + BackfillOptions.ID.key());
    }
    if (!config.get(PostgresOptions.ENABLED)) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "a backfill reads its plan from the serving PostgreSQL: enable it");
    }
    PartPipeline.check(config);
  }

  @Override
  public void build(
      StreamExecutionEnvironment env, Configuration config, PostgresConnection postgres) {
    String id = config.get(BackfillOptions.ID);
    BackfillStore store = new BackfillStore(postgres);
    Backfill b = store.get(id);
    if (b.status() != Backfill.Status.PLANNED && b.status() != Backfill.Status.RUNNING) {
      throw new MmflowException(
          ErrorCode.CONFIGURATION_INVALID,
          "backfill " + id + " is " + b.status().wireName() + ": there is nothing to run");
    }
    Configuration run = runConfiguration(b, config);
    List<String> sources = store.sources(id);
    BackfillTables.prepare(run, postgres, id); // its branch and staging tables, once
    String runId = run.get(RuntimeOptions.RUN_ID);
    store.runStarted(id, runId, checkpoints(run, runId));
    store.setStatus(id, Backfill.Status.RUNNING);
    PartPipeline.Streams streams = DocumentsJob.pipeline(items(env, run, sources), run);
    JobSinks.attach(streams.results(), streams.deadLetters(), run, postgres);
  }

  /** A finished run finishes the backfill: ready for diff, publish or discard. */
  @Override
  public void finished(Configuration config, PostgresConnection postgres) {
    String id = config.get(BackfillOptions.ID);
    BackfillStore store = new BackfillStore(postgres);
    store.runEnded(id, config.get(RuntimeOptions.RUN_ID), "finished");
    store.setStatus(id, Backfill.Status.FINISHED);
  }

  /**
   * What a run of {@code b} runs with: {@code config} and the settings the backfill was planned
   * with, which win (every run of a backfill, a resumed one above all, reprocesses with the same
   * models and configuration: plan another backfill to change them); answers paid for kept in the
   * serving PostgreSQL, so that a resumed run or another backfill of the same inputs takes them
   * from there.
   */
  static Configuration runConfiguration(Backfill b, Configuration config) {
    Configuration run = new Configuration(config);
    b.settings().forEach(run::setString);
    run.set(RemoteOptions.CACHE_POSTGRES, true);
    return run;
  }

  /** Where run {@code runId}'s checkpoints go: under the configured folder, by the job's id. */
  static String checkpoints(Configuration config, String runId) {
    return config
            .getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)
            .map(dir -> dir.replaceAll("/+$", ""))
            .orElse(
                java.nio.file.Path.of(config.get(RuntimeOptions.DATA_DIR), "checkpoints")
                    .toAbsolutePath()
                    .toUri()
                    .toString()
                    .replaceAll("/+$", ""))
        + "/"
        + runId;
  }

  /**
   * The planned inputs as one stream: the files through one file source (the documents job's uid,
   * so a folder's backfill reads as the job did), the objects of each bucket through an S3 source
   * of their own.
   */
  static DataStream<MediaItem> items(
      StreamExecutionEnvironment env, Configuration config, List<String> sources) {
    List<String> files = new ArrayList<>();
    List<String> objects = new ArrayList<>();
    for (String s : sources) {
      (s.startsWith("s3://") ? objects : files).add(s);
    }
    DataStream<MediaItem> items = null;
    if (!files.isEmpty()) {
      items =
          env.fromSource(
                  FileMediaSource.ofFiles(files, config), WatermarkStrategy.noWatermarks(), "media")
              .uid("source-media");
    }
    if (!objects.isEmpty()) {
      for (S3MediaSource s3 : S3MediaSource.ofObjects(objects, config)) {
        s3.checkReachable();
        DataStream<MediaItem> bucket =
            env.fromSource(s3, WatermarkStrategy.noWatermarks(), "media s3://" + s3.bucket())
                .uid("source-media-s3-" + s3.bucket());
        items = items == null ? bucket : items.union(bucket);
      }
    }
    return items;
  }

  /**
   * Entry point for {@code flink run -c io.mmflow.jobs.backfill.BackfillJob mmflow-jobs-*-job.jar
   * -Dmmflow.backfill.id=ID -Dmmflow.postgres.url=...}: a backfill planned with {@code bin/mmflow
   * backfill plan}, run on a cluster (its branch and staging tables prepared by the plan).
   */
  public static void main(String[] args) throws Exception {
    SubmitMain.run(new BackfillJob(), args);
  }
}
