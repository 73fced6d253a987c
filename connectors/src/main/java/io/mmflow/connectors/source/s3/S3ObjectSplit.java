package io.mmflow.connectors.source.s3;

import static io.mmflow.core.util.Checks.requireNonBlank;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One S3 object: the unit of work handed to a reader, so parallelism scales with objects.
 *
 * @param bucket the bucket
 * @param key the object key
 * @param size its size in bytes, from the listing
 * @param lastModifiedMillis its last modification, the item's event time
 * @param etag its ETag, kept in the item's attributes
 */
public record S3ObjectSplit(
    String bucket, String key, long size, long lastModifiedMillis, String etag)
    implements SourceSplit {
  public S3ObjectSplit {
    requireNonBlank(bucket, "bucket");
    requireNonBlank(key, "key");
  }

  @Override
  public String splitId() {
    return key;
  }

  public String uri() {
    return "s3://" + bucket + "/" + key;
  }
}
