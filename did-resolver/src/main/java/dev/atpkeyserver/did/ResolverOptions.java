package dev.atpkeyserver.did;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings shared by the HTTP resolvers.
 *
 * @param plcUrl the PLC directory, default {@value #DEFAULT_PLC_URL}
 * @param timeout the limit for one resolution: DNS check, connect, response and body together;
 *     default 3 s, as in the official resolver
 * @param maxDocumentBytes the largest DID document accepted, default 64 KiB
 * @param allowLocalHosts whether did:web may name loopback/private hosts and {@code localhost} over
 *     http; default false, true only in tests and local development
 */
public record ResolverOptions(
    URI plcUrl, Duration timeout, int maxDocumentBytes, boolean allowLocalHosts) {

  /** The public PLC directory. */
  public static final String DEFAULT_PLC_URL = "https://plc.directory";

  /** The default resolution timeout, the official resolver's. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

  /** The default size limit of a DID document: real ones are about 1 KiB. */
  public static final int DEFAULT_MAX_DOCUMENT_BYTES = 64 * 1024;

  /**
   * Validates the options.
   *
   * @throws IllegalArgumentException if the PLC URL is not an absolute http(s) URL with a host, or
   *     the timeout or size limit is not positive
   */
  public ResolverOptions {
    Objects.requireNonNull(plcUrl, "plcUrl");
    Objects.requireNonNull(timeout, "timeout");
    String scheme = plcUrl.getScheme();
    if (!("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))
        || plcUrl.getHost() == null) {
      throw new IllegalArgumentException("plcUrl must be an http or https URL with a host");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    if (maxDocumentBytes <= 0) {
      throw new IllegalArgumentException("maxDocumentBytes must be positive");
    }
  }

  /**
   * The defaults: public PLC directory, 3 s, 64 KiB, no local hosts.
   *
   * @return the default options
   */
  public static ResolverOptions defaults() {
    return builder().build();
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ResolverOptions}; every setting starts at its default. */
  public static final class Builder {
    private URI plcUrl = URI.create(DEFAULT_PLC_URL);
    private Duration timeout = DEFAULT_TIMEOUT;
    private int maxDocumentBytes = DEFAULT_MAX_DOCUMENT_BYTES;
    private boolean allowLocalHosts;

    private Builder() {}

    /**
     * Sets the PLC directory URL.
     *
     * @param plcUrl an http(s) URL; any path is replaced by the DID
     * @return this builder
     */
    public Builder plcUrl(URI plcUrl) {
      this.plcUrl = plcUrl;
      return this;
    }

    /**
     * Sets the resolution timeout.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /**
     * Sets the largest DID document accepted.
     *
     * @param maxDocumentBytes a positive number of bytes
     * @return this builder
     */
    public Builder maxDocumentBytes(int maxDocumentBytes) {
      this.maxDocumentBytes = maxDocumentBytes;
      return this;
    }

    /**
     * Allows did:web on loopback and private hosts, and http for {@code localhost}.
     *
     * @param allowLocalHosts true only for tests and local development
     * @return this builder
     */
    public Builder allowLocalHosts(boolean allowLocalHosts) {
      this.allowLocalHosts = allowLocalHosts;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     * @throws IllegalArgumentException if a setting is invalid
     */
    public ResolverOptions build() {
      return new ResolverOptions(plcUrl, timeout, maxDocumentBytes, allowLocalHosts);
    }
  }
}
