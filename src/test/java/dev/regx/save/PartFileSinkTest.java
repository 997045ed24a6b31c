package dev.regx.save;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code .part} file as the fetcher drives it, through O_DIRECT and through the page cache: sizes around
 * the block and chunk boundaries, writes of odd lengths, resuming from an unaligned length, starting over,
 * and stopping half way.
 */
class PartFileSinkTest {
    private static final int CHUNK = DirectIoWriter.CHUNK;
    private static final byte[] BLOB = new byte[3 * CHUNK + 12345];

    static {
        new Random(7).nextBytes(BLOB);
    }

    @TempDir
    Path dir;

    private static byte[] blob(int size) {
        return Arrays.copyOf(BLOB, size);
    }

    private static void writeInPieces(PartFileSink sink, byte[] bytes, int from, int piece) throws Exception {
        for (int at = from; at < bytes.length; at += piece) {
            sink.write(bytes, at, Math.min(piece, bytes.length - at));
        }
    }

    @Test
    void deleteBeforeTheFirstByteLeavesAPartAnotherRunCreatedMeanwhile() throws Exception {
        Path target = dir.resolve("layer.tar.gzip");
        try (PartFileSink sink = new PartFileSink(target, false)) {
            // Another run starts on the same target after this one looked (and found no .part).
            Files.write(PartFileSink.partOf(target), new byte[] {1, 2, 3});

            sink.delete();
        }
        assertThat(PartFileSink.partOf(target)).hasBinaryContent(new byte[] {1, 2, 3});
    }

    @ParameterizedTest(name = "{0} bytes in pieces of {1}, O_DIRECT allowed: {2}")
    @CsvSource({
        "0, 1000, true",
        "1, 1000, true",
        "4095, 1000, true",
        "4096, 4096, true",
        "4097, 7777, true",
        "1048575, 65536, true",
        "1048576, 1048576, true",
        "1048577, 7777, true",
        "3158073, 1048576, true",
        "3158073, 7777, false",
        "1048577, 65536, false",
        "0, 1, false"
    })
    void committedFileHoldsExactlyTheBytesWritten(int size, int piece, boolean directIo) throws Exception {
        byte[] bytes = blob(size);
        Path target = dir.resolve("layer.tar.gzip");
        try (PartFileSink sink = new PartFileSink(target, directIo)) {
            writeInPieces(sink, bytes, 0, piece);
            assertThat(sink.position()).isEqualTo(size);
            sink.commit();
        }
        assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
        assertThat(PartFileSink.partOf(target)).doesNotExist();
    }

    @ParameterizedTest(name = "a .part of {0} bytes, O_DIRECT allowed: {1}")
    @CsvSource({"1572867, true", "4096, true", "1048576, true", "100, true", "1572867, false"})
    void resumesFromWhateverLengthThePartHas(int held, boolean directIo) throws Exception {
        Path target = dir.resolve("layer.tar.gzip");
        Files.write(PartFileSink.partOf(target), Arrays.copyOf(BLOB, held));
        try (PartFileSink sink = new PartFileSink(target, directIo)) {
            assertThat(sink.position()).isEqualTo(held);
            writeInPieces(sink, BLOB, held, 300_000);
            sink.commit();
        }
        assertThat(Files.readAllBytes(target)).isEqualTo(BLOB);
    }

    @ParameterizedTest(name = "O_DIRECT allowed: {0}")
    @CsvSource({"true", "false"})
    void discardStartsTheFileOver(boolean directIo) throws Exception {
        Path target = dir.resolve("layer.tar.gzip");
        byte[] junk = new byte[2 * CHUNK + 99];
        Arrays.fill(junk, (byte) 'x');
        try (PartFileSink sink = new PartFileSink(target, directIo)) {
            writeInPieces(sink, junk, 0, CHUNK / 3);
            sink.discard();
            assertThat(sink.position()).isZero();
            writeInPieces(sink, BLOB, 0, CHUNK / 3);
            sink.commit();
        }
        assertThat(Files.readAllBytes(target)).isEqualTo(BLOB);
    }

