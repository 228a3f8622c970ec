package dev.flywheel.core.store;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where a saved checkpoint lives: what goes into {@code PolicyVersion} (sha256, uri, size).
 *
 * @param sha256 lowercase hex digest of the file's bytes (also its name)
 * @param uri    {@code file:} URI of the file, loadable by any process that sees the same filesystem
 * @param path   the file
 * @param size   bytes
 */
public record StoredCheckpoint(String sha256, URI uri, Path path, long size) {
}
