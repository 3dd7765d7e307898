/** Handler of {@code dev.atpkeyserver.alpha.audit.listEvents}: the caller's audit log. */
package dev.atpkeyserver.server.api.audit;
