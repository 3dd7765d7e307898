package dev.atpkeyserver.server.keys;

/**
 * A versioned key whose head row the current transaction has locked, with the latest version number
 * read under that lock. Only {@link KeyVersioning} makes one, so holding one shows the lock was
 * taken; it means nothing outside the transaction that took it.
 *
 * @param <K> how the key is named (a user's DID, a group id)
 */
public final class LockedHead<K> {

  private final K key;
  private final int latestVersion;

  LockedHead(K key, int latestVersion) {
    this.key = key;
    this.latestVersion = latestVersion;
  }

  /** The locked key. */
  public K key() {
    return key;
  }

  /** The newest version number, as of the lock. */
  public int latestVersion() {
    return latestVersion;
  }

  @Override
  public String toString() {
    return "LockedHead[key=" + key + ", latestVersion=" + latestVersion + "]";
  }
}
