package dev.regx.registry.blob;

import dev.regx.registry.Digest;
import dev.regx.registry.RegistryException;
import dev.regx.registry.RegistryException.Kind;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Hashes bytes as they pass and, at end of stream, checks them against the descriptor's digest and size.
 * A mismatch surfaces as {@link Kind#DIGEST_MISMATCH} from the read that hit the end, so a consumer that
 * reads to the end cannot miss it. Reading more than the promised size fails at once: a registry that
 * sends more than it promised is not trusted to stop.
 *
 * <p>The verdict sticks: once a check has failed, every later read throws the same exception. A consumer
 * that swallowed the first one (a tar reader reporting it as a corrupt archive) cannot make the blob look
 * sound to whoever reads on after it.
 *
 * <p>A normal end of the underlying stream is taken as the end of what the server sent: the transport turns a
 * body cut short of its {@code Content-Length} into an {@link java.io.EOFException}, which passes through as the
 * network failure it is, so a blob that ends short here is the registry serving fewer bytes than the manifest
 * says.
 */
public final class VerifyingInputStream extends FilterInputStream {
    private final Digest expected;
    private final long expectedSize;
    private final MessageDigest hasher;
    private final String what;
    private long count;
    private boolean verified;
    private RegistryException failure;

    /**
     * @param alreadyHashed a hasher already fed with earlier bytes (a resumed download), or null
     * @param alreadyRead how many bytes {@code alreadyHashed} has seen
     */
    public VerifyingInputStream(
            InputStream in,
            Digest expected,
            long expectedSize,
            String what,
            MessageDigest alreadyHashed,
            long alreadyRead) {
        super(in);
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.hasher = alreadyHashed != null ? alreadyHashed : expected.hasherFor(expectedSize);
        this.what = what;
        this.count = alreadyRead;
    }

    public VerifyingInputStream(InputStream in, Digest expected, long expectedSize, String what) {
        this(in, expected, expectedSize, what, null, 0);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            throw failure;
        }
        int n = super.read(b, off, len);
        if (n > 0) {
            hasher.update(b, off, n);
            count += n;
            if (expectedSize >= 0 && count > expectedSize) {
                throw fail(SizeMismatch.longer(what, expectedSize));
            }
        } else if (n < 0) {
            verify();
        }
        return n;
    }

    private RegistryException fail(RegistryException e) {
        failure = e;
        return e;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must still be hashed.
        byte[] buffer = new byte[(int) Math.min(n, 64 * 1024)];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Bytes seen so far, including any counted before a resume. */
    public long count() {
        return count;
    }

    private void verify() {
        if (verified) {
            return;
        }
        verified = true;
        if (expectedSize >= 0 && count != expectedSize) {
            throw fail(SizeMismatch.served(what, count, expectedSize));
        }
        try {
            expected.check(hasher.digest(), what);
        } catch (RegistryException e) {
            throw fail(e);
        }
    }
}
