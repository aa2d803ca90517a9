package io.github.s3sweeper.aws;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.utils.DateUtils;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The parser at its edges; ListBucketResultParserSdkTest holds it to the SDK on random documents. */
class ListBucketResultParserTest {

    private static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>b</Name><Prefix>logs/</Prefix>";

    private static String object(String key, String lastModified, String size) {
        return "<Contents><Key>" + key + "</Key><LastModified>" + lastModified + "</LastModified>"
                + "<ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag><Size>" + size + "</Size>"
                + "<StorageClass>STANDARD</StorageClass></Contents>";
    }

    private static ListingPage parse(String document) {
        return ListBucketResultParser.parse(document.getBytes(StandardCharsets.UTF_8));
    }

    private static String urlPage(String... keys) {
        StringBuilder page = new StringBuilder(HEAD).append("<KeyCount>").append(keys.length)
                .append("</KeyCount><MaxKeys>1000</MaxKeys><EncodingType>url</EncodingType>")
                .append("<IsTruncated>false</IsTruncated>");
        for (String key : keys) {
            page.append(object(key, "2024-05-01T10:00:00.000Z", "1"));
        }
        return page.append("</ListBucketResult>").toString();
    }

    @Test
    void decodesUrlEncodedKeysByteForByte() {
        ListingPage page = parse(urlPage("logs/a%0Db", "logs/with+space", "logs/plus%2Bsign", "logs/snow%E2%98%83",
                "logs/emoji%F0%9F%98%80", "logs/amp%26%3C%3E%22%27", "logs/tab%09nl%0A", "logs/pct%2520"));

        assertThat(page.contents()).extracting(S3Object::key).containsExactly("logs/a\rb", "logs/with space",
                "logs/plus+sign", "logs/snow☃", "logs/emoji😀", "logs/amp&<>\"'", "logs/tab\tnl\n", "logs/pct%20");
    }

    @Test
    void decodesOnlyWhenTheAnswerSaysUrl() {
        String raw = HEAD + "<IsTruncated>false</IsTruncated>"
                + object("logs/a%20b&amp;c&#x41;&#66;&lt;&gt;&quot;&apos;é", "2024-05-01T10:00:00Z", "5")
                + "</ListBucketResult>";

        assertThat(parse(raw).contents()).extracting(S3Object::key).containsExactly("logs/a%20b&cAB<>\"'é");
    }

