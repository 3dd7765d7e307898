package dev.atpkeyserver.server;

import dev.atpkeyserver.did.CachingDidResolver;
import dev.atpkeyserver.did.ConcurrencyLimitedResolver;
import dev.atpkeyserver.did.MethodDispatchingResolver;
import dev.atpkeyserver.did.ResolverOptions;
import dev.atpkeyserver.lexicon.XrpcHandlers;
import dev.atpkeyserver.server.accesslog.AccessLogRepository;
import dev.atpkeyserver.server.accesslog.AccessLogRetention;
import dev.atpkeyserver.server.accesslog.AccessLogService;
import dev.atpkeyserver.server.accesslog.AccessLogWriter;
import dev.atpkeyserver.server.account.AccountService;
import dev.atpkeyserver.server.api.accesslogs.GetLogsHandler;
import dev.atpkeyserver.server.api.account.DeleteHandler;
import dev.atpkeyserver.server.api.audit.ListEventsHandler;
import dev.atpkeyserver.server.api.device.ClaimBundlesHandler;
import dev.atpkeyserver.server.api.device.ListHandler;
import dev.atpkeyserver.server.api.device.RegisterHandler;
import dev.atpkeyserver.server.api.device.RevokeHandler;
import dev.atpkeyserver.server.api.device.UploadPreKeysHandler;
import dev.atpkeyserver.server.api.group.AddMemberHandler;
import dev.atpkeyserver.server.api.group.GetKeyHandler;
import dev.atpkeyserver.server.api.group.GetWrappedKeyHandler;
import dev.atpkeyserver.server.api.group.PutWrappedKeysHandler;
import dev.atpkeyserver.server.api.group.RemoveMemberHandler;
import dev.atpkeyserver.server.api.group.RotateKeyHandler;
import dev.atpkeyserver.server.api.keypair.GetKeypairHandler;
import dev.atpkeyserver.server.api.keypair.GetPublicKeyHandler;
import dev.atpkeyserver.server.api.keypair.RotateHandler;
import dev.atpkeyserver.server.audit.AuditLog;
import dev.atpkeyserver.server.audit.AuditRepository;
import dev.atpkeyserver.server.audit.AuditRetention;
import dev.atpkeyserver.server.audit.AuditService;
import dev.atpkeyserver.server.auth.RequestAuthenticator;
import dev.atpkeyserver.server.auth.ServiceAuthVerifier;
import dev.atpkeyserver.server.auth.signature.SignatureBackends;
import dev.atpkeyserver.server.backup.BackupRepository;
import dev.atpkeyserver.server.backup.BackupService;
import dev.atpkeyserver.server.cache.Invalidations;
import dev.atpkeyserver.server.cache.KeyCaches;
import dev.atpkeyserver.server.cache.PostgresInvalidationListener;
import dev.atpkeyserver.server.cache.ScopedCache;
import dev.atpkeyserver.server.config.KeyserverConfig;
import dev.atpkeyserver.server.crypto.MasterKey;
import dev.atpkeyserver.server.crypto.MasterKeyCheck;
import dev.atpkeyserver.server.crypto.MasterKeyLoader;
import dev.atpkeyserver.server.db.Database;
import dev.atpkeyserver.server.device.DeviceRepository;
import dev.atpkeyserver.server.device.DeviceService;
import dev.atpkeyserver.server.files.DataFolder;
import dev.atpkeyserver.server.group.GroupRepository;
import dev.atpkeyserver.server.group.GroupService;
import dev.atpkeyserver.server.keypair.KeypairRepository;
import dev.atpkeyserver.server.keypair.KeypairService;
import dev.atpkeyserver.server.keypair.StoredKeypair;
import dev.atpkeyserver.server.keys.KeyServiceContext;
import dev.atpkeyserver.server.keys.MillisecondClock;
import dev.atpkeyserver.server.net.ClientAddresses;
import dev.atpkeyserver.server.observe.KeyserverMetrics;
import dev.atpkeyserver.server.ratelimit.RateLimits;
import dev.atpkeyserver.xrpc.XrpcAuthenticator;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The object graph behind the routes, built in one place from the configuration: database, crypto,
 * DID resolution, services, and one handler per lexicon method.
 *
 * @param config the settings everything was built from
 * @param database the open database
 * @param accessLogWriter writes access-log entries in the background
 * @param accessLogRetention purges entries past the retention period
 * @param auditLog the audit log, whose events of reads are written in the background
 * @param auditRetention purges audit events past their retention period
 * @param keyCaches the key rows reads are served from
 * @param invalidationListener hears other instances' writes (PostgreSQL only)
 * @param authenticator decides who calls each XRPC method
 * @param rateLimits the rate limits, installed on the routing around {@code authenticator}
 * @param handlers the hand-written handler of every lexicon method
 * @param metrics the meters {@code /observe/metrics} serves
 * @param signatures the backend verifying token signatures on each curve
 */
