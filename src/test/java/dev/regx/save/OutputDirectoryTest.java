package dev.regx.save;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@code regx save} writes, checked (and created for an {@code -o} ending in {@code /}) before any download. */
class OutputDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void createMakesTheDirectoryAndItsParentsAndAcceptsOneThatExists() throws Exception {
        Path deep = dir.resolve("a/b/c");
        OutputDirectory.create(deep);
        assertThat(deep).isDirectory();
        OutputDirectory.create(deep);
        OutputDirectory.check(deep);
    }

    @Test
    void theEmptyPathIsTheCurrentDirectoryAndPasses() throws Exception {
        OutputDirectory.check(Path.of(""));
    }

    @Test
    void aMissingDirectoryIsNotCreatedByCheck() {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> OutputDirectory.check(missing))
                .isInstanceOf(LocalWriteException.class)
                .hasMessage("cannot write into " + missing
                        + ": no such directory; create it, or end -o with / to have regx create it");
        assertThat(missing).doesNotExist();
    }

    @Test
    void aFileInTheWayIsNamedByCheckAndCreate() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> OutputDirectory.create(file.resolve("sub/deeper")))
                .isInstanceOf(LocalWriteException.class)
                .hasMessage("cannot write into " + file + "/sub/deeper: " + file
                        + " is not a directory; save elsewhere with -o");
        assertThatThrownBy(() -> OutputDirectory.check(file))
                .isInstanceOf(LocalWriteException.class)
                .hasMessage("cannot write into " + file + ": " + file + " is not a directory; save elsewhere with -o");
    }

    @Test
    void aDirectoryWithoutWritePermissionIsRefused() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root may write into any directory");
        Path locked = Files.createDirectory(
                dir.resolve("locked"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-xr-xr-x")));
        assertThatThrownBy(() -> OutputDirectory.check(locked))
                .isInstanceOf(LocalWriteException.class)
                .hasMessage("cannot write into " + locked + ": permission denied; save elsewhere with -o");
        assertThatThrownBy(() -> OutputDirectory.create(locked.resolve("sub")))
                .isInstanceOf(LocalWriteException.class)
                .hasMessage("cannot create " + locked.resolve("sub") + ": permission denied; save elsewhere with -o");
    }
}
