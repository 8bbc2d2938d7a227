package dev.trainstream.storage;

import java.time.Instant;

/** One listed object: key, size and last-modified time. */
public record ObjectInfo(String key, long size, Instant lastModified) {
}
