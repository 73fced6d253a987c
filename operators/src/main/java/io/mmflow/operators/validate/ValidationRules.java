package io.mmflow.operators.validate;

import static io.mmflow.core.util.Checks.checkArgument;

import io.mmflow.core.error.ErrorCode;
import io.mmflow.core.model.MediaItem;
import io.mmflow.model.tika.MediaTypeDetector;
import java.io.Serializable;
import java.util.Set;

/**
 * What a job accepts, and the check of one item against it ({@link #check}): the validation of
 * {@link ValidateMedia} in the jobs and of the SQL functions.
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

  /**
   * What {@link #check} found.
   *
   * @param item the item, with the media type detected from its bytes when it has them
   * @param code why it is rejected, or null when it is accepted
   * @param message the reason in words, or null
   */
  public record Verdict(MediaItem item, ErrorCode code, String message) {
    public boolean accepted() {
      return code == null;
    }
  }

  /**
   * Checks {@code item}: readable, within the size limit, not empty, of an accepted media type
   * (detected from the bytes, except for inline text, which is text by construction). An item
   * holding a reference instead of bytes is accepted here and checked again once fetched.
   */
  public Verdict check(MediaItem item, MediaTypeDetector detector) {
    String readError = item.attributes().get(MediaItem.READ_ERROR_ATTRIBUTE);
    if (readError != null) {
      return new Verdict(item, ErrorCode.SOURCE_READ_FAILED, "cannot read the input: " + readError);
    }
    if (item.sizeBytes() > maxBytes || (!item.hasContent() && item.contentRef() == null)) {
      return new Verdict(
          item,
          ErrorCode.INPUT_TOO_LARGE,
          "input is "
              + item.sizeBytes()
              + " bytes, over the limit of "
              + maxBytes
              + " bytes (mmflow.source.max-bytes)");
    }
    if (!item.hasContent()) {
      return new Verdict(item, null, null);
    }
    if (item.content().length == 0) {
      return new Verdict(item, ErrorCode.EMPTY_INPUT, "input has 0 bytes");
    }
    // a JSON string is UTF-8 text by construction; sniffing it (Tika's magic patterns) would cost
    // more than all the rest of a text part's processing
    String type =
        item.attributes().containsKey(MediaItem.INLINE_TEXT_ATTRIBUTE)
            ? "text/plain"
            : detector.detect(item.content());
    MediaItem typed = item.withMediaType(type);
    if (!acceptedTypes.contains(type)) {
      return new Verdict(
          typed,
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "media type "
              + type
              + " (detected from the bytes) is not handled by the "
              + jobName
              + " job");
    }
    return new Verdict(typed, null, null);
  }
}
