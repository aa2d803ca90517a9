package io.github.s3sweeper.aws;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parser against its oracle, the SDK itself: thousands of seeded random ListObjectsV2 answers, plain and odd (XML
 * declarations, byte order marks, white space, namespaces, comments, CDATA, references, URL-encoded and raw keys of
 * every kind, dates and sizes in and out of the form S3 sends, duplicated, empty and unknown fields, documents cut
 * short), each served over HTTP to a real SDK client. Wherever the parser gives a page, the SDK must have given the
 * same keys, dates, sizes, prefixes, truncation and token; wherever the SDK failed, the parser must have declined.
 */
class ListBucketResultParserSdkTest {

    private static final int CASES = 1500;

    private static HttpServer server;
    private static volatile byte[] body;
    private static S3Client sdk;

    @BeforeAll
    static void start() throws Exception {
        // Without it the JDK's server waits for the client's delayed acknowledgement on every answer (40 ms).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", exchange -> {
            byte[] answer = body;
            exchange.getResponseHeaders().set("Content-Type", "application/xml");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
        sdk = S3Client.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                .httpClient(UrlConnectionHttpClient.create())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @AfterAll
    static void stop() {
        sdk.close();
        server.stop(0);
    }

    /** What a sweep takes from a page; the SDK's objects also carry fields the parser does not read. */
    record Read(List<String> keys, List<Instant> lastModified, List<Long> sizes, List<String> prefixes,
                Boolean truncated, String continuation) {
        static Read of(ListingPage page) {
            return new Read(page.contents().stream().map(S3Object::key).toList(),
                    page.contents().stream().map(S3Object::lastModified).toList(),
                    page.contents().stream().map(S3Object::size).toList(),
                    page.commonPrefixes(), page.truncated(), page.continuation());
        }
    }

    private static Read bySdk(byte[] document) {
        body = document;
        try {
            return Read.of(ListingPage.of(sdk.listObjectsV2(ListObjectsV2Request.builder().bucket("b")
                    .encodingType(EncodingType.URL).build())));
        } catch (SdkException | IllegalArgumentException e) {
            return null; // IllegalArgumentException: the SDK's URL decoding of a malformed escape
        }
    }

    @Test
    void readsExactlyWhatTheSdkReadsOrDeclines() {
        Random random = new Random(20261201);
        int read = 0;
        int plainRead = 0;
        int plain = 0;
        int oddReadBySdk = 0;
        for (int i = 0; i < CASES; i++) {
            Document document = new Document(random, i % 3 == 0);
            byte[] bytes = document.render();
            ListingPage page = ListBucketResultParser.parse(bytes);
            Read sdkRead = bySdk(bytes);
            String shown = new String(bytes, StandardCharsets.UTF_8);
            if (page != null) {
                read++;
                assertThat(sdkRead).as("the SDK failed on a document the parser read:%n%s", shown).isNotNull();
                assertThat(Read.of(page)).as("case %d:%n%s", i, shown).isEqualTo(sdkRead);
            }
            if (!document.plain && sdkRead != null) {
                oddReadBySdk++;
            }
            if (document.plain) {
                plain++;
                if (page != null) {
                    plainRead++;
                }
            }
        }
        // The comparison above means something only if the parser reads many documents: every plain one, and a good
        // share of the odd ones.
        assertThat(plainRead).isEqualTo(plain);
        assertThat(read - plainRead).as("odd documents read, of %d the SDK read", oddReadBySdk)
                .isGreaterThan(oddReadBySdk / 3);
        System.out.printf("ListBucketResultParserSdkTest: %d of %d plain and %d of %d odd documents read (the SDK read"
                + " %d of the odd ones), every one as the SDK read it%n", plainRead, plain, read - plainRead,
                CASES - plain, oddReadBySdk);
    }

    /** A random answer; {@code plain} ones are in the form real servers send and must be read. */
    static final class Document {
        final Random random;
        final boolean plain;
        final StringBuilder out = new StringBuilder();
        final String space;
        /** How often an odd document breaks the plain form at each chance: never, rarely or often. */
        final double rate;

        Document(Random random, boolean plain) {
            this.random = random;
            this.plain = plain;
            this.rate = plain ? 0 : new double[] {0, 0, 0.003, 0.03}[random.nextInt(4)];
            this.space = plain ? pick("", "\n", "\n  ") : pick("", "\n", "\n  ", "\r\n", "\t", " \n\t ");
        }

        byte[] render() {
            boolean url = plain || chance(0.7);
            if (plain) {
                out.append(pick("", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
            } else {
                odd(() -> pick("\uFEFF", " ", "<!-- c -->"));
                out.append(pick("", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version='1.0'?>",
                        "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>",
                        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>", "<?xml version=\"1.1\"?>"));
                odd(() -> pick("<!DOCTYPE ListBucketResult>", "<?pi x?>", "<!-- c -->"));
            }
            out.append(space);
            String root = plain || !chance(0.05) ? "ListBucketResult" : pick("Error", "ListBucketResults", "s3:ListBucketResult");
            out.append('<').append(root);
            if (plain || chance(0.8)) {
                out.append(" xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"");
            }
            odd(() -> pick(" xmlns:s3=\"http://s3.amazonaws.com/doc/2006-03-01/\"", " a=\"1\"", " xmlns='x'"));
            out.append('>');
            field("Name", "bucket");
            field("Prefix", url ? encodedKey("logs/é+ x") : "logs/");
            String token = plain || chance(0.9) ? token() : null;
            boolean truncated = token != null;
            if (truncated) {
                field("NextContinuationToken", token);
            }
            field("KeyCount", "3");
            field("MaxKeys", "1000");
            if (url && (plain || chance(0.9))) {
                field("EncodingType", plain ? "url" : pick("url", "url", "url", "URL", ""));
            }
            field("IsTruncated", plain ? String.valueOf(truncated) : pick(String.valueOf(truncated), "True", "yes", ""));
            odd(() -> field("IsTruncated", "false"));
            int objects = random.nextInt(plain ? 40 : 12);
            int prefixes = random.nextInt(4);
            for (int i = 0; i < objects; i++) {
                contents(url);
                if (i == objects / 2) {
                    for (int j = 0; j < prefixes; j++) {
                        commonPrefix(url);
                    }
                }
            }
            if (objects == 0) {
                for (int j = 0; j < prefixes; j++) {
                    commonPrefix(url);
                }
            }
            odd(() -> field("Unknown", "<Nested>x</Nested>"));
            out.append(space).append("</").append(root).append('>');
            odd(() -> pick("\n", "garbage", "<x>"));
            byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
            if (!plain && chance(0.1)) {
                int cut = random.nextInt(bytes.length);
                byte[] shorter = new byte[cut];
                System.arraycopy(bytes, 0, shorter, 0, cut);
                return shorter;
            }
            return bytes;
        }

        private void contents(boolean url) {
            out.append(space).append("<Contents>");
            List<Runnable> fields = new ArrayList<>();
            String key = key();
            fields.add(() -> field("Key", url ? encodedKey(key) : rawKey(key)));
            fields.add(() -> field("LastModified", date()));
            fields.add(() -> field("ETag", "&quot;d41d8cd98f00b204e9800998ecf8427e&quot;"));
            fields.add(() -> field("Size", size()));
            fields.add(() -> field("StorageClass", "STANDARD"));
            if (chance(0.3)) {
                fields.add(() -> field("Owner", "<ID>abc</ID><DisplayName>me</DisplayName>"));
            }
            if (chance(0.2)) {
                fields.add(() -> field("ChecksumAlgorithm", "CRC32"));
            }
            if (!plain) {
                if (chance(rate * 3)) {
                    fields.add(() -> field(pick("Key", "Size", "LastModified"), "1"));
                }
                if (chance(rate * 3)) {
                    fields.remove(0);
                }
                java.util.Collections.shuffle(fields, random);
            }
            fields.forEach(Runnable::run);
            out.append(space).append("</Contents>");
        }

        private void commonPrefix(boolean url) {
            String prefix = key() + "/";
            out.append(space).append("<CommonPrefixes>");
            field("Prefix", url ? encodedKey(prefix) : rawKey(prefix));
            out.append("</CommonPrefixes>");
        }

        /** One element: mostly as written, and for odd documents now and then empty, commented or prefixed. */
        private void field(String name, String text) {
            out.append(space);
            if (chance(rate)) {
                out.append('<').append(name).append("/>");
                return;
            }
            String element = chance(rate) ? "s3:" + name : name;
            out.append('<').append(element);
            if (chance(rate)) {
                out.append(pick(" xmlns=\"\"", " a=\"b\"", " xmlns=\"x\" xmlns=\"y\""));
            } else if (!plain && chance(0.05)) {
                out.append(pick(" xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"", " xmlns = 'x'"));
            }
            out.append('>');
            if (chance(rate)) {
                out.append(pick("<!-- c -->", "<?pi?>"));
            }
            if (chance(rate) && !text.contains("]]>") && !text.contains("<")) {
                out.append("<![CDATA[").append(text).append("]]>");
            } else {
                out.append(text);
            }
            out.append("</").append(element).append(pick(">", ">", " >"));
        }

        private String key() {
            int length = 1 + random.nextInt(plain ? 40 : 12);
            StringBuilder key = new StringBuilder("logs/");
            String[] pieces = {"a", "b", "Z", "0", "9", "/", "-", "_", ".", " ", "+", "%", "&", "<", ">", "\"", "'",
                    "=", "?", "#", "~", "*", "é", "ß", "中", "😀", "\t", "\n", "\r", "\u0001", "\u007F", "\u0085",
                    "\uFFFD", "]]>", "]", "%2B", "%20"};
            for (int i = 0; i < length; i++) {
                key.append(random.nextInt(3) == 0 ? pieces[random.nextInt(pieces.length)] : "k");
            }
            return key.toString();
        }

        /** As S3 encodes with encoding-type=url: UTF-8 bytes percent-encoded, space as '+'; now and then broken. */
        private String encodedKey(String key) {
            String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
            if (chance(rate)) {
                return encoded + pick("%", "%G1", "%2");
            }
            return xmlEscape(encoded);
        }

        /** A key as it comes without URL encoding: XML-escaped, with references of every kind. */
        private String rawKey(String key) {
            StringBuilder text = new StringBuilder();
            key.codePoints().forEach(c -> {
                switch (c) {
                    case '&' -> text.append(pick("&amp;", "&#38;", "&#x26;"));
                    case '<' -> text.append(pick("&lt;", "&#60;"));
                    case '>' -> text.append(pick(">", "&gt;"));
                    case '"' -> text.append(pick("\"", "&quot;"));
                    case '\'' -> text.append(pick("'", "&apos;"));
                    case '\r' -> text.append(pick("\r", "&#13;", "&#xD;"));
                    case 1 -> text.append(pick("\u0001", "&#1;"));
                    default -> {
                        if (c > 0x7F && chance(0.2)) {
                            text.append("&#x").append(Integer.toHexString(c)).append(';');
                        } else {
                            text.appendCodePoint(c);
                        }
                    }
                }
            });
            return text.toString();
        }

        private static String xmlEscape(String text) {
            return text.replace("&", "&amp;").replace("<", "&lt;");
        }

        private String date() {
            if (plain) {
                return String.format("20%02d-%02d-%02dT%02d:%02d:%02d.%03dZ", random.nextInt(30), 1 + random.nextInt(12),
                        1 + random.nextInt(28), random.nextInt(24), random.nextInt(60), random.nextInt(60),
                        random.nextInt(1000));
            }
            boolean broken = chance(rate * 10);
            String fraction = broken ? pick(".1234567891", ".", "") : pick("", ".0", ".123", ".123456", ".123456789");
            String zone = broken ? pick("+0000", "", "Z") : pick("Z", "Z", "Z", "z", "+00:00", "+01:00");
            int second = broken && chance(0.3) ? 60 : random.nextInt(60);
            int hour = broken && chance(0.3) ? 24 : random.nextInt(24);
            int day = broken ? 1 + random.nextInt(31) : 1 + random.nextInt(28);
            int month = broken && chance(0.3) ? 13 : 1 + random.nextInt(12);
            String year = broken ? pick("+10000", "2024", "99") : pick("2024", "1999", "0000", "9999", "1970");
            String date = String.format("%s-%02d-%02dT%02d:%02d:%02d%s%s", year, month, day, hour, random.nextInt(60),
                    second, fraction, zone);
            return broken && chance(0.2) ? " " + date : date;
        }

        private String size() {
            if (plain) {
                return String.valueOf(random.nextInt(10) == 0 ? Long.MAX_VALUE - random.nextInt(1000)
                        : random.nextInt(1_000_000));
            }
            if (chance(rate * 10)) {
                return pick(" 5", "5 ", "1e3", "9223372036854775808", "", "0x10");
            }
            return pick("0", "1", "123456789", "9223372036854775807", "-5", "+5", "00012", "123456789012345678",
                    "1234567890123456789");
        }

        private String token() {
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
            StringBuilder token = new StringBuilder();
            for (int i = 0; i < 20 + random.nextInt(60); i++) {
                token.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return token.toString();
        }

        /** In odd documents only, now and then: what the supplier gives, appended. */
        private void odd(Supplier<String> what) {
            if (!plain && chance(0.03)) {
                out.append(what.get());
            }
        }

        private void odd(Runnable what) {
            if (!plain && chance(0.03)) {
                what.run();
            }
        }

        private boolean chance(double p) {
            return random.nextDouble() < p;
        }

        private String pick(String... options) {
            return options[random.nextInt(options.length)];
        }
    }
}
