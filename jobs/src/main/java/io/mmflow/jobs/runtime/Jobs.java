package io.mmflow.jobs.runtime;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.jobs.documents.DocumentsJob;
import io.mmflow.jobs.feeds.FeedsJob;
import java.util.List;
import java.util.stream.Collectors;

/** The jobs mmflow ships, by name. */
public final class Jobs {
  private static final List<MmflowJob> ALL = List.of(new DocumentsJob(), new FeedsJob());

  private Jobs() {}

  public static List<MmflowJob> all() {
    return ALL;
  }

  public static MmflowJob byName(String name) {
    return ALL.stream()
        .filter(j -> j.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new MmflowException(
                    ErrorCode.CONFIGURATION_INVALID,
                    "unknown job '"
                        + name
                        + "'; available: "
                        + ALL.stream().map(MmflowJob::name).collect(Collectors.joining(", "))));
  }
}
