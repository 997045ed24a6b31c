package dev.regx.registry.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.regx.registry.Digest;
import dev.regx.registry.RegistryException;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VerifyingInputStreamTest {
    private static final byte[] BLOB = "layer bytes".getBytes(StandardCharsets.UTF_8);
    private static final Digest DIGEST = Digest.sha256(BLOB);

    @Test
    void passesTheRightBytesThrough() throws Exception {
        VerifyingInputStream in = new VerifyingInputStream(new ByteArrayInputStream(BLOB), DIGEST, BLOB.length, "blob");
        assertThat(in.readAllBytes()).isEqualTo(BLOB);
        assertThat(in.count()).isEqualTo(BLOB.length);
    }

    @Test
    void wrongBytesFailAtTheEndOfTheStream() {
        byte[] other = "layer bytez".getBytes(StandardCharsets.UTF_8);
        VerifyingInputStream in =
                new VerifyingInputStream(new ByteArrayInputStream(other), DIGEST, BLOB.length, "blob x");
        assertThatThrownBy(in::readAllBytes)
                .isInstanceOfSatisfying(
                        RegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.DIGEST_MISMATCH))
                .hasMessageContaining("blob x has digest");
    }

    @Test
    void shortAndLongStreamsAreSizeMismatches() {
        VerifyingInputStream shortIn =
                new VerifyingInputStream(new ByteArrayInputStream(Arrays.copyOf(BLOB, 4)), DIGEST, BLOB.length, "b");
        assertThatThrownBy(shortIn::readAllBytes)
                .hasMessageContaining("served 4 bytes where the manifest says " + BLOB.length);
        VerifyingInputStream longIn =
                new VerifyingInputStream(new ByteArrayInputStream(Arrays.copyOf(BLOB, 40)), DIGEST, BLOB.length, "b");
        assertThatThrownBy(longIn::readAllBytes).hasMessageContaining("longer than the " + BLOB.length);
    }

    @Test
    void aFailedCheckIsThrownAgainByEveryLaterRead() throws Exception {
        byte[] other = "layer bytez".getBytes(StandardCharsets.UTF_8);
        VerifyingInputStream in =
                new VerifyingInputStream(new ByteArrayInputStream(other), DIGEST, BLOB.length, "blob x");
        RegistryException first = catchThrowableOfType(RegistryException.class, in::readAllBytes);
        assertThat(first).isNotNull().hasMessageContaining("has digest");

        // A reader that swallowed the verdict (a tar parser calling it corruption) cannot make the blob pass.
        assertThat(catchThrowableOfType(RegistryException.class, in::read)).isSameAs(first);
        assertThat(catchThrowableOfType(RegistryException.class, () -> in.transferTo(OutputStream.nullOutputStream())))
                .isSameAs(first);

        VerifyingInputStream longIn =
                new VerifyingInputStream(new ByteArrayInputStream(Arrays.copyOf(BLOB, 40)), DIGEST, BLOB.length, "b");
        RegistryException tooLong = catchThrowableOfType(RegistryException.class, longIn::readAllBytes);
        assertThat(tooLong).isNotNull().hasMessageContaining("longer than");
        assertThat(catchThrowableOfType(RegistryException.class, longIn::readAllBytes))
                .isSameAs(tooLong);
    }

    @Test
    void skippedBytesAreHashedToo() throws Exception {
        VerifyingInputStream in = new VerifyingInputStream(new ByteArrayInputStream(BLOB), DIGEST, BLOB.length, "blob");
        assertThat(in.skip(6)).isEqualTo(6);
        assertThat(in.readAllBytes()).isEqualTo("bytes".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void backgroundHasherGivesTheSameDigestAsHashingInline() throws Exception {
        byte[] data = new byte[5_000_000];
        new Random(7).nextBytes(data);
        try (BackgroundHasher hasher = new BackgroundHasher(MessageDigest.getInstance("SHA-256"), 3, 64 * 1024)) {
            for (int off = 0; off < data.length; ) {
                byte[] buffer = hasher.buffer();
                int n = Math.min(buffer.length - 17, data.length - off);
                System.arraycopy(data, off, buffer, 0, n);
                hasher.hash(buffer, n);
                off += n;
            }
            assertThat(Digest.of("sha256", hasher.digest())).isEqualTo(Digest.sha256(data));
        }
    }
}
