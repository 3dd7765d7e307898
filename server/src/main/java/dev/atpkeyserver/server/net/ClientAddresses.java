package dev.atpkeyserver.server.net;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Works out the client's IP address for the access log and the rate limits. It is the connection's
 * peer, unless that peer is one of the configured trusted proxies: then {@code X-Forwarded-For} is
 * read from the right, skipping trusted proxies, and the first other address is the client. {@code
 * X-Forwarded-For} from anyone else is ignored, since any client can write it.
 */
public final class ClientAddresses {

  private final List<IpRange> trustedProxies;

  public ClientAddresses(List<IpRange> trustedProxies) {
    this.trustedProxies = List.copyOf(trustedProxies);
  }

  /** The client address of {@code request} as text, if the connection has one. */
  public Optional<String> clientIp(ServerRequest request) {
    return clientAddress(request).map(InetAddress::getHostAddress);
  }

  /** The client address of {@code request}, if the connection has one. */
  public Optional<InetAddress> clientAddress(ServerRequest request) {
    SocketAddress peer = request.remotePeer().address();
    if (!(peer instanceof InetSocketAddress socket) || socket.getAddress() == null) {
      return Optional.empty();
    }
    InetAddress address = socket.getAddress();
    if (!isTrusted(address) || !request.headers().contains(HeaderNames.X_FORWARDED_FOR)) {
      return Optional.of(address);
    }
    List<String> hops = request.headers().get(HeaderNames.X_FORWARDED_FOR).allValues(true);
    for (int i = hops.size() - 1; i >= 0; i--) {
      Optional<InetAddress> hop = literal(hops.get(i));
      if (hop.isEmpty()) {
        // Garbage in the chain: the last address we can vouch for is the proxy itself.
        return Optional.of(address);
      }
      if (!isTrusted(hop.get())) {
        return hop;
      }
      address = hop.get();
    }
    return Optional.of(address);
  }

  private boolean isTrusted(InetAddress address) {
    for (IpRange range : trustedProxies) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** Parses an IP literal without ever doing a DNS lookup. */
  private static Optional<InetAddress> literal(String text) {
    String value = text.strip();
    if (value.startsWith("[") && value.endsWith("]")) {
      value = value.substring(1, value.length() - 1);
    }
    boolean ipv6 = value.contains(":") && value.matches("[0-9A-Fa-f:.]+");
    boolean ipv4 = value.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    if (!ipv4 && !ipv6) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(value));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
