package dev.atpkeyserver.server.api.keypair;

import dev.atpkeyserver.lexicon.alpha.keypair.GetKeypair;
import dev.atpkeyserver.server.accesslog.Accessor;
import dev.atpkeyserver.server.keypair.Keypair;
import dev.atpkeyserver.server.keypair.KeypairService;
import dev.atpkeyserver.xrpc.XrpcCall;

/** {@code keypair.getKeypair}: the caller's own keypair, created on the first call. */
public final class GetKeypairHandler implements GetKeypair.Handler {

  private final KeypairService keypairs;

  public GetKeypairHandler(KeypairService keypairs) {
    this.keypairs = keypairs;
  }

  @Override
  public GetKeypair.Output handle(GetKeypair.Params params, XrpcCall call) {
    Keypair keypair = keypairs.keypair(call.caller(), params.version(), Accessor.of(call));
    return new GetKeypair.Output(
        keypair.publicKeyHex(), keypair.privateSeed().hex(), keypair.version());
  }
}
