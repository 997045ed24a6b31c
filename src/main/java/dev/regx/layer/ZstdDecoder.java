package dev.regx.layer;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.util.Native;
import java.io.IOException;
import java.io.InputStream;

/**
 * Opens zstd streams with zstd-jni (the reference C decoder, fastest on the JVM) and falls back to aircompressor's
 * pure-Java decoder when the native library cannot load: a noexec {@code java.io.tmpdir}, musl, an unusual CPU.
 * The load is attempted once and the answer remembered, so a missing library costs one failure, not one per layer.
 */
public final class ZstdDecoder {
    /** Set to {@code true} to skip the native decoder; used by tests to run the fallback, and a user's escape hatch. */
    public static final String FORCE_PURE_JAVA_PROPERTY = "regx.zstd.pure";

    private static Boolean nativeLoads;

    private ZstdDecoder() {}

    /** A stream of the decompressed bytes of {@code compressed}, which may hold several concatenated frames. */
    public static InputStream open(InputStream compressed) throws IOException {
        if (usesNative()) {
            // The NoFinalizer variant frees native memory on close() instead of in a finalizer; RecyclingBufferPool
            // reuses its 128 KiB buffers across layers instead of allocating them per stream.
            return new ZstdInputStreamNoFinalizer(compressed, RecyclingBufferPool.INSTANCE);
        }
        return new io.airlift.compress.zstd.ZstdInputStream(compressed);
    }

    /**
     * Whether {@link #open} will use the native decoder: it loads and {@value #FORCE_PURE_JAVA_PROPERTY} is not set.
     */
    public static boolean usesNative() {
        return !Boolean.getBoolean(FORCE_PURE_JAVA_PROPERTY) && nativeLoads();
    }

    private static synchronized boolean nativeLoads() {
        if (nativeLoads == null) {
            try {
                Native.load();
                nativeLoads = true;
            } catch (UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError e) {
                nativeLoads = false;
            }
        }
        return nativeLoads;
    }
}
