package dev.atpkeyserver.server.api.keypair;

import dev.atpkeyserver.lexicon.alpha.keypair.ListVersions;
import dev.atpkeyserver.server.api.KeyVersionViews;
import dev.atpkeyserver.server.keypair.KeypairService;
import dev.atpkeyserver.xrpc.XrpcCall;

/** {@code keypair.listVersions}: every version of the caller's keypair, newest first. */
public final class ListVersionsHandler implements ListVersions.Handler {

  private final KeypairService keypairs;

  public ListVersionsHandler(KeypairService keypairs) {
    this.keypairs = keypairs;
  }

  @Override
  public ListVersions.Output handle(XrpcCall call) {
    return new ListVersions.Output(KeyVersionViews.of(keypairs.versions(call.caller())));
  }
}
