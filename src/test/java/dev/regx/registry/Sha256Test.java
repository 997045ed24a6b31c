package dev.regx.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Sha256Test {
    private static String hex(byte[] hash) {
        return HexFormat.of().formatHex(hash);
    }

    private static byte[] jdk(byte[] input) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(input);
    }

    @Test
    void givesTheStandardsExampleDigests() {
        // FIPS 180-4's examples (NIST's "SHA256.pdf" and the short/long message vectors), and the empty message.
        assertThat(hex(new Sha256().digest(new byte[0])))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(hex(new Sha256().digest("abc".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(hex(new Sha256()
                        .digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
                                .getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        byte[] millionA = new byte[1_000_000];
        Arrays.fill(millionA, (byte) 'a');
        assertThat(hex(new Sha256().digest(millionA)))
                .isEqualTo("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }

    @Test
    void agreesWithTheJdkOnEveryLengthAroundTheBlockAndPaddingBoundaries() throws Exception {
        // 55, 56, 63, 64, 119, 120...: where the padding needs a second block or just fits.
        Random random = new Random(42);
        for (int length = 0; length <= 300; length++) {
            byte[] input = new byte[length];
            random.nextBytes(input);
            assertThat(hex(new Sha256().digest(input))).as("length %d", length).isEqualTo(hex(jdk(input)));
        }
    }

    @Test
    void agreesWithTheJdkWhateverPiecesTheInputComesIn() throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            byte[] input = new byte[random.nextInt(5000)];
            random.nextBytes(input);
            Sha256 hasher = new Sha256();
            int offset = 0;
            while (offset < input.length) {
                if (random.nextInt(4) == 0) {
                    hasher.update(input[offset++]);
                } else {
                    int n = Math.min(input.length - offset, random.nextInt(200));
                    hasher.update(input, offset, n);
                    offset += n;
                }
            }
            assertThat(hex(hasher.digest()))
                    .as("round %d, %d bytes", round, input.length)
                    .isEqualTo(hex(jdk(input)));
        }
    }

    @Test
    void startsAfreshAfterEachDigestAndReset() throws Exception {
        byte[] input = "registry".getBytes(StandardCharsets.US_ASCII);
        Sha256 hasher = new Sha256();
        String first = hex(hasher.digest(input));
        assertThat(hex(hasher.digest(input))).isEqualTo(first).isEqualTo(hex(jdk(input)));
        hasher.update(new byte[100]);
        hasher.reset();
        assertThat(hex(hasher.digest(input))).isEqualTo(first);
        assertThat(hasher.getDigestLength()).isEqualTo(32);
        assertThat(hasher.getAlgorithm()).isEqualTo("SHA-256");
    }

    @Test
    void cannotBeClonedIntoASharedState() {
        assertThatThrownBy(new Sha256()::clone).isInstanceOf(CloneNotSupportedException.class);
    }

    @Test
    void digestsHashSmallContentWithoutTheJdksProviderAndLargeOrUnknownContentWithIt() {
        Digest sha256 = Digest.parse("sha256:" + "0".repeat(64));
        // A MessageDigest from the JDK's provider framework names its provider; this one has none.
        assertThat(sha256.hasherFor(2_000).getProvider()).isNull();
        assertThat(sha256.hasherFor(Digest.SMALL_CONTENT).getProvider()).isNull();
        assertThat(sha256.hasherFor(Digest.SMALL_CONTENT + 1).getProvider()).isNotNull();
        assertThat(sha256.hasherFor(-1).getProvider()).isNotNull();
        assertThat(Digest.parse("sha512:" + "0".repeat(128)).hasherFor(10).getAlgorithm())
                .isEqualTo("SHA-512");
    }
}