record KeyserverComponents(
    KeyserverConfig config,
    Database database,
    AccessLogWriter accessLogWriter,
    AccessLogRetention accessLogRetention,
    AuditLog auditLog,
    AuditRetention auditRetention,
    KeyCaches keyCaches,
    Optional<PostgresInvalidationListener> invalidationListener,
    XrpcAuthenticator authenticator,
    RateLimits rateLimits,
    XrpcHandlers handlers,
    KeyserverMetrics metrics,
    SignatureBackends signatures)
    implements AutoCloseable {

  static KeyserverComponents create(KeyserverConfig config, Clock clock) {
    // Independent start-up work overlaps: Tink, the token verifier's crypto, the meters
    // (Micrometer's registry) and the database (migrations, pool) each load and initialise many
    // classes of their own.
    StartupTask<KeyserverMetrics> metricsTask = StartupTask.start("metrics", KeyserverMetrics::new);
    // The pool registers its MXBean (PoolUsage reads it); creating the platform MBean server was
    // an eighth of the main thread's start-up. It is made here while the database migrates.
    StartupTask.start("jmx", ManagementFactory::getPlatformMBeanServer);
    DataFolder.prepare(config, MasterKeyLoader.defaultFile(config.dataDir()));
    StartupTask<Optional<MasterKey>> masterKeyTask =
        StartupTask.start(
            "master-key",
            () ->
                MasterKeyLoader.find(
                    config.masterKey().inline(), config.masterKey().file(), config.dataDir()));
    StartupTask<XrpcAuthenticator> authenticatorTask =
        StartupTask.start("authenticator", () -> authenticator(config, clock, metricsTask));
    Database database;
    try {
      database = Database.open(config.database());
    } catch (RuntimeException | Error e) {
      // Nothing may still be writing (a new master key file) once start-up has failed.
      masterKeyTask.awaitQuietly();
      authenticatorTask.awaitQuietly();
      metricsTask.awaitQuietly();
      throw e;
    }
    KeyserverMetrics metrics;
    MasterKey masterKey;
    XrpcAuthenticator authenticator;
    try {
      metrics = metricsTask.join();
      masterKey =
          masterKeyTask
              .join()
              .orElseGet(() -> MasterKeyCheck.createFirst(database, config.dataDir()));
      MasterKeyCheck.verify(database, masterKey, clock);
      DataFolder.restrictDatabaseFiles(config);
      authenticator = authenticatorTask.join();
    } catch (RuntimeException | Error e) {
      database.close();
      throw e;
    }
    metrics.watch(database);

    KeypairRepository keypairRepository = new KeypairRepository();
    GroupRepository groupRepository = new GroupRepository();
    AccessLogRepository accessLogRepository = new AccessLogRepository();
    AccessLogWriter accessLogWriter =
        new AccessLogWriter(database, accessLogRepository, ACCESS_LOG_QUEUE);
    AuditRepository auditRepository = new AuditRepository();
    AuditLog auditLog = new AuditLog(database, auditRepository, ACCESS_LOG_QUEUE);
    KeyserverConfig.KeyCache cacheSettings = config.keyCache();
    // Only databases whose writers we can hear about are cached: PostgreSQL (LISTEN/NOTIFY from
    // every instance) and an embedded H2 database, which no other process can open.
    boolean cacheable =
        cacheSettings.enabled()
            && (config.database().isPostgres() || config.database().isSingleProcessH2());
    ScopedCache<Integer, StoredKeypair> keypairCache =
        new ScopedCache<>(cacheSettings.maxEntries(), KEY_CACHE_MAX_AGE, cacheable);
    ScopedCache<GroupService.Reader, GroupRepository.SealedVersion> groupCache =
        new ScopedCache<>(cacheSettings.maxEntries(), KEY_CACHE_MAX_AGE, cacheable);
    KeyCaches caches = new KeyCaches(keypairCache, groupCache);
    Invalidations invalidations =
        new Invalidations(database, caches, config.database().isPostgres());
    Optional<PostgresInvalidationListener> listener =
        cacheable && config.database().isPostgres()
            ? Optional.of(PostgresInvalidationListener.start(config.database(), caches))
            : Optional.empty();
    KeyServiceContext keyServices =
        new KeyServiceContext(
            database,
            invalidations,
            masterKey,
            accessLogWriter,
            auditLog,
            new MillisecondClock(clock));
    KeypairService keypairs = new KeypairService(keyServices, keypairRepository, keypairCache);
    GroupService groups = new GroupService(keyServices, groupRepository, groupCache);
    BackupRepository backupRepository = new BackupRepository();
    BackupService backups =
        new BackupService(database, backupRepository, new MillisecondClock(clock), auditLog);
    AuditRetention auditRetention =
        new AuditRetention(
            database, auditRepository, config.auditLogRetention(), Duration.ofHours(1), clock);
    AccessLogRetention retention =
        new AccessLogRetention(
            database, accessLogRepository, config.accessLogRetention(), Duration.ofHours(1), clock);
    AccessLogService accessLogs =
        new AccessLogService(database, accessLogRepository, accessLogWriter);
    DeviceService devices =
        new DeviceService(
            database,
            new DeviceRepository(),
            accessLogWriter,
            auditLog,
            new MillisecondClock(clock));
    AccountService accounts =
        new AccountService(
            database,
            keypairs,
            groupRepository,
            devices,
            accessLogRepository,
            accessLogWriter,
            invalidations,
            backupRepository,
            auditRepository,
            auditLog);

    XrpcHandlers handlers =
        new XrpcHandlers(
            new GetLogsHandler(accessLogs),
            new DeleteHandler(accounts),
            new ListEventsHandler(new AuditService(database, auditRepository, auditLog)),
            new dev.atpkeyserver.server.api.backup.DeleteHandler(backups),
            new dev.atpkeyserver.server.api.backup.GetHandler(backups),
            new dev.atpkeyserver.server.api.backup.ListVersionsHandler(backups),
            new dev.atpkeyserver.server.api.backup.PutHandler(backups),
            new ClaimBundlesHandler(devices),
            new ListHandler(devices),
            new RegisterHandler(devices),
            new RevokeHandler(devices),
            new UploadPreKeysHandler(devices),
            new AddMemberHandler(groups),
            new GetKeyHandler(groups),
            new GetWrappedKeyHandler(groups),
            new dev.atpkeyserver.server.api.group.ListVersionsHandler(groups),
            new PutWrappedKeysHandler(groups),
            new RemoveMemberHandler(groups),
            new RotateKeyHandler(groups),
            new GetKeypairHandler(keypairs),
            new GetPublicKeyHandler(keypairs),
            new dev.atpkeyserver.server.api.keypair.ListVersionsHandler(keypairs),
            new RotateHandler(keypairs));
    RateLimits rateLimits =
        new RateLimits(config.rateLimits(), new ClientAddresses(config.trustedProxies()), clock);
    return new KeyserverComponents(
        config,
        database,
        accessLogWriter,
        retention,
        auditLog,
        auditRetention,
        caches,
        listener,
        authenticator,
        rateLimits,
        handlers,
        metrics,
        // Chosen (native library loaded, once per process) by the authenticator task above.
        SignatureBackends.shared());
  }

  private static XrpcAuthenticator authenticator(
      KeyserverConfig config, Clock clock, StartupTask<KeyserverMetrics> metricsTask) {
    KeyserverConfig.DidResolution settings = config.didResolution();
    ResolverOptions options =
        ResolverOptions.builder()
            .plcUrl(config.plcUrl())
            .timeout(settings.timeout())
            .allowLocalHosts(settings.allowLocalHosts())
            .build();
    CachingDidResolver resolver =
        CachingDidResolver.builder(
                new ConcurrencyLimitedResolver(
                    MethodDispatchingResolver.create(options), settings.maxConcurrentFetches()))
            .staleTtl(settings.staleTtl())
            .maxTtl(settings.maxTtl())
            .maxEntries(settings.maxEntries())
            .minForcedRefreshInterval(settings.minRefreshInterval())
            .forcedRefreshBurst(settings.forcedRefreshBurst())
            .negativeTtl(settings.negativeTtl())
            .clock(clock)
            .build();
    ServiceAuthVerifier verifier =
        new ServiceAuthVerifier(resolver, config.serviceDid(), clock, SignatureBackends.shared());
    KeyserverMetrics metrics = metricsTask.join();
    metrics.watch(resolver);
    return new RequestAuthenticator(
        verifier, new ClientAddresses(config.trustedProxies()), metrics);
  }

  /**
   * The longest a cached key row is served without reading it again: the bound on staleness should
   * an invalidation never arrive (see ScopedCache). A row is read about a thousand times a minute
   * per busy user, so a minute costs the cache almost nothing.
   */
  private static final Duration KEY_CACHE_MAX_AGE = Duration.ofMinutes(1);

  /** Entries queued before the writer writes in the background; past that, readers write. */
  private static final int ACCESS_LOG_QUEUE = 50_000;

  /** Writes the queued access-log entries, then closes the pool. */
  @Override
  public void close() {
    try {
      invalidationListener.ifPresent(PostgresInvalidationListener::close);
      metrics.close();
      accessLogRetention.close();
      auditRetention.close();
      accessLogWriter.close();
      auditLog.close();
    } finally {
      database.close();
    }
  }
}
