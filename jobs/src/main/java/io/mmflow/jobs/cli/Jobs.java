package io.mmflow.jobs.cli;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.error.MmflowException;
import io.mmflow.jobs.documents.DocumentsJob;
import io.mmflow.jobs.feeds.FeedsJob;
import io.mmflow.jobs.runtime.MmflowJob;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The jobs mmflow ships, by name: the CLI's registry. It lives here, not in the runtime, so that
 * the runtime knows jobs only as {@link MmflowJob}s and imports no job package.
 */
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
