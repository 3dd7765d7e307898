/** Files and folders on disk that only their owner may read: the data folder and the master key. */
package dev.atpkeyserver.server.files;
