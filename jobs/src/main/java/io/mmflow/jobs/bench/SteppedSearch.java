package io.mmflow.jobs.bench;

/**
 * A search that runs one step at a time, so that the searches of several consumers can take turns
 * on the same machine ({@link StreamRateSearch#inTurns}).
 */
interface SteppedSearch {
  /** Whether the search has ended. */
  boolean done();

  /** Its next step. */
  void step() throws Exception;
}
