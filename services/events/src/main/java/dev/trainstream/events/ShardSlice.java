package dev.trainstream.events;

import java.util.List;

/**
 * The records of one shard that belong to a minibatch.
 *
 * @param shardDigest sha256 hex of the shard object (content address of the shard in S3)
 * @param indices     record indices inside that shard, each >= 0, never empty
 */
public record ShardSlice(String shardDigest, List<Integer> indices) {

    public ShardSlice {
        FieldChecks.sha256(shardDigest, "shardDigest");
        indices = FieldChecks.copyNonEmpty(indices, "indices");
        for (int i = 0; i < indices.size(); i++) {
            FieldChecks.atLeast(indices.get(i), 0, "indices[" + i + "]");
        }
    }
}
