package dev.regx.save;

import dev.regx.registry.blob.BlobSink;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/**
 * Sends a blob to a stream ({@code -o -}: stdout, for piping; a device or FIFO named with {@code -o}). Nothing
 * is held before the first byte.
 */
public final class StreamSink implements BlobSink<LocalWriteException> {
    private final OutputStream out;
    /** What the stream is, for messages: "standard output", "/dev/null". */
    private final String name;

    private long position;

    public StreamSink(OutputStream out, String name) {
        this.out = out;
        this.name = name;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void hashExisting(MessageDigest hasher) {
        // A stream holds nothing from an earlier run.
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws LocalWriteException {
        try {
            out.write(buffer, offset, length);
            position += length;
        } catch (IOException e) {
            throw new LocalWriteException("cannot write to " + name + ": " + PartFileSink.reason(e), e);
        }
    }

    @Override
    public void discard() {
        throw new UnsupportedOperationException("bytes written to a stream cannot be taken back");
    }

    @Override
    public boolean canDiscard() {
        return false;
    }
}