    @ParameterizedTest(name = "O_DIRECT allowed: {0}")
    @CsvSource({"true", "false"})
    void closingWithoutCommitKeepsEveryByteWrittenInThePartForTheNextRun(boolean directIo) throws Exception {
        Path target = dir.resolve("layer.tar.gzip");
        int stoppedAt = 2 * CHUNK + 4097;
        try (PartFileSink sink = new PartFileSink(target, directIo)) {
            sink.write(BLOB, 0, stoppedAt);
        }
        assertThat(target).doesNotExist();
        assertThat(Files.readAllBytes(PartFileSink.partOf(target))).isEqualTo(Arrays.copyOf(BLOB, stoppedAt));
        try (PartFileSink sink = new PartFileSink(target, directIo)) {
            assertThat(sink.position()).isEqualTo(stoppedAt);
        }
    }

    @Test
    void aPartThatAnotherRunIsWritingIsRefusedUntilThatRunLetsGo() throws Exception {
        Path target = dir.resolve("layer.tar.gzip");
        try (PartFileSink first = new PartFileSink(target)) {
            first.write(BLOB, 0, 1000);
            assertThatThrownBy(() -> new PartFileSink(target))
                    .isInstanceOf(LocalWriteException.class)
                    .hasMessage(
                            PartFileSink.partOf(target) + " is being written by another regx: wait for it, or remove"
                                    + " the .part if no regx is running");
        }
        try (PartFileSink next = new PartFileSink(target)) {
            assertThat(next.position()).isEqualTo(1000);
        }
    }

    @Test
    void noPartExistsBeforeTheFirstByteSoAFailureBeforeItLeavesNothing() throws Exception {
        Path target = dir.resolve("layer.tar.gzip");
        try (PartFileSink sink = new PartFileSink(target)) {
            assertThat(sink.position()).isZero();
            assertThat(PartFileSink.partOf(target)).doesNotExist();
        }
        assertThat(PartFileSink.partOf(target)).doesNotExist();

        try (PartFileSink sink = new PartFileSink(target)) {
            sink.write(BLOB, 0, 1);
            assertThat(PartFileSink.partOf(target)).exists(); // the byte itself may still be in O_DIRECT's buffer
        }
        assertThat(PartFileSink.partOf(target)).hasSize(1);
    }

    @ParameterizedTest(name = "O_DIRECT allowed: {0}")
    @CsvSource({"true", "false"})
    void aPartStartedOverAndLeftEmptyIsRemovedOnClose(boolean directIo) throws Exception {
        Path target = dir.resolve("layer.tar.gzip");
        Files.write(PartFileSink.partOf(target), Arrays.copyOf(BLOB, CHUNK + 5));
        try (PartFileSink sink = new PartFileSink(target, directIo)) {
            sink.discard();
        }
        assertThat(PartFileSink.partOf(target)).doesNotExist();
        assertThat(target).doesNotExist();
    }

    @Test
    void anEmptyPartThatAnotherRunHoldsIsNeitherTakenNorRemoved() throws Exception {
        Path target = dir.resolve("layer.tar.gzip");
        try (PartFileSink first = new PartFileSink(target)) {
            first.write(BLOB, 0, 1000);
            first.discard();
            assertThatThrownBy(() -> new PartFileSink(target))
                    .isInstanceOf(LocalWriteException.class)
                    .hasMessageContaining("is being written by another regx");
            assertThat(PartFileSink.partOf(target)).exists().isEmptyFile();
            first.write(BLOB, 0, 10);
        }
        assertThat(PartFileSink.partOf(target)).hasSize(10);
    }

