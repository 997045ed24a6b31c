package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReaderGoneTest {
    @TempDir
    Path dir;

    private Path fifo(String name) throws Exception {
        Path fifo = dir.resolve(name);
        Process mkfifo =
                new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "needs mkfifo");
        return fifo;
    }

    @Test
    void aBrokenPipeInAnyLanguageThatSaysSoIsTheReaderGone() {
        Path file = dir.resolve("plain");
        assertThat(ReaderGone.after(new IOException("Broken pipe"), file)).isTrue();
        assertThat(ReaderGone.after(new IOException("Datenübergabe unterbrochen (broken pipe)"), file))
                .isTrue();
        assertThat(ReaderGone.after(new IOException("cannot write to x", new IOException("Broken pipe")), file))
                .isTrue();
    }

    @Test
    void anyFailedWriteToANamedPipeOrThroughALinkToOneIsTheReaderGoneWhateverItsWords() throws Exception {
        Path fifo = fifo("fifo");
        Path link = Files.createSymbolicLink(dir.resolve("link"), fifo);

        assertThat(ReaderGone.after(new IOException("Relais brisé"), fifo)).isTrue();
        assertThat(ReaderGone.after(new IOException("Relais brisé"), link)).isTrue();
    }

    @Test
    void aFullDiskUnderARegularFileIsNot() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");

        assertThat(ReaderGone.after(new IOException("No space left on device"), file))
                .isFalse();
        assertThat(ReaderGone.after(new IOException("No space left on device"), dir.resolve("missing")))
                .isFalse();
    }
}
