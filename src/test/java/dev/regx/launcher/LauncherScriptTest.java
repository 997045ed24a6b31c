package dev.regx.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The launcher script ({@code src/main/launcher/regx.sh}) against a fake JDK whose {@code java} logs its
 * arguments, plays the command (its output and exit status come from the environment) and plays the JVM
 * that writes a class-data archive, including one that fails as a JVM does on a full disk. What is checked
 * is the script's own logic: the command's output and exit status are never the archive's business, one
 * builder at a time, a truncated archive is not used, and the archive is used once it is there.
 */
class LauncherScriptTest {
    private static final Path SCRIPT = Path.of("src", "main", "launcher", "regx.sh");

    /**
     * A {@code java}: with -Xshare:dump -XX:SharedArchiveFile=F or -XX:AOTMode=create -XX:AOTCache=F it is the
     * archive builder (writes F, or fails noisily with FAKE_DUMP_FAILS); with -XX:DumpLoadedClassList=F or
     * -XX:AOTMode=record it is the tour and writes the list or the configuration; else it is
     * regx running the command: prints "ran ARGS [with ARCHIVE]" and exits FAKE_RC.
     */
    private static final String FAKE_JAVA = """
            #!/bin/sh
            echo "$*" >> "$FAKE_LOG"
            out= used= conf= mode= dump=
            for a in "$@"; do
                case $a in
                    -Xshare:dump) dump=1 ;;
                    -XX:DumpLoadedClassList=*) conf=${a#*=} mode=record ;;
                    -XX:AOTConfiguration=*) conf=${a#*=} ;;
                    -XX:AOTMode=*) mode=${a#*=} ;;
                    -XX:AOTCache=*) if [ "$mode" = create ]; then out=${a#*=}; else used=${a#*=}; fi ;;
                    -XX:SharedArchiveFile=*) if [ -n "$dump" ]; then out=${a#*=}; else used=${a#*=}; fi ;;
                esac
            done
            if [ "$mode" = record ]; then printf conf > "$conf"; echo "AOTConfiguration recorded"; exit 0; fi
            if [ -n "$out" ]; then
                if [ -n "$FAKE_DUMP_FAILS" ]; then
                    echo "An error has occurred while processing the shared archive file."
                    echo "Unable to write to shared archive file." >&2
                    exit 1
                fi
                sleep 0.3
                printf 'archive-bytes' > "$out"
                exit 0
            fi
            shift_to_main=0
            for a in "$@"; do
                if [ $shift_to_main = 1 ]; then printf ' %s' "$a"; fi
                [ "$a" = dev.regx.cli.Main ] && shift_to_main=1 && printf 'ran'
            done
            [ -n "$used" ] && printf ' with %s' "${used##*/}"
            echo
            exit ${FAKE_RC:-0}
            """;

    @TempDir
    Path dir;

