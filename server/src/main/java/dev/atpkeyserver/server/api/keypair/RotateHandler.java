package dev.atpkeyserver.server.api.keypair;

import dev.atpkeyserver.lexicon.alpha.keypair.Rotate;
import dev.atpkeyserver.server.keypair.KeypairService;
import dev.atpkeyserver.server.keys.Rotation;
import dev.atpkeyserver.xrpc.XrpcCall;

/** {@code keypair.rotate}: revokes the caller's active keypair and creates the next version. */
public final class RotateHandler implements Rotate.Handler {

  private final KeypairService keypairs;

  public RotateHandler(KeypairService keypairs) {
    this.keypairs = keypairs;
  }

  @Override
  public Rotate.Output handle(Rotate.Input input, XrpcCall call) {
    Rotation rotation = keypairs.rotate(call.caller(), input.reason());
    return new Rotate.Output(rotation.oldVersion(), rotation.newVersion(), rotation.rotatedAt());
  }
}
