package dev.regx.testing;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/** How a fixture layer's tar is compressed. */
public enum Compression {
    GZIP,
    ZSTD,
    NONE;

    /** Wraps {@code out}; closing the result finishes the compressed stream and closes {@code out}. */
    public OutputStream wrap(OutputStream out) throws IOException {
        switch (this) {
            case GZIP:
                // The JDK writes mtime 0 in the gzip header, so the same tar always gives the same digest.
                return new GZIPOutputStream(out, 1 << 16);
            case ZSTD:
                return new ZstdOutputStream(out, 3);
            default:
                return out;
        }
    }

    /** The OCI layer media type for this compression. */
    public String ociMediaType() {
        switch (this) {
            case GZIP:
                return MediaTypes.OCI_LAYER_GZIP;
            case ZSTD:
                return MediaTypes.OCI_LAYER_ZSTD;
            default:
                return MediaTypes.OCI_LAYER_TAR;
        }
    }
}
