package io.mmflow.core.config;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Reading {@code s3://} inputs with the AWS SDK v2. Credentials come from the SDK's default
 * provider chain (environment, system properties, profile, container or instance role); they are
 * never configuration values.
 */
public final class S3Options {
  public static final ConfigOption<String> ENDPOINT =
      ConfigOptions.key("mmflow.s3.endpoint")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Endpoint override for S3-compatible stores (MinIO, Ceph, S3Proxy), e.g."
                  + " http://minio:9000; unset uses AWS.");

  public static final ConfigOption<String> REGION =
      ConfigOptions.key("mmflow.s3.region")
          .stringType()
          .defaultValue("us-east-1")
          .withDescription("Region of the bucket.");

  public static final ConfigOption<Boolean> PATH_STYLE =
      ConfigOptions.key("mmflow.s3.path-style-access")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "Address buckets as endpoint/bucket rather than bucket.endpoint; most S3-compatible"
                  + " stores need it.");

  public static final ConfigOption<Duration> FETCH_TIMEOUT =
      ConfigOptions.key("mmflow.s3.fetch-timeout")
          .durationType()
          .defaultValue(Duration.ofSeconds(30))
          .withDescription(
              "Longest fetch of one s3:// part of a feed event (the request and all its bytes);"
                  + " a slower one is cancelled and becomes a retryable dead letter MMF-2001.");

  public static final ConfigOption<Integer> FETCH_CONCURRENCY =
      ConfigOptions.key("mmflow.s3.fetch-concurrency")
          .intType()
          .defaultValue(64)
          .withDescription(
              "Fetches of s3:// parts of feed events in flight per subtask (the async operator's"
                  + " capacity and the HTTP client's connection limit); more waiting items"
                  + " back-pressure the feed. Memory: up to this many parts of at most"
                  + " mmflow.source.max-bytes each.");

  private S3Options() {}

  public static List<ConfigOption<?>> all() {
    return List.of(ENDPOINT, REGION, PATH_STYLE, FETCH_TIMEOUT, FETCH_CONCURRENCY);
  }
}