    @Test
    void readsTruncationTheTokenAndCommonPrefixesDecoded() {
        String document = HEAD + "<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>"
                + "<KeyCount>3</KeyCount><MaxKeys>3</MaxKeys><Delimiter>/</Delimiter><EncodingType>url</EncodingType>"
                + "<IsTruncated>true</IsTruncated>" + object("logs/a", "2024-05-01T10:00:00.000Z", "10")
                + "<CommonPrefixes><Prefix>logs/d%C3%A9j%C3%A0+vu/</Prefix></CommonPrefixes>"
                + "<CommonPrefixes><Prefix>logs/x/</Prefix></CommonPrefixes></ListBucketResult>";

        ListingPage page = parse(document);

        assertThat(page.truncated()).isTrue();
        assertThat(page.continuation()).isEqualTo("1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
        assertThat(page.commonPrefixes()).containsExactly("logs/déjà vu/", "logs/x/");
        assertThat(page.contents()).singleElement().satisfies(o -> {
            assertThat(o.key()).isEqualTo("logs/a");
            assertThat(o.size()).isEqualTo(10L);
            assertThat(o.lastModified()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        });
    }

    @Test
    void aLastPageHasNoToken() {
        ListingPage page = parse(urlPage("logs/a"));

        assertThat(page.truncated()).isFalse();
        assertThat(page.continuation()).isNull();
    }

    @Test
    void everyDocumentCutShortIsDeclined() {
        byte[] whole = (HEAD + "<NextContinuationToken>t</NextContinuationToken><KeyCount>2</KeyCount>"
                + "<EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>"
                + object("logs/a%0D", "2024-05-01T10:00:00.000Z", "12345") + object("logs/b", "2024-05-01T10:00:00Z", "7")
                + "<CommonPrefixes><Prefix>logs/c/</Prefix></CommonPrefixes></ListBucketResult>")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(ListBucketResultParser.parse(whole)).isNotNull();
        for (int cut = 0; cut < whole.length; cut++) {
            assertThat(ListBucketResultParser.parse(Arrays.copyOf(whole, cut))).as("cut at %d", cut).isNull();
        }
    }

    @Test
    void sizesAsTheSdkReadsThem() {
        assertThat(sizeOf("0")).isZero();
        assertThat(sizeOf("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(sizeOf("123456789012345678")).isEqualTo(123456789012345678L);
        assertThat(sizeOf("+5")).isEqualTo(5L);
        assertThat(sizeOf("00012")).isEqualTo(12L);
        assertThat(parse(urlPageWithSize("9223372036854775808"))).isNull();
        assertThat(parse(urlPageWithSize("1e3"))).isNull();
        assertThat(parse(urlPageWithSize(" 5"))).isNull();
    }

    private static Long sizeOf(String size) {
        return parse(urlPageWithSize(size)).contents().get(0).size();
    }

    private static String urlPageWithSize(String size) {
        return HEAD + "<IsTruncated>false</IsTruncated>" + object("logs/a", "2024-05-01T10:00:00Z", size)
                + "</ListBucketResult>";
    }

    @Test
    void declinesWhatItDoesNotReadAsTheSdkDoes() {
        String tail = "</ListBucketResult>";
        String plain = HEAD + "<IsTruncated>false</IsTruncated>";
        assertThat(parse(plain + object("logs/a", "2024-05-01T10:00:00Z", "1") + tail)).isNotNull();
        // A raw carriage return: XML reads it as a line feed, and the SDK would name another key.
        assertThat(parse(plain + object("logs/a\rb", "2024-05-01T10:00:00Z", "1") + tail)).isNull();
        assertThat(parse(plain + object("logs/a\u0001b", "2024-05-01T10:00:00Z", "1") + tail)).isNull();
        assertThat(parse(plain + object("logs/a&foo;", "2024-05-01T10:00:00Z", "1") + tail)).isNull();
        assertThat(parse(plain + object("logs/a&#0;", "2024-05-01T10:00:00Z", "1") + tail)).isNull();
        assertThat(parse(plain + object("logs/a]]>", "2024-05-01T10:00:00Z", "1") + tail)).isNull();
        assertThat(parse(plain + object("<![CDATA[logs/a]]>", "2024-05-01T10:00:00Z", "1") + tail)).isNull();
        assertThat(parse(plain + object("logs/<!-- c -->a", "2024-05-01T10:00:00Z", "1") + tail)).isNull();
        assertThat(parse(plain + object("", "2024-05-01T10:00:00Z", "1") + tail)).isNull();
        assertThat(parse(plain + "<Contents><Key>a</Key><Key>b</Key></Contents>" + tail)).isNull();
        assertThat(parse(plain + "<Contents><s3:Key>a</s3:Key></Contents>" + tail)).isNull();
        assertThat(parse(plain + "<Contents><Key a=\"1\">a</Key></Contents>" + tail)).isNull();
        assertThat(parse(plain + "<Contents><Key>a</Keys></Contents>" + tail)).isNull();
        assertThat(parse(plain + "<Contents><Key>a</Key></Content>" + tail)).isNull();
        assertThat(parse(plain + "<KeyCount/>" + tail)).isNull();
        assertThat(parse(plain + "stray text" + tail)).isNull();
        assertThat(parse("<Error><Code>InternalError</Code><Message>x</Message></Error>")).isNull();
        assertThat(parse("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><ListBucketResult></ListBucketResult>")).isNull();
        assertThat(parse("<!DOCTYPE x><ListBucketResult></ListBucketResult>")).isNull();
        assertThat(parse("<ListBucketResult/>")).isNull();
        assertThat(parse("")).isNull();
    }

    @Test
    void declinesBytesThatAreNotUtf8OrNotXmlCharacters() {
        byte[][] bad = {{(byte) 0xC3, '('}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xEF, (byte) 0xBF, (byte) 0xBE},
                {(byte) 0xE2, (byte) 0x98}};
        byte[] good = {(byte) 0xE2, (byte) 0x98, (byte) 0x83};
        assertThat(withKeyBytes(good)).isNotNull();
        assertThat(withKeyBytes(good).contents().get(0).key()).isEqualTo("logs/☃");
        for (byte[] bytes : bad) {
            assertThat(withKeyBytes(bytes)).as(Arrays.toString(bytes)).isNull();
        }
    }

    private static ListingPage withKeyBytes(byte[] bytes) {
        byte[] before = (HEAD + "<IsTruncated>false</IsTruncated><Contents><Key>logs/").getBytes(StandardCharsets.UTF_8);
        byte[] after = "</Key><Size>1</Size></Contents></ListBucketResult>".getBytes(StandardCharsets.UTF_8);
        byte[] document = new byte[before.length + bytes.length + after.length];
        System.arraycopy(before, 0, document, 0, before.length);
        System.arraycopy(bytes, 0, document, before.length, bytes.length);
        System.arraycopy(after, 0, document, before.length + bytes.length, after.length);
        return ListBucketResultParser.parse(document);
    }

    @Test
    void plainTimestampsAreTheInstantsTheSdkReads() {
        Random random = new Random(17);
        for (int i = 0; i < 20_000; i++) {
            String fraction = switch (random.nextInt(4)) {
                case 0 -> "";
                case 1 -> ".000";
                case 2 -> "." + String.format("%03d", random.nextInt(1000));
                default -> "." + String.format("%09d", random.nextInt(1_000_000_000)).substring(0, 1 + random.nextInt(9));
            };
            String text = String.format("%04d-%02d-%02dT%02d:%02d:%02d%sZ", random.nextInt(10_000), 1 + random.nextInt(12),
                    1 + random.nextInt(31), random.nextInt(24), random.nextInt(60), random.nextInt(60), fraction);
            byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            Instant fast = ListBucketResultParser.plainInstant(bytes, 0, bytes.length);
            Instant sdk;
            try {
                sdk = DateUtils.parseIso8601Date(text);
            } catch (RuntimeException e) {
                sdk = null;
            }
            if (fast != null) {
                assertThat(fast).as(text).isEqualTo(sdk);
            } else {
                // Only dates that do not exist (April 31st) leave the plain form to the SDK's function.
                assertThat(text.substring(8, 10).compareTo("28")).as(text).isPositive();
            }
        }
    }

    @Test
    void timestampsOutOfThePlainFormGoToTheSdksFunction() {
        for (String text : new String[] {"2024-05-01T10:00:00.000+00:00", "2024-05-01T10:00:00.000z",
                "2024-06-30T23:59:60Z", "2024-05-01T24:00:00Z", "2024-02-30T10:00:00Z"}) {
            byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            assertThat(ListBucketResultParser.plainInstant(bytes, 0, bytes.length)).as(text).isNull();
        }
        String offset = HEAD + "<IsTruncated>false</IsTruncated>"
                + object("logs/a", "2024-05-01T12:00:00.000+02:00", "1") + "</ListBucketResult>";
        assertThat(parse(offset).contents().get(0).lastModified()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
    }
}
