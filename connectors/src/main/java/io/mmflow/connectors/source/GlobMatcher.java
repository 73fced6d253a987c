package io.mmflow.connectors.source;

import java.io.Serializable;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.util.List;

/**
 * Include and exclude globs over paths relative to an input root (a folder or an S3 prefix), with
 * {@code /} separators: a path is selected when it matches one include (or there are none) and no
 * exclude. {@code **}{@code /x} also matches {@code x} at the top level, as users expect.
 */
public final class GlobMatcher implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> includes;
  private final List<String> excludes;

  /** When set, the exact relative names selected, and nothing else (globs unused). */
  private final java.util.Set<String> exactly;

  private transient List<PathMatcher> includeMatchers;
  private transient List<PathMatcher> excludeMatchers;

  public GlobMatcher(List<String> includes, List<String> excludes) {
    this(includes, excludes, null);
  }

  private GlobMatcher(List<String> includes, List<String> excludes, java.util.Set<String> exactly) {
    this.includes = List.copyOf(includes);
    this.excludes = List.copyOf(excludes);
    this.exactly = exactly == null ? null : new java.util.HashSet<>(exactly);
  }

  /**
   * Selects exactly these relative names (a backfill's planned objects): a set lookup, not one glob
   * per name.
   */
  public static GlobMatcher exactly(java.util.Collection<String> relatives) {
    return new GlobMatcher(List.of(), List.of(), java.util.Set.copyOf(relatives));
  }

  public boolean excluded(String relative) {
    compile();
    return matchesAny(excludeMatchers, relative);
  }

  public boolean selected(String relative) {
    if (exactly != null) {
      return exactly.contains(relative);
    }
    compile();
    return !matchesAny(excludeMatchers, relative)
        && (includeMatchers.isEmpty() || matchesAny(includeMatchers, relative));
  }

  public boolean hasIncludes() {
    return !includes.isEmpty() || exactly != null;
  }

  private static boolean matchesAny(List<PathMatcher> matchers, String relative) {
    Path rel = Paths.get(relative);
    Path nested = Paths.get("_", relative);
    return matchers.stream().anyMatch(m -> m.matches(rel) || m.matches(nested));
  }

  private void compile() {
    if (includeMatchers == null) {
      includeMatchers = includes.stream().map(GlobMatcher::matcher).toList();
      excludeMatchers = excludes.stream().map(GlobMatcher::matcher).toList();
    }
  }

  private static PathMatcher matcher(String glob) {
    return FileSystems.getDefault().getPathMatcher("glob:" + glob);
  }
}
