package dev.atpkeyserver.server.device;

/**
 * What an account deletion removed of a user's devices.
 *
 * @param devices devices, active and revoked
 * @param preKeys signed prekeys (active and replaced), last-resort keys and unclaimed one-time
 *     prekeys; the ids kept of claimed one-time prekeys go too, uncounted (they hold no key)
 */
public record DeviceDeletion(long devices, long preKeys) {}
