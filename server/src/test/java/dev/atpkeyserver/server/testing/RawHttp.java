package dev.atpkeyserver.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Sends bytes to a server over a plain socket and reads one HTTP/1.1 response: for requests no HTTP
 * client would send (raw non-ASCII or control bytes in the request line, broken escapes, oversized
 * or unfinished headers).
 */
public final class RawHttp {

  private static final int TIMEOUT_MILLIS = 10_000;

  private RawHttp() {}

  /**
   * One response.
   *
   * @param status the status code
   * @param headers header names in lower case, each with its last value
   * @param body the body, as UTF-8
   * @param closed whether the server closed the connection after the response (only looked at by
   *     {@link #sendUnfinished} and {@link #sendAndWatchClose}; otherwise false)
   */
  public record Response(int status, Map<String, String> headers, String body, boolean closed) {
    /** A header's value, by case-insensitive name. */
    public Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
  }

  /** Sends {@code request} as it is and reads the answer. */
  public static Response send(int port, byte[] request) {
    return send(port, request, false);
  }

  /**
   * Sends a request the server should refuse before its end, reads the answer and then checks, for
   * up to 2 s, that the server closed the connection rather than waiting for more.
   */
  public static Response sendUnfinished(int port, String request) {
    return send(port, request.getBytes(StandardCharsets.ISO_8859_1), true);
  }

  private static Response send(int port, byte[] request, boolean watchClose) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (SocketException e) {
        // The server may answer and close before all of an oversized request is written.
      }
      return read(socket, watchClose);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends {@code request} (which may hold more than one request) and reads the first answer, then
   * checks, for up to 2 s, whether the server closed the connection: false if anything else came
   * back, such as the answer to a second request hidden in the bytes of the first.
   */
  public static Response sendAndWatchClose(int port, String request) {
    return send(port, request.getBytes(StandardCharsets.ISO_8859_1), true);
  }

  /**
   * Sends {@code request}, which holds {@code count} pipelined requests, on one connection and
   * reads {@code count} answers.
   */
  public static List<Response> sendPipelined(int port, String request, int count) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      List<Response> responses = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        responses.add(read(socket, false));
      }
      return responses;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@link #send(int, byte[])} for an ISO-8859-1 string (each char one byte). */
  public static Response send(int port, String request) {
    return send(port, request.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static Response read(Socket socket, boolean watchClose) throws IOException {
    InputStream in = socket.getInputStream();
    String head = readHead(in);
    String[] lines = head.split("\r\n", -1);
    String[] statusLine = lines[0].split(" ", 3);
    if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
      throw new IOException("Not an HTTP response: " + lines[0]);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Response(
        Integer.parseInt(statusLine[1]),
        headers,
        new String(body, StandardCharsets.UTF_8),
        watchClose && isClosed(socket, in));
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("Connection closed before a response head: " + head);
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static boolean isClosed(Socket socket, InputStream in) throws IOException {
    socket.setSoTimeout(2_000);
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset: closed too
    }
  }
}
