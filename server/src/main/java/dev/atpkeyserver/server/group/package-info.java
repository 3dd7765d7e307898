/**
 * Group keys and memberships: the service that authorises and runs each change in one transaction,
 * and the SQL behind it.
 */
package dev.atpkeyserver.server.group;
