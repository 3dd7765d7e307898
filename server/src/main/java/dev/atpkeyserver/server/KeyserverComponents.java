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
import dev.atpkeyserver.server.api.group.AddMemberHandler;
import dev.atpkeyserver.server.api.group.GetKeyHandler;
import dev.atpkeyserver.server.api.group.RemoveMemberHandler;
import dev.atpkeyserver.server.api.group.RotateKeyHandler;
import dev.atpkeyserver.server.api.keypair.GetKeypairHandler;
import dev.atpkeyserver.server.api.keypair.GetPublicKeyHandler;
import dev.atpkeyserver.server.api.keypair.RotateHandler;
import dev.atpkeyserver.server.auth.RequestAuthenticator;
import dev.atpkeyserver.server.auth.ServiceAuthVerifier;
import dev.atpkeyserver.server.config.KeyserverConfig;
import dev.atpkeyserver.server.crypto.MasterKey;
import dev.atpkeyserver.server.crypto.MasterKeyCheck;
import dev.atpkeyserver.server.crypto.MasterKeyLoader;
import dev.atpkeyserver.server.db.Database;
import dev.atpkeyserver.server.group.GroupRepository;
import dev.atpkeyserver.server.group.GroupService;
import dev.atpkeyserver.server.http.ClientAddresses;
import dev.atpkeyserver.server.keypair.KeypairRepository;
import dev.atpkeyserver.server.keypair.KeypairService;
import dev.atpkeyserver.xrpc.XrpcAuthenticator;
import java.time.Clock;
import java.time.Duration;

/**
 * The object graph behind the routes, built in one place from the configuration: database, crypto,
 * DID resolution, services, and one handler per lexicon method.
 *
 * @param config the settings everything was built from
 * @param database the open database
 * @param accessLogWriter writes access-log entries in the background
 * @param accessLogRetention purges entries past the retention period
 * @param authenticator decides who calls each XRPC method
 * @param handlers the hand-written handler of every lexicon method
 */
record KeyserverComponents(
    KeyserverConfig config,
    Database database,
    AccessLogWriter accessLogWriter,
    AccessLogRetention accessLogRetention,
    XrpcAuthenticator authenticator,
    XrpcHandlers handlers)
    implements AutoCloseable {

  static KeyserverComponents create(KeyserverConfig config) {
    Clock clock = Clock.systemUTC();
    MasterKey masterKey =
        MasterKeyLoader.load(
            config.masterKey().inline(), config.masterKey().file(), config.dataDir());
    Database database = Database.open(config.database());
    try {
      MasterKeyCheck.verify(database, masterKey, clock);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }

    KeypairRepository keypairRepository = new KeypairRepository();
    GroupRepository groupRepository = new GroupRepository();
    AccessLogRepository accessLogRepository = new AccessLogRepository();
    AccessLogWriter accessLogWriter =
        new AccessLogWriter(database, accessLogRepository, ACCESS_LOG_QUEUE);
    KeypairService keypairs =
        new KeypairService(database, keypairRepository, accessLogWriter, masterKey, clock);
    GroupService groups =
        new GroupService(database, groupRepository, accessLogWriter, masterKey, clock);
    AccessLogRetention retention =
        new AccessLogRetention(
            database, accessLogRepository, config.accessLogRetention(), Duration.ofHours(1), clock);
    AccessLogService accessLogs =
        new AccessLogService(database, accessLogRepository, accessLogWriter);
    AccountService accounts =
        new AccountService(
            database, keypairs, groupRepository, accessLogRepository, accessLogWriter);

    XrpcHandlers handlers =
        new XrpcHandlers(
            new GetLogsHandler(accessLogs),
            new DeleteHandler(accounts),
            new AddMemberHandler(groups),
            new GetKeyHandler(groups),
            new dev.atpkeyserver.server.api.group.ListVersionsHandler(groups),
            new RemoveMemberHandler(groups),
            new RotateKeyHandler(groups),
            new GetKeypairHandler(keypairs),
            new GetPublicKeyHandler(keypairs),
            new dev.atpkeyserver.server.api.keypair.ListVersionsHandler(keypairs),
            new RotateHandler(keypairs));
    return new KeyserverComponents(
        config, database, accessLogWriter, retention, authenticator(config, clock), handlers);
  }

  private static XrpcAuthenticator authenticator(KeyserverConfig config, Clock clock) {
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
            .negativeTtl(settings.negativeTtl())
            .clock(clock)
            .build();
    return new RequestAuthenticator(
        new ServiceAuthVerifier(resolver, config.serviceDid(), clock),
        new ClientAddresses(config.trustedProxies()));
  }

  /** Entries queued before the writer writes in the background; past that, readers write. */
  private static final int ACCESS_LOG_QUEUE = 50_000;

  /** Writes the queued access-log entries, then closes the pool. */
  @Override
  public void close() {
    try {
      accessLogRetention.close();
      accessLogWriter.close();
    } finally {
      database.close();
    }
  }
}
