package dev.atpkeyserver.server.auth.signature;

import dev.atpkeyserver.did.AtprotoSigningKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A backend's parsed form of each signing key in use, kept because parsing (decompressing the
 * point, building key objects) costs a noticeable part of a verification. Bounded by dropping
 * everything when full: keys change rarely, and an overflow only costs re-parsing.
 *
 * @param <V> the parsed form
 */
final class ParsedKeys<V> {

  /** One entry per active signing key: far more users than one instance serves at once. */
  static final int MAX_KEYS = 10_000;

  private final Function<AtprotoSigningKey, V> parser;
  private final int maxKeys;
  private final Map<AtprotoSigningKey, V> parsed = new ConcurrentHashMap<>();

  ParsedKeys(Function<AtprotoSigningKey, V> parser) {
    this(parser, MAX_KEYS);
  }

  ParsedKeys(Function<AtprotoSigningKey, V> parser, int maxKeys) {
    this.parser = parser;
    this.maxKeys = maxKeys;
  }

  V get(AtprotoSigningKey key) {
    V value = parsed.get(key);
    if (value == null) {
      value = parser.apply(key);
      if (parsed.size() >= maxKeys) {
        parsed.clear();
      }
      parsed.put(key, value);
    }
    return value;
  }

  int size() {
    return parsed.size();
  }
}
