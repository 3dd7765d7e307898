package dev.atpkeyserver.server.api.keypair;

import dev.atpkeyserver.lexicon.alpha.keypair.ListVersions;
import dev.atpkeyserver.server.api.KeyVersionViews;
import dev.atpkeyserver.server.api.PageCursors;
import dev.atpkeyserver.server.api.PageCursors.Kind;
import dev.atpkeyserver.server.keypair.KeypairService;
import dev.atpkeyserver.server.keys.KeyVersionInfo;
import dev.atpkeyserver.server.paging.Page;
import dev.atpkeyserver.xrpc.XrpcCall;
import java.util.Optional;

/** {@code keypair.listVersions}: the versions of the caller's keypair, newest first. */
public final class ListVersionsHandler implements ListVersions.Handler {

  private final KeypairService keypairs;

  public ListVersionsHandler(KeypairService keypairs) {
    this.keypairs = keypairs;
  }

  @Override
  public ListVersions.Output handle(ListVersions.Params params, XrpcCall call) {
    Optional<Integer> before = PageCursors.version(Kind.KEYPAIR_VERSIONS, params.cursor());
    Page<KeyVersionInfo, Integer> page = keypairs.versions(call.caller(), params.limit(), before);
    return new ListVersions.Output(
        KeyVersionViews.of(page.items()),
        page.next().map(v -> PageCursors.ofVersion(Kind.KEYPAIR_VERSIONS, v)));
  }
}
