package dev.trainstream.deploy.validation;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** An image reference split into repository, tag and digest, and whether it is pinned to one immutable release. */
record ImageReference(String repository, Optional<String> tag, Optional<String> digest) {

    /** Tags that move by design. */
    private static final Set<String> FLOATING = Set.of("latest", "stable", "edge", "nightly", "main", "master", "dev");
    /** A pinned tag carries at least two version components (4.1.0, 17.0.16_8-jre, RELEASE.2025-09-06T...). */
    private static final Pattern VERSIONED = Pattern.compile(".*\\d+[._-]\\d+.*");

    static ImageReference parse(String image) {
        if (image == null || image.isBlank()) {
            throw new IllegalArgumentException("image must not be blank");
        }
        String rest = image.trim();
        Optional<String> digest = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Optional.of(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        int slash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        Optional<String> tag = Optional.empty();
        if (colon > slash) {
            tag = Optional.of(rest.substring(colon + 1));
            rest = rest.substring(0, colon);
        }
        return new ImageReference(rest, tag, digest);
    }

    /** Last path segment: "quay.io/minio/minio" gives "minio". */
    String repositoryName() {
        return repository.substring(repository.lastIndexOf('/') + 1);
    }

    boolean isPinned() {
        if (digest.isPresent()) {
            return digest.get().startsWith("sha256:");
        }
        return tag.isPresent() && !FLOATING.contains(tag.get()) && VERSIONED.matcher(tag.get()).matches();
    }
}