    @Test
    void aPartAnotherRunCreatedAfterWeLookedIsNotAppendedTo() throws Exception {
        Path target = dir.resolve("layer.tar.gzip");
        byte[] theirs = Arrays.copyOfRange(BLOB, 100, 200);
        try (PartFileSink sink = new PartFileSink(target)) {
            Files.write(PartFileSink.partOf(target), theirs);
            assertThatThrownBy(() -> sink.write(BLOB, 0, 50))
                    .isInstanceOf(LocalWriteException.class)
                    .hasMessageContaining("is being written by another regx");
        }
        assertThat(Files.readAllBytes(PartFileSink.partOf(target))).isEqualTo(theirs);
    }

    @Test
    void deleteLeavesNeitherPartNorTarget() throws Exception {
        Path target = dir.resolve("layer.tar.gzip");
        PartFileSink sink = new PartFileSink(target);
        sink.write(BLOB, 0, CHUNK + 1);
        sink.delete();
        assertThat(PartFileSink.partOf(target)).doesNotExist();
        assertThat(target).doesNotExist();
    }

    @Test
    void usesODirectOnExt4AndXfs() throws Exception {
        String type = Files.getFileStore(dir).type();
        assumeTrue(type.equals("ext4") || type.equals("xfs"), "the temporary directory is on " + type);
        try (PartFileSink sink = new PartFileSink(dir.resolve("layer.tar.gzip"))) {
            sink.write(BLOB, 0, 10);
            assertThat(sink.writesDirect()).isTrue();
        }
        try (PartFileSink sink = new PartFileSink(dir.resolve("other.tar.gzip"), false)) {
            sink.write(BLOB, 0, 10);
            assertThat(sink.writesDirect()).isFalse();
        }
    }

    @Test
    void aFileWrittenWholeWithODirectIsRenamedWithoutAnFsyncAnyOtherIsForcedFirst() throws Exception {
        String type = Files.getFileStore(dir).type();
        assumeTrue(type.equals("ext4") || type.equals("xfs"), "the temporary directory is on " + type);
        int size = 2 * CHUNK + 4097; // the last bytes are not a whole block: padded, written direct, cut back
        byte[] bytes = blob(size);

        Path whole = dir.resolve("whole.tar.gzip");
        try (PartFileSink sink = new PartFileSink(whole)) {
            writeInPieces(sink, bytes, 0, 65536);
            sink.commit();
            assertThat(sink.forcedAtCommit()).isFalse();
        }
        assertThat(Files.readAllBytes(whole)).isEqualTo(bytes);

        Path resumed = dir.resolve("resumed.tar.gzip");
        Files.write(PartFileSink.partOf(resumed), Arrays.copyOf(bytes, 5000)); // an earlier run's, in the page cache
        try (PartFileSink sink = new PartFileSink(resumed)) {
            writeInPieces(sink, bytes, 5000, 65536);
            sink.commit();
            assertThat(sink.forcedAtCommit()).isTrue();
        }
        assertThat(Files.readAllBytes(resumed)).isEqualTo(bytes);

        Path buffered = dir.resolve("buffered.tar.gzip");
        try (PartFileSink sink = new PartFileSink(buffered, false)) {
            writeInPieces(sink, bytes, 0, 65536);
            sink.commit();
            assertThat(sink.forcedAtCommit()).isTrue();
        }
        assertThat(Files.readAllBytes(buffered)).isEqualTo(bytes);
    }

    @Test
    void aDownloadStartedOverWithODirectCountsAsWrittenWhole() throws Exception {
        String type = Files.getFileStore(dir).type();
        assumeTrue(type.equals("ext4") || type.equals("xfs"), "the temporary directory is on " + type);
        Path target = dir.resolve("layer.tar.gzip");
        Files.write(PartFileSink.partOf(target), blob(7000));
        try (PartFileSink sink = new PartFileSink(target)) {
            sink.discard(); // the earlier run's bytes are gone with the truncation
            writeInPieces(sink, BLOB, 0, CHUNK / 3);
            sink.commit();
            assertThat(sink.forcedAtCommit()).isFalse();
        }
        assertThat(Files.readAllBytes(target)).isEqualTo(BLOB);
    }
}
