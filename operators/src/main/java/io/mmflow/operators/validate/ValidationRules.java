package io.mmflow.operators.validate;

import static io.mmflow.core.util.Checks.checkArgument;

import java.io.Serializable;
import java.util.Set;

/**
 * What a job accepts.
 *
 * @param maxBytes largest input accepted
 * @param acceptedTypes media types some stage of the job handles
 * @param jobName used in the message of an unsupported type
 */
public record ValidationRules(long maxBytes, Set<String> acceptedTypes, String jobName)
    implements Serializable {
  public ValidationRules {
    checkArgument(maxBytes > 0, "maxBytes must be > 0, but was: %s", maxBytes);
    acceptedTypes = Set.copyOf(acceptedTypes);
  }
}
