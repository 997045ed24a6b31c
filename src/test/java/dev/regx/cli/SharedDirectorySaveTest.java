package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regx.testing.Fixtures;
import dev.regx.testing.LocalRegistry;
import dev.regx.testing.PushedImage;
import dev.regx.testing.RegistryPusher;
import dev.regx.testing.RequiresRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code regx save} into a world-writable sticky directory (like {@code /tmp}) where another user has planted
 * a link or a {@code .part} at the names regx will use. The suite runs as root; the planting is done as
 * {@code nobody} through {@code setpriv}, as a second local user would.
 */
@RequiresRegistry
class SharedDirectorySaveTest {
    private static final String NAME = "smoshysmosh-composer-latest-0.tar.gzip";
    private static final int NOBODY = 65534;

    private static LocalRegistry registry;
    private static PushedImage composer;

    @TempDir
    Path dir;

    private Path shared;
    private Path victim;

    @BeforeAll
    static void start() throws Exception {
        registry = LocalRegistry.builder().noAuth().start();
        composer = new RegistryPusher(registry).push(Fixtures.COMPOSER_REPOSITORY, "latest", Fixtures.composer());
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void sharedDirectory() throws Exception {
        assumeTrue(isRoot(), "needs root to plant files as another user (uid " + NOBODY + ")");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux)");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        shared = Files.createDirectory(dir.resolve("shared"));
        // chmod 1777: Java's permission API has no sticky bit.
        run(List.of("chmod", "1777", shared.toString()));
        victim = dir.resolve("victim.txt");
    }

    private static boolean isRoot() throws Exception {
        Process id = new ProcessBuilder("id", "-u").start();
        return new String(id.getInputStream().readAllBytes()).strip().equals("0");
    }

    /** Runs {@code shellCommand} as user nobody, as the other user of the shared directory. */
    private static void asNobody(String shellCommand) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "sh", "-c", shellCommand));
        run(command);
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(command + ": " + output).isZero();
    }

    private CommandRun save(String... extra) {
        List<String> args = new ArrayList<>(List.of("save", "-o", shared + "/", composer.reference(), "0"));
        args.addAll(List.of(extra));
        return CommandRun.run(dir.resolve("home"), args.toArray(String[]::new));
    }

    @Test
    void aLinkAnotherUserPlantedAtTheFileNameIsRefusedAndItsTargetNotCreated() throws Exception {
        asNobody("ln -s " + victim + " " + shared.resolve(NAME));

        CommandRun run = save();

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(12);
        assertThat(run.err()).contains("symbolic link owned by uid " + NOBODY).contains("-o");
        assertThat(run.err().lines()).hasSize(1);
        assertThat(victim).doesNotExist();
        assertThat(shared.resolve(NAME + ".part")).doesNotExist();
    }

    @Test
    void withForceALinkAnotherUserPlantedStillDoesNotOverwriteItsTarget() throws Exception {
        Files.writeString(victim, "precious\n");
        asNobody("ln -s " + victim + " " + shared.resolve(NAME));

        CommandRun run = save("--force");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(12);
        assertThat(Files.readString(victim)).isEqualTo("precious\n");
    }

    @Test
    void aLinkAnotherUserPlantedAtThePartNameIsNotResumedInto() throws Exception {
        Files.writeString(victim, "precious\n");
        asNobody("ln -s " + victim + " " + shared.resolve(NAME + ".part"));

        CommandRun run = save();

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(12);
        assertThat(run.err()).contains("is a symbolic link");
        assertThat(Files.readString(victim)).isEqualTo("precious\n");
        assertThat(shared.resolve(NAME)).doesNotExist();
    }

    @Test
    void aPartAnotherUserOwnsIsNotAdoptedAsTheVerifiedFile() throws Exception {
        Path part = shared.resolve(NAME + ".part");
        asNobody("printf 'tampered' > " + part + " && chmod 666 " + part);

        CommandRun run = save();

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(12);
        assertThat(run.err()).contains("belongs to uid " + NOBODY);
        assertThat(shared.resolve(NAME)).doesNotExist();
        assertThat(Files.readString(part)).isEqualTo("tampered");
    }

    @Test
    void aLinkOfOnesOwnInTheSharedDirectoryIsStillFollowed() throws Exception {
        Files.createSymbolicLink(shared.resolve(NAME), victim);

        CommandRun run = save();

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(victim).isRegularFile();
        assertThat(shared.resolve(NAME)).isSymbolicLink();
    }
}
