package io.mmflow.connectors.source.file;

import java.io.Serializable;
import java.nio.file.FileSystems;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.util.List;
import java.util.function.Predicate;
import org.apache.flink.core.fs.Path;

/**
 * Chooses which files under the input root are read: a file is read when it matches one include
 * glob (or there are none) and no exclude glob. Globs are matched against the path relative to the
 * root, with {@code /} separators, e.g. {@code **}{@code /*.pdf}. Directories always pass so that
 * the enumerator descends into them.
 */
public final class GlobFileFilter implements Predicate<Path>, Serializable {
  private static final long serialVersionUID = 1L;

  private final String root;
  private final List<String> includes;
  private final List<String> excludes;
  private transient List<PathMatcher> includeMatchers;
  private transient List<PathMatcher> excludeMatchers;

  public GlobFileFilter(Path root, List<String> includes, List<String> excludes) {
    String r = root.toUri().getPath();
    this.root = r.endsWith("/") ? r : r + "/";
    this.includes = List.copyOf(includes);
    this.excludes = List.copyOf(excludes);
  }

  @Override
  public boolean test(Path path) {
    if (includeMatchers == null) {
      includeMatchers = includes.stream().map(GlobFileFilter::matcher).toList();
      excludeMatchers = excludes.stream().map(GlobFileFilter::matcher).toList();
    }
    String full = path.toUri().getPath();
    String relative = full.startsWith(root) ? full.substring(root.length()) : path.getName();
    if (relative.isEmpty()) {
      return true;
    }
    // '**/x' should also match 'x' at the top level, as users expect from other glob tools
    java.nio.file.Path rel = Paths.get(relative);
    java.nio.file.Path nested = Paths.get("_", relative);
    if (excludeMatchers.stream().anyMatch(m -> m.matches(rel) || m.matches(nested))) {
      return false;
    }
    return includeMatchers.isEmpty()
        || isDirectoryLike(path)
        || includeMatchers.stream().anyMatch(m -> m.matches(rel) || m.matches(nested));
  }

  private static boolean isDirectoryLike(Path path) {
    try {
      return path.getFileSystem().getFileStatus(path).isDir();
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static PathMatcher matcher(String glob) {
    return FileSystems.getDefault().getPathMatcher("glob:" + glob);
  }
}
