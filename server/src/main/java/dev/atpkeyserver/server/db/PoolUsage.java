package dev.atpkeyserver.server.db;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * A snapshot of the connection pool, read from HikariCP's {@code HikariPoolMXBean} (Helidon's
 * DbClient does not expose the pool itself). All values are -1 when the pool cannot be read, for
 * instance after it was closed.
 *
 * @param active connections lent to a request
 * @param idle connections waiting in the pool
 * @param pending threads waiting for a connection
 * @param total open connections, active plus idle
 */
public record PoolUsage(int active, int idle, int pending, int total) {

  private static final PoolUsage UNKNOWN = new PoolUsage(-1, -1, -1, -1);

  /** Where a pool's usage is read from. */
  interface Source {
    PoolUsage read();
  }

  static Source source(String poolName) {
    ObjectName name;
    try {
      name = new ObjectName("com.zaxxer.hikari:type=Pool (" + poolName + ")");
    } catch (MalformedObjectNameException e) {
      throw new IllegalArgumentException("Unusable pool name " + poolName, e);
    }
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    return () -> read(server, name);
  }

  private static PoolUsage read(MBeanServer server, ObjectName name) {
    try {
      return new PoolUsage(
          (Integer) server.getAttribute(name, "ActiveConnections"),
          (Integer) server.getAttribute(name, "IdleConnections"),
          (Integer) server.getAttribute(name, "ThreadsAwaitingConnection"),
          (Integer) server.getAttribute(name, "TotalConnections"));
    } catch (JMException | RuntimeException e) {
      return UNKNOWN;
    }
  }
}