    private Path regx;
    private Path cache;
    private Path log;
    private Path jdk;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
        regx = dir.resolve("bin/regx");
        Files.createDirectories(regx.getParent());
        Files.copy(SCRIPT, regx);
        executable(regx);
        cache = dir.resolve("cache");
        log = dir.resolve("java.log");
        jdk = fakeJdk("17.0.99");
    }

    private Path fakeJdk(String version) throws IOException {
        Path home = dir.resolve("jdk-" + version);
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("lib"));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        Files.writeString(home.resolve("lib/modules"), "modules");
        Files.writeString(home.resolve("bin/java"), FAKE_JAVA);
        executable(home.resolve("bin/java"));
        return home;
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Run(int exitCode, String out, String err) {}

    private Run regx(Map<String, String> extraEnv, String... args) throws Exception {
        return regxAs(regx.toString(), dir, extraEnv, args);
    }

    /** Runs the launcher as {@code typed} (its $0, perhaps relative) from the directory {@code cwd}. */
    private Run regxAs(String typed, Path cwd, Map<String, String> extraEnv, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(typed));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", jdk.toString());
        env.put("XDG_CACHE_HOME", cache.toString());
        env.put("FAKE_LOG", log.toString());
        env.remove("REGX_CDS");
        env.remove("REGX_JAVA_OPTS");
        env.put("PWD", cwd.toString()); // what a shell that started us from there would pass
        env.putAll(extraEnv);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, err);
    }

    private Run regx(String... args) throws Exception {
        return regx(Map.of(), args);
    }

    /** Waits until no builder holds the lock (it works in the background after the command returned). */
    /** A builder still at work would write into the temporary directory while JUnit removes it. */
    @AfterEach
    void noBuilderOutlivesTheTest() throws Exception {
        awaitBuilder();
    }

    private void awaitBuilder() throws Exception {
        for (int i = 0; i < 200 && !locks().isEmpty(); i++) {
            Thread.sleep(50);
        }
        assertThat(locks()).as("a builder still holds its lock").isEmpty();
    }

    /** The names of what the cache holds (files and directories, at any depth) ending in {@code suffix}. */
    private List<String> entries(String suffix) throws IOException {
        return paths(suffix).stream().map(p -> p.getFileName().toString()).toList();
    }

    private List<Path> paths(String suffix) throws IOException {
        Path regxCache = cache.resolve("regx");
        if (!Files.isDirectory(regxCache)) {
            return List.of();
        }
        for (int attempt = 1; ; attempt++) {
            try (Stream<Path> files = Files.walk(regxCache)) {
                return files.filter(p -> !p.equals(regxCache)
                                && p.getFileName().toString().endsWith(suffix))
                        .sorted()
                        .toList();
            } catch (java.io.UncheckedIOException e) {
                // A builder renamed or removed a file while we walked: look again.
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }

    private List<String> locks() throws IOException {
        return entries(".lock");
    }

    private long javaCalls(String containing) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(containing)).count();
        }
    }

    /** The archive builder's runs of the training tour {@code tour} ("" for none: --version's own run). */
    private long trainingRuns(String tour) throws IOException {
        String end = " -cp " + regx + " dev.regx.startup.archive.Training" + (tour.isEmpty() ? "" : " " + tour);
        if (!Files.exists(log)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.endsWith(end)).count();
        }
    }

    @Test
    void theFirstRunIsTheCommandAloneAndTheArchiveIsBuiltBesideItThenUsed() throws Exception {
        Run first = regx(Map.of("FAKE_RC", "3"), "layers", "some/image:1");

        assertThat(first.exitCode()).isEqualTo(3);
        assertThat(first.out()).isEqualTo("ran layers some/image:1\n");
        assertThat(first.err()).isEmpty();
        awaitBuilder();
        List<String> archives = entries(".jsa");
        assertThat(archives).singleElement().asString().matches("regx-17-short-0-[\\d.]+-[\\d.]+-13\\.jsa");
        assertThat(paths(".jsa").get(0).getParent().getFileName().toString())
                .as("the directory of this regx file's path")
                .isEqualTo(regx.toString().substring(1).replace('/', '%'));
        assertThat(javaCalls("-Xshare:dump")).isEqualTo(1);
        assertThat(javaCalls("-XX:TieredStopAtLevel=1 -Xshare:auto -XX:DumpLoadedClassList="))
                .isEqualTo(1);
        assertThat(trainingRuns("layers,tls")).isEqualTo(1);
        assertThat(javaCalls("-XX:+UseG1GC -Xmx1g -Xshare:dump -XX:SharedClassListFile="))
                .isEqualTo(1);

        Run second = regx("layers", "other/image:2");
        assertThat(second.exitCode()).isZero();
        assertThat(second.out()).isEqualTo("ran layers other/image:2 with " + archives.get(0) + "\n");
        List<String> calls = Files.readAllLines(log);
        assertThat(calls.get(calls.size() - 1))
                .as("the archive mapped without relocation")
                .contains(
                        "-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0 -Xshare:auto -XX:SharedArchiveFile=");
        assertThat(javaCalls("-Xshare:dump")).as("no second build").isEqualTo(1);
        assertThat(javaCalls("useNativeAccessorOnly"))
                .as("JDK 17 reflects natively anyway")
                .isZero();
    }

    @Test
    void aBuilderThatFailsLikeAJvmOnAFullDiskLeavesNoTraceInTheCommandsOutputOrStatus() throws Exception {
        Run run = regx(Map.of("FAKE_DUMP_FAILS", "1", "FAKE_RC", "0"), "--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("ran --version\n");
        assertThat(run.err()).isEmpty();
        awaitBuilder();
        // The lock goes first, then the directory it was in: give the builder's last rmdir its moment.
        for (int i = 0; i < 40 && !entries("").isEmpty(); i++) {
            Thread.sleep(50);
        }
        assertThat(entries("")).as("nothing left in the cache").isEmpty();
    }

    @Test
    void concurrentFirstRunsStartOneBuilder() throws Exception {
        List<Process> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ProcessBuilder pb = new ProcessBuilder(regx.toString(), "--version");
            pb.environment()
                    .putAll(Map.of(
                            "JAVA_HOME",
                            jdk.toString(),
                            "XDG_CACHE_HOME",
                            cache.toString(),
                            "FAKE_LOG",
                            log.toString()));
            runs.add(pb.start());
        }
        for (Process p : runs) {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        }
        awaitBuilder();
        assertThat(javaCalls("-Xshare:dump")).isEqualTo(1);
        assertThat(entries(".jsa")).hasSize(1);
    }

    @Test
    void anArchiveWhoseSizeIsNotTheOneItWasWrittenWithIsNotUsedButReplaced() throws Exception {
        regx("--version");
        awaitBuilder();
        Path archivePath = paths(".jsa").get(0);
        String archive = archivePath.getFileName().toString();
        Files.writeString(archivePath, "trunc"); // 5 bytes, named for 13

        Run run = regx("--version");
        assertThat(run.out()).isEqualTo("ran --version\n");
        awaitBuilder();
        assertThat(entries(".jsa")).containsExactly(archive);
        assertThat(Files.size(archivePath)).isEqualTo(13);
        assertThat(regx("--version").out()).isEqualTo("ran --version with " + archive + "\n");
    }

    @Test
    void anArchiveWrittenToAfterItWasMadeIsNotUsedButRebuilt() throws Exception {
        // A regx file installed an hour ago (a damaged archive is written long after its regx file, and times
        // are compared to the second).
        Files.setLastModifiedTime(regx, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        regx("--version");
        awaitBuilder();
        Path archivePath = paths(".jsa").get(0);
        String archive = archivePath.getFileName().toString();
        assertThat(Files.getLastModifiedTime(archivePath).toMillis() / 1000)
                .as("the builder gives the archive its regx file's time")
                .isEqualTo(Files.getLastModifiedTime(regx).toMillis() / 1000);
        Files.writeString(archivePath, "archive-BYTES"); // damaged in place, at its full size

        Run run = regx("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("ran --version\n");
        awaitBuilder();
        assertThat(entries(".jsa")).containsExactly(archive);
        assertThat(Files.readString(archivePath)).isEqualTo("archive-bytes");
        assertThat(regx("--version").out()).isEqualTo("ran --version with " + archive + "\n");
    }

    @Test
    void aJvmThatCrashesWithAnArchiveLogsIntoTheCacheAndTheNextRunRebuildsIt() throws Exception {
        regx("--version");
        awaitBuilder();
        Path archivePath = paths(".jsa").get(0);
        String archive = archivePath.getFileName().toString();

        regx("--version");
        String prefix = archive.substring(0, archive.indexOf("-0-") + 2);
        Path crashLog = archivePath.resolveSibling(prefix + "-crash-%p.log");
        assertThat(javaCalls("-XX:ErrorFile=" + crashLog + " "))
                .as("a crash log of a run with the archive goes into the cache, not the current directory")
                .isEqualTo(1);
        // What a crash (SIGSEGV in a damaged archive the time check missed) leaves there.
        Files.writeString(archivePath.resolveSibling(prefix + "-crash-4242.log"), "# A fatal error ...");

        Run run = regx("--version");

        assertThat(run.out()).isEqualTo("ran --version\n");
        awaitBuilder();
        assertThat(entries(".log")).isEmpty();
        assertThat(entries(".jsa")).containsExactly(archive);
        assertThat(javaCalls("-Xshare:dump")).as("built again").isEqualTo(2);
        assertThat(regx("--version").out()).isEqualTo("ran --version with " + archive + "\n");
    }

    @Test
    void regxCdsZeroNeitherUsesNorBuildsAnArchive() throws Exception {
        Run run = regx(Map.of("REGX_CDS", "0"), "--version");

        assertThat(run.out()).isEqualTo("ran --version\n");
        assertThat(entries("")).isEmpty();
        assertThat(javaCalls("DumpLoadedClassList") + javaCalls("SharedArchiveFile") + javaCalls("AOT"))
                .isZero();
    }

    @Test
    void onJdk24AndLaterTheBuilderRecordsThenCreatesAnAotCacheWhichIsThenUsed() throws Exception {
        jdk = fakeJdk("25.0.1");
        Run first = regx("--version");

        assertThat(first.out())
                .as("the recording JVM's message is not the command's output")
                .isEqualTo("ran --version\n");
        awaitBuilder();
        List<String> caches = entries(".aot");
        assertThat(caches).singleElement().asString().matches("regx-25-version-0-[\\d.]+-[\\d.]+-13\\.aot");
        assertThat(javaCalls("-XX:AOTMode=record")).isEqualTo(1);
        assertThat(javaCalls("-XX:-AOTRecordTraining -XX:AOTMode=record"))
                .as("no method profiles on 25")
                .isEqualTo(1);
        assertThat(javaCalls("-XX:AOTMode=create")).isEqualTo(1);
        assertThat(javaCalls("-XX:+UseSerialGC -Xms64m"))
                .as("the serial GC on 24+")
                .isEqualTo(3);
        assertThat(javaCalls("-Djdk.reflect.useNativeAccessorOnly=true"))
                .as("reflection without method handles, 18+")
                .isEqualTo(3);
        assertThat(javaCalls("G1")).isZero();
        assertThat(trainingRuns(""))
                .as("--version: its own run is the whole tour")
                .isEqualTo(1);
        assertThat(regx("--version").out()).isEqualTo("ran --version with " + caches.get(0) + "\n");
        assertThat(regx("-V").out()).isEqualTo("ran -V with " + caches.get(0) + "\n");
        assertThat(javaCalls("-XX:AOTCache=" + paths(".aot").get(0) + " -XX:-AOTReplayTraining "))
                .as("no profiles recorded, none replayed")
                .isEqualTo(2);
    }

    @Test
    void javaOnThePathBehindLinksIsFoundAndItsJdkRecognised() throws Exception {
        Path bin = dir.resolve("path-bin");
        Files.createDirectories(bin);
        Files.createSymbolicLink(bin.resolve("java"), jdk.resolve("bin/java"));
        Map<String, String> noJavaHome = noJavaHomeWithPath(dir.resolve("empty-bin") + "::" + bin + ":/usr/bin:/bin");

        Run first = regx(noJavaHome, "--version");
        assertThat(first.out()).isEqualTo("ran --version\n");
        awaitBuilder();
        List<String> archives = entries(".jsa");
        assertThat(archives).singleElement().asString().startsWith("regx-17-version-0-");
        assertThat(regx(noJavaHome, "--version").out()).isEqualTo("ran --version with " + archives.get(0) + "\n");
    }

    @Test
    void javaOnThePathThatIsNoLinkNamesItsJdkDirectly() throws Exception {
        Map<String, String> noJavaHome = noJavaHomeWithPath(jdk.resolve("bin") + ":/usr/bin:/bin");

        regx(noJavaHome, "--version");
        awaitBuilder();
        List<String> archives = entries(".jsa");
        assertThat(archives).singleElement().asString().startsWith("regx-17-version-0-");
        assertThat(regx(noJavaHome, "--version").out()).isEqualTo("ran --version with " + archives.get(0) + "\n");
    }

    private static Map<String, String> noJavaHomeWithPath(String path) {
        return Map.of("JAVA_HOME", "", "PATH", path);
    }

    @Test
    void noJavaAnywhereIsOneLineAndExit127() throws Exception {
        Run run = regx(Map.of("JAVA_HOME", "", "PATH", dir.resolve("empty-bin").toString()), "--version");

        assertThat(run.exitCode()).isEqualTo(127);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("regx: cannot find Java: install Java 17 or newer, or set JAVA_HOME\n");
    }

    @Test
    void aJavaHomeWithoutJavaIsOneLineAndExit127RatherThanTheJavaOnThePath() throws Exception {
        Path missing = dir.resolve("removed-jdk");
        Run run = regx(
                Map.of("JAVA_HOME", missing.toString(), "PATH", jdk.resolve("bin") + ":/usr/bin:/bin"), "--version");

        assertThat(run.exitCode()).isEqualTo(127);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .isEqualTo("regx: JAVA_HOME is set to " + missing + ", which has no bin/java; fix or unset it\n");
        assertThat(javaCalls("")).as("no java started").isZero();
    }

    @Test
    void theSameFileTypedAsARelativePathOrWithDotsAndSlashesSharesOneArchiveAndOneClassPath() throws Exception {
        Path bin = regx.getParent();
        Path sibling = dir.resolve("work");
        Files.createDirectories(sibling);
        Run first = regxAs("./regx", bin, Map.of(), "--version");
        awaitBuilder();
        List<String> archives = entries(".jsa");
        assertThat(archives).hasSize(1);

        Run fromSibling = regxAs("../bin/regx", sibling, Map.of(), "--version");
        Run doubled = regxAs("./bin//./regx", dir, Map.of(), "--version");
        Run absolute = regxAs(regx.toString(), sibling, Map.of(), "--version");
        awaitBuilder();

        assertThat(first.out()).isEqualTo("ran --version\n");
        assertThat(List.of(fromSibling, doubled, absolute))
                .extracting(Run::out)
                .containsOnly("ran --version with " + archives.get(0) + "\n");
        assertThat(paths(""))
                .as("one directory, one archive")
                .extracting(p -> cache.resolve("regx").relativize(p).toString())
                .containsExactly(
                        regx.toString().substring(1).replace('/', '%'),
                        regx.toString().substring(1).replace('/', '%') + "/" + archives.get(0));
        assertThat(Files.readAllLines(log))
                .as("every JVM, the builder's too, gets the same class path")
                .allMatch(call -> call.contains(" -cp " + regx + " ") || call.endsWith(" -cp " + regx));
    }

    @Test
    void aDotDotAfterALinkToADirectoryIsLeftAsTypedSinceItLeadsElsewhere() throws Exception {
        // work/link -> deep/down: from there ../bin/regx is deep/bin/regx, not work/bin/regx.
        Path down = dir.resolve("deep/down");
        Files.createDirectories(down);
        for (Path copy : List.of(dir.resolve("deep/bin/regx"), dir.resolve("work/bin/regx"))) {
            Files.createDirectories(copy.getParent());
            Files.copy(SCRIPT, copy);
            executable(copy);
        }
        Path link = dir.resolve("work/link");
        Files.createSymbolicLink(link, down);

        Run run = regxAs("../bin/regx", link, Map.of("REGX_CDS", "0"), "--version");

        assertThat(run.out()).isEqualTo("ran --version\n");
        assertThat(Files.readAllLines(log)).singleElement().asString().contains(" -cp " + link + "/../bin/regx ");
    }

    @Test
    void theSameFileRunFromTwoPathsKeepsAnArchiveForEach() throws Exception {
        Path other = dir.resolve("elsewhere/regx");
        Files.createDirectories(other.getParent());
        Files.createLink(other, regx);
        regx("--version");
        awaitBuilder();
        String here = entries(".jsa").get(0);

        ProcessBuilder pb = new ProcessBuilder(other.toString(), "--version");
        pb.environment()
                .putAll(Map.of(
                        "JAVA_HOME", jdk.toString(), "XDG_CACHE_HOME", cache.toString(), "FAKE_LOG", log.toString()));
        Process p = pb.start();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("ran --version\n");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        awaitBuilder();

        assertThat(paths(".jsa"))
                .hasSize(2)
                .extracting(a -> a.getParent().getFileName().toString())
                .containsExactly(
                        regx.toString().substring(1).replace('/', '%'),
                        other.toString().substring(1).replace('/', '%'));
        assertThat(regx("--version").out()).isEqualTo("ran --version with " + here + "\n");
    }

    @Test
    void theCacheKeepsTheSixteenArchivesBuiltLastWhateverPathsTheyServe() throws Exception {
        // Twenty archives of other paths (a CI runner's job workspaces), built 1 to 20 days ago.
        List<Path> others = new ArrayList<>();
        for (int age = 1; age <= 20; age++) {
            others.add(archiveBuilt(
                    age,
                    "regx/builds%job-" + age + "%regx/regx-17-short-0-1.2.3-4.5.6-13.jsa",
                    "archive-bytes".length()));
        }

        regx("--version");
        awaitBuilder();

        List<Path> kept = paths(".jsa");
        assertThat(kept).hasSize(16);
        assertThat(kept)
                .as("the one just built")
                .anyMatch(a -> a.startsWith(cache.resolve("regx")
                        .resolve(regx.toString().substring(1).replace('/', '%'))));
        assertThat(kept)
                .as("the fifteen newest of the others")
                .containsAll(others.subList(0, 15))
                .doesNotContainAnyElementsOf(others.subList(15, 20));
    }

    /** An archive at {@code path} in the cache, of {@code size} bytes (a sparse file), built {@code days} ago. */
    private Path archiveBuilt(int days, String path, long size) throws IOException {
        Path archive = cache.resolve(path);
        Files.createDirectories(archive.getParent());
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(archive.toFile(), "rw")) {
            file.setLength(size);
        }
        Files.setLastModifiedTime(
                archive,
                java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(java.time.Duration.ofDays(days))));
        return archive;
    }

    @Test
    void theCacheKeepsAtMost48MibOfArchivesTheOldestGoingFirst() throws Exception {
        // Five archives of 20 MB (sparse files, at the size their names say), built 1 to 5 days ago.
        long size = 20_000_000;
        List<Path> others = new ArrayList<>();
        for (int age = 1; age <= 5; age++) {
            others.add(archiveBuilt(
                    age, "regx/other%path%regx/regx-17-short-0-1.2." + age + "-4.5.6-" + size + ".jsa", size));
        }

        regx("--version");
        awaitBuilder();

        List<Path> kept = paths(".jsa");
        assertThat(kept)
                .as("the one just built and the two newest others: 40 MB and a few bytes")
                .hasSize(3)
                .containsAll(others.subList(0, 2))
                .doesNotContainAnyElementsOf(others.subList(2, 5));
    }

    @Test
    void extraJvmOptionsGetAnArchiveOfTheirOwnAndComeLast() throws Exception {
        regx("--version");
        awaitBuilder();
        Run run = regx(Map.of("REGX_JAVA_OPTS", "-Dx=1"), "--version");
        awaitBuilder();

        assertThat(run.out()).isEqualTo("ran --version\n");
        assertThat(entries(".jsa"))
                .hasSize(2)
                .anyMatch(n -> n.startsWith("regx-17-version-0-"))
                .anyMatch(n -> n.matches("regx-17-version-[1-9]\\d*-.*"));
        String withOptions =
                regx(Map.of("REGX_JAVA_OPTS", "-Dx=1"), "--version").out();
        assertThat(withOptions)
                .startsWith("ran --version with regx-17-version-")
                .doesNotContain("regx-17-version-0-");
        List<String> calls = Files.readAllLines(log);
        assertThat(calls.get(calls.size() - 1)).contains("-Dx=1 -cp ");
    }

    /**
     * JDK 24+ warns on stderr when zstd-jni loads its library (JEP 472) unless native access is enabled; a
     * module option, which an AOT cache made without it (or used without it) would not be used with.
     */
    @Test
    void onJdk24AndLaterNativeAccessIsEnabledAlikeWhenTheCacheIsRecordedCreatedAndUsedAndWithoutOne() throws Exception {
        jdk = fakeJdk("24.0.2");
        regx("ls", "x", "1");
        awaitBuilder();
        assertThat(regx("ls", "x", "1").out()).contains(" with regx-24-stream-0-");
        regx(Map.of("REGX_CDS", "0"), "ls", "x", "1");

        List<String> calls = Files.readAllLines(log);
        assertThat(calls).hasSize(5).allMatch(c -> c.contains(" --enable-native-access=ALL-UNNAMED "));
        assertThat(calls)
                .filteredOn(c -> c.contains("AOTMode=record") || c.contains("AOTMode=create"))
                .hasSize(2);
    }

    @Test
    void beforeJdk24NativeAccessIsLeftAlone() throws Exception {
        regx("ls", "x", "1");
        awaitBuilder();
        regx("ls", "x", "1");
        jdk = fakeJdk("23.0.2");
        regx("ls", "x", "1");
        awaitBuilder();
        regx(Map.of("REGX_CDS", "0"), "ls", "x", "1");

        assertThat(javaCalls("-Xshare:dump"))
                .as("the archives were built and used")
                .isEqualTo(2);
        assertThat(javaCalls("")).isEqualTo(8);
        assertThat(javaCalls("native-access")).isZero();
    }

    @ParameterizedTest
    @CsvSource({"17.0.12, jsa", "25.0.1, aot"})
    void aLoopbackOrInsecureRegistryGetsAnArchiveWithoutTls(String version, String ext) throws Exception {
        jdk = fakeJdk(version);
        String major = version.substring(0, 2);
        regx("layers", "127.0.0.1:5000/a:b");
        awaitBuilder();
        regx("layers", "--insecure", "registry.lan", "registry.lan/a:b");
        awaitBuilder();
        regx("layers", "docker.io/a:b");
        awaitBuilder();

        assertThat(entries("." + ext))
                .hasSize(2)
                .anyMatch(n -> n.startsWith("regx-" + major + "-short-plain-0-"))
                .anyMatch(n -> n.startsWith("regx-" + major + "-short-0-"));
        assertThat(trainingRuns("layers")).isEqualTo(1);
        assertThat(trainingRuns("layers,tls")).isEqualTo(1);
        assertThat(regx("layers", "localhost:5000/a").out()).contains(" with regx-" + major + "-short-plain-0-");
    }

    @Test
    void helpAndVersionGetAnArchiveEachHelpsTrainedOnHelpAndVersionsOnItsOwnRunAlone() throws Exception {
        regx("--version");
        awaitBuilder();
        regx("help");
        awaitBuilder();
        regx("layers", "docker.io/a:b");
        awaitBuilder();

        assertThat(entries(".jsa"))
                .hasSize(3)
                .anyMatch(n -> n.startsWith("regx-17-version-0-"))
                .anyMatch(n -> n.startsWith("regx-17-help-0-"))
                .anyMatch(n -> n.startsWith("regx-17-short-0-"));
        assertThat(trainingRuns("help")).isEqualTo(1);
        assertThat(trainingRuns("")).as("--version's, without a tour").isEqualTo(1);
        assertThat(trainingRuns("layers,tls")).isEqualTo(1);
        assertThat(javaCalls("dev.regx.startup.archive.Training")).isEqualTo(3);
        assertThat(regx("-V").out()).contains(" with regx-17-version-0-");
        assertThat(regx("layers", "--help").out()).contains(" with regx-17-short-0-");
        assertThat(regx("--help").out()).contains(" with regx-17-help-0-");
        assertThat(regx().out()).contains(" with regx-17-help-0-");
    }

    @Test
    void onJdk25TheStreamingCommandsKeepTheirMethodProfiles() throws Exception {
        jdk = fakeJdk("25.0.1");
        regx("save", "docker.io/a:b", "0");
        awaitBuilder();

        assertThat(trainingRuns("stream,tls")).isEqualTo(1);
        assertThat(javaCalls("AOTRecordTraining")).isZero();
        assertThat(entries(".aot")).singleElement().asString().startsWith("regx-25-stream-0-");
        assertThat(regx("save", "docker.io/a:b", "0").out()).contains(" with regx-25-stream-0-");
        assertThat(javaCalls("AOTReplayTraining")).as("and replays them").isZero();
    }

    @Test
    void streamingCommandsGetAnArchiveOfTheirOwnTrainedOnTheirTour() throws Exception {
        regx("layers", "x");
        awaitBuilder();
        regx("save", "x", "0");
        awaitBuilder();

        assertThat(entries(".jsa"))
                .hasSize(2)
                .anyMatch(n -> n.startsWith("regx-17-short-0-"))
                .anyMatch(n -> n.startsWith("regx-17-stream-0-"));
        assertThat(trainingRuns("layers,tls")).isEqualTo(1);
        assertThat(trainingRuns("stream,tls")).isEqualTo(1);
        assertThat(regx("ls", "x", "0").out()).startsWith("ran ls x 0 with regx-17-stream-0-");
        assertThat(regx("layers", "x").out()).startsWith("ran layers x with regx-17-short-0-");
        // The commands that read only documents start as layers does, from its archive.
        for (String command : List.of("manifest", "config", "platforms", "tags", "digest")) {
            assertThat(regx(command, "x").out()).startsWith("ran " + command + " x with regx-17-short-0-");
        }
    }

    @Test
    void aCollectorChosenInRegxJavaOptsReplacesOurs() throws Exception {
        regx(Map.of("REGX_CDS", "0", "REGX_JAVA_OPTS", "-Dx=1 -XX:+UseParallelGC"), "layers", "x");
        regx(Map.of("REGX_JAVA_OPTS", "-XX:+UseZGC"), "save", "x", "0");

        List<String> calls = Files.readAllLines(log);
        assertThat(calls.get(0))
                .contains("-XX:+UseParallelGC")
                .doesNotContain("G1")
                .doesNotContain("Serial");
        assertThat(calls.get(1)).contains("-XX:+UseZGC").doesNotContain("G1").doesNotContain("Serial");
    }

    @Test
    void shortCommandsGetC1WithOneCompilerThreadAndG1AndStreamingCommandsTheFullJitAndTheSerialGc() throws Exception {
        regx(Map.of("REGX_CDS", "0"), "layers", "x");
        regx(Map.of("REGX_CDS", "0"), "save", "x", "0");

        List<String> calls = Files.readAllLines(log);
        assertThat(calls.get(0))
                .contains("-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1")
                .contains("-XX:+UseG1GC -Xmx1g")
                .contains("-cp " + regx + " dev.regx.cli.Main layers x");
        assertThat(calls.get(1))
                .doesNotContain("TieredStopAtLevel")
                .contains("-XX:+UseSerialGC")
                .contains("dev.regx.cli.Main save x 0");
    }

    /**
     * The launcher's guess, from the raw arguments, of a registry reached over plain HTTP is the only one: regx
     * is told it (-Dregx.plainHttp=true) and then warms up without the TLS context, whatever the command.
     */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "layers 127.0.0.1:5000/a/b:c | true",
                "layers localhost:5000/a | true",
                "ls [::1]:5000/a 0 | true",
                "layers --insecure registry.lan:5000 registry.lan:5000/a | true",
                "save --insecure=registry.lan registry.lan/a 0 | true",
                "layers alpine:3.19 | false",
                "save ghcr.io/org/img@sha256:00 0 -o out/ | false",
                "--version | false"
            })
    void aRegistryReachedOverPlainHttpIsSaidToRegxAsAProperty(String args, boolean plain) throws Exception {
        regx(Map.of("REGX_CDS", "0"), args.split(" "));

        assertThat(Files.readAllLines(log))
                .singleElement()
                .asString()
                .satisfies(call -> assertThat(call.contains(" -Dregx.plainHttp=true "))
                        .as(call)
                        .isEqualTo(plain))
                .endsWith(" dev.regx.cli.Main " + args);
    }
}
