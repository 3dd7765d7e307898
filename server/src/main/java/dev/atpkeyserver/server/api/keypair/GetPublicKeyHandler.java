package dev.atpkeyserver.server.api.keypair;

import dev.atpkeyserver.lexicon.alpha.keypair.GetPublicKey;
import dev.atpkeyserver.server.accesslog.Accessor;
import dev.atpkeyserver.server.identity.UserDids;
import dev.atpkeyserver.server.keypair.KeypairService;
import dev.atpkeyserver.server.keypair.PublicKeyVersion;
import dev.atpkeyserver.xrpc.XrpcCall;

/** {@code keypair.getPublicKey}: any user's public key, without authentication. */
public final class GetPublicKeyHandler implements GetPublicKey.Handler {

  private final KeypairService keypairs;

  public GetPublicKeyHandler(KeypairService keypairs) {
    this.keypairs = keypairs;
  }

  @Override
  public GetPublicKey.Output handle(GetPublicKey.Params params, XrpcCall call) {
    PublicKeyVersion key =
        keypairs.publicKey(
            UserDids.parse(params.did(), "did"), params.version(), Accessor.of(call));
    return new GetPublicKey.Output(key.publicKeyHex(), key.version());
  }
}
