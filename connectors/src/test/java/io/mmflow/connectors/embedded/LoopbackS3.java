package io.mmflow.connectors.embedded;

import java.net.URI;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * S3Proxy (a real S3 API server) on loopback with an in-memory blob store and signed requests; the
 * job finds its credentials through the AWS SDK's default provider chain (system properties).
 *
 * <p>In connectors' test sources, shared with the jobs tests through the test jar: S3Proxy is a
 * test dependency and must stay out of the job jar.
 */
public final class LoopbackS3 implements AutoCloseable {
  /** The access key the server checks signatures with. */
  public static final String ACCESS = "mmflow-test-access";

  /** The secret key, which no message of the code under test may show. */
  public static final String SECRET = "mmflow-test-secret";

  private final S3Proxy proxy;
  private final BlobStoreContext blobs;
  private final URI endpoint;

  private LoopbackS3(S3Proxy proxy, BlobStoreContext blobs, URI endpoint) {
    this.proxy = proxy;
    this.blobs = blobs;
    this.endpoint = endpoint;
  }

  public static LoopbackS3 start() throws Exception {
    BlobStoreContext blobs = ContextBuilder.newBuilder("transient").build(BlobStoreContext.class);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(blobs.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
            .build();
    proxy.start();
    while (!proxy.getState().equals("STARTED")) {
      Thread.sleep(20);
    }
    System.setProperty("aws.accessKeyId", ACCESS);
    System.setProperty("aws.secretAccessKey", SECRET);
    return new LoopbackS3(proxy, blobs, URI.create("http://127.0.0.1:" + proxy.getPort()));
  }

  public URI endpoint() {
    return endpoint;
  }

  /** A client for the test itself. */
  public S3Client client() {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        // S3Proxy 2.6 predates the SDK's default upload checksums
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .build();
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    blobs.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }
}
