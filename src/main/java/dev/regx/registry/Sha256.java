package dev.regx.registry;

import java.security.MessageDigest;

/**
 * SHA-256 (FIPS 180-4) in plain Java, for the small documents every command hashes: manifests and configs.
 *
 * <p>Why not {@code MessageDigest.getInstance("SHA-256")}: on a cold JVM that call sets up the JDK's provider
 * framework first (the security properties, the provider list, the SUN provider's table of some two hundred
 * services, each instantiated by reflection), about 80 classes and, with them, a tenth of the CPU time of a
 * whole {@code regx layers} against a local registry; the hashing itself is a few hundred microseconds. With
 * this class, {@code layers} over plain HTTP never sets that framework up (the gain is in the README's "Start-up
 * measurements"). Over TLS the framework is set up anyway, for the handshake.
 *
 * <p>Streams of unknown or large size (layers, for {@code ls} and {@code save}) keep the JDK's implementation
 * ({@link Digest#hasherFor}): its compression function is a C2 intrinsic (SHA-NI or AVX2 code), several times
 * faster than any Java loop once a long run has compiled it. {@code Sha256Test} checks this class against the
 * JDK's on every length from 0 to 300 bytes and on random inputs fed in random pieces, and against the
 * standard's own examples.
 *
 * <p>Not {@link Cloneable}: {@link MessageDigest#clone} then throws, as documented, instead of sharing state.
 */
final class Sha256 extends MessageDigest {
    /** The first 32 bits of the fractional parts of the cube roots of the first 64 primes (FIPS 180-4, 4.2.2). */
    private static final int[] K = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    };

    /** The hash value H0..H7 so far. */
    private final int[] state = new int[8];
    /** The message schedule of the block being compressed, kept to spare an allocation per block. */
    private final int[] w = new int[64];
    /** Input not yet compressed: the start of the next 64-byte block. */
    private final byte[] block = new byte[64];

    private int buffered;
    /** Bytes hashed since the last reset; the padding ends with it, in bits. */
    private long length;

    Sha256() {
        super("SHA-256");
        engineReset();
    }

    @Override
    protected void engineReset() {
        // The initial hash value (FIPS 180-4, 5.3.3).
        state[0] = 0x6a09e667;
        state[1] = 0xbb67ae85;
        state[2] = 0x3c6ef372;
        state[3] = 0xa54ff53a;
        state[4] = 0x510e527f;
        state[5] = 0x9b05688c;
        state[6] = 0x1f83d9ab;
        state[7] = 0x5be0cd19;
        buffered = 0;
        length = 0;
    }

    @Override
    protected int engineGetDigestLength() {
        return 32;
    }

    @Override
    protected void engineUpdate(byte input) {
        block[buffered++] = input;
        length++;
        if (buffered == 64) {
            compress(block, 0);
            buffered = 0;
        }
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
        length += len;
        if (buffered > 0) {
            int n = Math.min(len, 64 - buffered);
            System.arraycopy(input, offset, block, buffered, n);
            buffered += n;
            offset += n;
            len -= n;
            if (buffered < 64) {
                return;
            }
            compress(block, 0);
            buffered = 0;
        }
        while (len >= 64) {
            compress(input, offset);
            offset += 64;
            len -= 64;
        }
        System.arraycopy(input, offset, block, 0, len);
        buffered = len;
    }

    /** Pads the message (a 1 bit, zeros, the length in bits as 64 bits big-endian), then outputs H0..H7 big-endian. */
    @Override
    protected byte[] engineDigest() {
        long bits = length * 8;
        engineUpdate((byte) 0x80);
        while (buffered != 56) {
            engineUpdate((byte) 0);
        }
        for (int i = 7; i >= 0; i--) {
            engineUpdate((byte) (bits >>> (i * 8)));
        }
        byte[] out = new byte[32];
        for (int i = 0; i < 8; i++) {
            out[4 * i] = (byte) (state[i] >>> 24);
            out[4 * i + 1] = (byte) (state[i] >>> 16);
            out[4 * i + 2] = (byte) (state[i] >>> 8);
            out[4 * i + 3] = (byte) state[i];
        }
        engineReset();
        return out;
    }

    /** Compresses the 64-byte block at {@code in[offset]} into the state (FIPS 180-4, 6.2.2). */
    private void compress(byte[] in, int offset) {
        int[] w = this.w;
        for (int t = 0; t < 16; t++) {
            int p = offset + 4 * t;
            w[t] = (in[p] << 24) | ((in[p + 1] & 0xff) << 16) | ((in[p + 2] & 0xff) << 8) | (in[p + 3] & 0xff);
        }
        for (int t = 16; t < 64; t++) {
            int x = w[t - 15];
            int y = w[t - 2];
            int s0 = Integer.rotateRight(x, 7) ^ Integer.rotateRight(x, 18) ^ (x >>> 3);
            int s1 = Integer.rotateRight(y, 17) ^ Integer.rotateRight(y, 19) ^ (y >>> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        int a = state[0],
                b = state[1],
                c = state[2],
                d = state[3],
                e = state[4],
                f = state[5],
                g = state[6],
                h = state[7];
        for (int t = 0; t < 64; t++) {
            int t1 = h
                    + (Integer.rotateRight(e, 6) ^ Integer.rotateRight(e, 11) ^ Integer.rotateRight(e, 25))
                    + ((e & f) ^ (~e & g))
                    + K[t]
                    + w[t];
            int t2 = (Integer.rotateRight(a, 2) ^ Integer.rotateRight(a, 13) ^ Integer.rotateRight(a, 22))
                    + ((a & b) ^ (a & c) ^ (b & c));
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }
}
