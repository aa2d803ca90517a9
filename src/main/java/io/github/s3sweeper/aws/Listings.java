package io.github.s3sweeper.aws;

import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * ListObjectsV2 through the SDK (signing, retries, redirects, errors: all the SDK's), with the answer's body read by
 * {@link ListBucketResultParser} instead of the SDK's unmarshalling, which cost most of a sweep's CPU.
 *
 * <p>The client carries {@link #INTERCEPTOR}. A request sent through {@link #listObjectsV2} names a slot for the
 * page; on each attempt that gets a successful answer the interceptor reads the body, and when the parser reads it,
 * puts the page in the slot and hands the SDK an empty result in its place. When the parser declines, or the client
 * has no interceptor, the SDK reads the answer as before and the page comes from its result.
 */
public final class Listings {

    /** Installed on the client by {@link S3ClientFactory}; does nothing for requests that name no slot. */
    public static final ExecutionInterceptor INTERCEPTOR = new Interceptor();

    private static final ExecutionAttribute<Slot> SLOT = new ExecutionAttribute<>("s3-sweeper.listingPage");
    /** What the SDK parses in place of an answer the parser read: cheap, and a page with nothing in it. */
    private static final byte[] READ_ELSEWHERE =
            "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>".getBytes(StandardCharsets.UTF_8);

    /** A page of 1,000 keys is a few hundred KB; a larger announcement is not trusted with one allocation. */
    private static final int MAX_PRESIZED = 16 << 20;

    private Listings() {
    }

    /** Where an attempt leaves the page it read (on the thread that sends the request; volatile all the same). */
    private static final class Slot {
        volatile ListingPage page;
    }

    /** One ListObjectsV2 call; throws what {@link S3Client#listObjectsV2} throws. */
    public static ListingPage listObjectsV2(S3Client s3, ListObjectsV2Request request) {
        Slot slot = new Slot();
        AwsRequestOverrideConfiguration override = request.overrideConfiguration()
                .map(AwsRequestOverrideConfiguration::toBuilder)
                .orElseGet(AwsRequestOverrideConfiguration::builder)
                .putExecutionAttribute(SLOT, slot)
                .build();
        ListObjectsV2Response response = s3.listObjectsV2(request.toBuilder().overrideConfiguration(override).build());
        // Only the attempt that succeeded left a page: every attempt clears the slot before it reads.
        return slot.page != null ? slot.page : ListingPage.of(response);
    }

    private static final class Interceptor implements ExecutionInterceptor {

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            Slot slot = attributes.getAttribute(SLOT);
            if (slot != null) {
                slot.page = null;
            }
        }

        @Override
        public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                                                               ExecutionAttributes attributes) {
            Slot slot = attributes.getAttribute(SLOT);
            Optional<InputStream> body = context.responseBody();
            if (slot == null || !(context.request() instanceof ListObjectsV2Request)
                    || !context.httpResponse().isSuccessful() || body.isEmpty()) {
                return body;
            }
            slot.page = null;
            byte[] bytes;
            try (InputStream in = body.get()) {
                bytes = readAll(in, context.httpResponse().firstMatchingHeader("Content-Length").orElse(null));
            } catch (IOException e) {
                // What the SDK's parser meets when an answer breaks off: a client failure caused by the I/O error,
                // which the retry strategy sends again (Transient.isBrokenAnswer).
                throw SdkClientException.create("The listing's answer broke off while it was read", e);
            }
            ListingPage page = ListBucketResultParser.parse(bytes);
            if (page == null) {
                return Optional.of(new ByteArrayInputStream(bytes));
            }
            slot.page = page;
            return Optional.of(new ByteArrayInputStream(READ_ELSEWHERE));
        }

        /**
         * The whole body, into one array of the announced length when there is one. A body that ends early is
         * handed on as it came: the parsers find it cut short, as the SDK's found it before.
         */
        private static byte[] readAll(InputStream in, String contentLength) throws IOException {
            int length;
            try {
                length = contentLength == null ? -1 : Integer.parseInt(contentLength.trim());
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length < 0 || length > MAX_PRESIZED) {
                return in.readAllBytes();
            }
            byte[] bytes = new byte[length];
            int read = in.readNBytes(bytes, 0, length);
            if (read < length) {
                return Arrays.copyOf(bytes, read);
            }
            byte[] more = in.readAllBytes(); // nothing, when the server sent what it announced
            if (more.length == 0) {
                return bytes;
            }
            byte[] all = Arrays.copyOf(bytes, length + more.length);
            System.arraycopy(more, 0, all, length, more.length);
            return all;
        }
    }
}
