package io.mmflow.connectors.source.file;

import io.mmflow.connectors.source.GlobMatcher;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.function.Predicate;
import org.apache.flink.core.fs.Path;

/**
 * Chooses which files under the input root the FileSource reads, by {@link GlobMatcher} on the path
 * relative to the root. Directories always pass unless excluded, so that the enumerator descends
 * into them.
 */
public final class GlobFileFilter implements Predicate<Path>, Serializable {
  private static final long serialVersionUID = 1L;

  private final String root;
  private final GlobMatcher globs;

  public GlobFileFilter(Path root, List<String> includes, List<String> excludes) {
    String r = root.toUri().getPath();
    this.root = r.endsWith("/") ? r : r + "/";
    this.globs = new GlobMatcher(includes, excludes);
  }

  @Override
  public boolean test(Path path) {
    String full = path.toUri().getPath();
    String relative = full.startsWith(root) ? full.substring(root.length()) : path.getName();
    if (relative.isEmpty()) {
      return true;
    }
    if (globs.excluded(relative)) {
      return false;
    }
    return globs.selected(relative) || (globs.hasIncludes() && isDirectory(path));
  }

  private static boolean isDirectory(Path path) {
    try {
      return path.getFileSystem().getFileStatus(path).isDir();
    } catch (IOException e) {
      return false;
    }
  }
}
