package io.github.s3sweeper.aws;

import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.ArrayList;
import java.util.List;

/**
 * What a sweep reads from one ListObjectsV2 answer: the objects (key, LastModified and size only; keys already
 * URL-decoded), the common prefixes (decoded too), and where the next page starts.
 *
 * @param truncated    IsTruncated as the SDK reads it: null when the answer had none
 * @param continuation NextContinuationToken, or null
 */
public record ListingPage(List<S3Object> contents, List<String> commonPrefixes, Boolean truncated,
                          String continuation) {

    /** The same fields from the SDK's own unmarshalling of an answer. */
    static ListingPage of(ListObjectsV2Response response) {
        List<String> prefixes = new ArrayList<>(response.commonPrefixes().size());
        for (CommonPrefix prefix : response.commonPrefixes()) {
            prefixes.add(prefix.prefix());
        }
        return new ListingPage(response.contents(), prefixes, response.isTruncated(),
                response.nextContinuationToken());
    }
}
