package dev.atpkeyserver.server.api.account;

import dev.atpkeyserver.lexicon.alpha.account.Delete;
import dev.atpkeyserver.server.account.AccountService;
import dev.atpkeyserver.server.account.AccountService.Deletion;
import dev.atpkeyserver.xrpc.XrpcCall;

/** {@code account.delete}: erases every key the caller has or owns (cryptographic erasure). */
public final class DeleteHandler implements Delete.Handler {

  private final AccountService accounts;

  public DeleteHandler(AccountService accounts) {
    this.accounts = accounts;
  }

  @Override
  public Delete.Output handle(Delete.Input input, XrpcCall call) {
    Deletion deletion = accounts.delete(call.caller(), input.confirmation());
    return new Delete.Output(
        deletion.keys(),
        deletion.groups(),
        deletion.memberships(),
        deletion.accessLogs(),
        deletion.devices(),
        deletion.preKeys());
  }
}
