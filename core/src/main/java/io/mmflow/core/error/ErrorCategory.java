package io.mmflow.core.error;

/** Who has to act on an error: the user (bad input), a system we call, or us. */
public enum ErrorCategory {
  /** The input itself is bad: fixing or removing it is the user's job; retrying will not help. */
  BAD_INPUT,
  /** A provider, store or source outside the job failed; often transient. */
  EXTERNAL,
  /** A defect or misconfiguration inside mmflow. */
  INTERNAL
}
