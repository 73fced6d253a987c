package io.mmflow.core.model;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One run of a job, as {@code job_runs} keeps it: who ran what, on which input and settings, when,
 * and what came of it.
 *
 * @param runId the run's id: the Flink job id
 * @param job the job (documents, feeds)
 * @param jobName the Flink job's name
 * @param mmflowVersion the mmflow build that ran it
 * @param configDigest SHA-256 of the run's mmflow settings, secrets left out: two runs with the
 *     same digest ran with the same settings
 * @param input what it read (a folder, a bucket prefix, a topic)
 * @param target where it ran: local or the remote cluster's address
 * @param status finished, cancelled or failed
 * @param deadLettersByCode dead letters per {@code MMF-nnnn NAME}
 * @param costUsd what its remote calls cost
 */
public record JobRun(
    String runId,
    String job,
    String jobName,
    String mmflowVersion,
    String configDigest,
    String input,
    String target,
    Instant startedAt,
    Instant finishedAt,
    String status,
    long itemsRead,
    long itemsDone,
    long results,
    long pages,
    long deadLetters,
    Map<String, String> deadLettersByCode,
    double costUsd) {

  public JobRun {
    deadLettersByCode = new TreeMap<>(deadLettersByCode);
  }
}
