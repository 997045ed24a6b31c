package dev.regx.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A file's contents held back until the blob they came in has been verified: in memory while the
 * {@link Budget} allows, beyond it in a file of a {@link ScratchDirectory}. Memory stays bounded whatever the
 * size of the file.
 */
final class ContentSpool {
    private static final int CHUNK = 64 * 1024;

    /** Bytes of contents all spools of one command may hold in memory together. */
    static final class Budget {
        private long left;

        Budget(long bytes) {
            this.left = bytes;
        }

        boolean take(long bytes) {
            if (bytes > left) {
                return false;
            }
            left -= bytes;
            return true;
        }

        void giveBack(long bytes) {
            left += bytes;
        }
    }

    /** Where spools that outgrow the budget go; made on first need. */
    interface Overflow {
        Path newFile() throws IOException;
    }

    private final Budget budget;
    private final Overflow overflow;
    private byte[] memory = new byte[0];
    private int held;
    private Path file;
    private long size;

    ContentSpool(Budget budget, Overflow overflow) {
        this.budget = budget;
        this.overflow = overflow;
    }

    /**
     * Reads {@code in} to its end into the spool. Read failures are the source's and propagate as they are;
     * local write failures (disk full) are thrown as {@link LocalFileException}.
     */
    void fill(InputStream in) throws IOException {
        byte[] buffer = new byte[CHUNK];
        OutputStream toFile = null;
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (toFile == null && budget.take(n)) {
                    if (held + n > memory.length) {
                        memory = Arrays.copyOf(memory, Math.max(held + n, memory.length * 2));
                    }
                    System.arraycopy(buffer, 0, memory, held, n);
                    held += n;
                } else {
                    if (toFile == null) {
                        toFile = openOverflow();
                    }
                    write(toFile, buffer, n);
                }
                size += n;
            }
        } finally {
            if (toFile != null) {
                try {
                    toFile.close();
                } catch (IOException e) {
                    throw new LocalFileException("cannot write " + file + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private OutputStream openOverflow() {
        try {
            file = overflow.newFile();
            OutputStream out = Files.newOutputStream(file);
            out.write(memory, 0, held);
            budget.giveBack(held);
            memory = new byte[0];
            held = 0;
            return out;
        } catch (IOException e) {
            throw new LocalFileException("cannot hold a file's contents in a temporary file: " + e.getMessage(), e);
        }
    }

    private void write(OutputStream out, byte[] buffer, int n) {
        try {
            out.write(buffer, 0, n);
        } catch (IOException e) {
            throw new LocalFileException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    long size() {
        return size;
    }

    /** Writes the contents to {@code out}; its failures are thrown as they are. */
    void writeTo(OutputStream out) throws IOException {
        if (file == null) {
            out.write(memory, 0, held);
            return;
        }
        InputStream in = openLocal();
        try (in) {
            byte[] buffer = new byte[CHUNK];
            int n;
            while ((n = readLocal(in, buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        }
    }

    private InputStream openLocal() {
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new LocalFileException("cannot read back " + file + ": " + e.getMessage(), e);
        }
    }

    private int readLocal(InputStream in, byte[] buffer) {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            throw new LocalFileException("cannot read back " + file + ": " + e.getMessage(), e);
        }
    }

    /** Frees the memory or the file. */
    void release() {
        budget.giveBack(held);
        memory = new byte[0];
        held = 0;
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // The scratch directory goes as a whole at the end anyway.
            }
        }
    }
}
