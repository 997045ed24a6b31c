package dev.regx.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regx.testing.Fixtures;
import dev.regx.testing.PushedImage;
import dev.regx.testing.RequiresRegistry;
import dev.regx.testing.SharedRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file users install, {@code target/regx} (the launcher with the shaded jar appended), run as a program
 * against the test registry. Every other test runs regx from the build's classes and its dependencies' jars;
 * only this one shows that the shipped file, as the build assembles it (shading, the class-file upgrade of
 * picocli, the launcher in front), runs every command with what they load: picocli, Jackson, commons-compress's
 * tar and gzip, zstd-jni and its pure-Java fallback, the progress bar and jline. Run by failsafe after
 * {@code package}.
 */
@RequiresRegistry
class PackagedRegxIT {
    static final SharedRegistry shared = SharedRegistry.get();
    static final Path REGX =
            Path.of(System.getProperty("regx.packaged", "target/regx")).toAbsolutePath();

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {}

    @Test
    void printsItsVersionAndHelp() throws Exception {
        assertThat(regx("--version").out()).isEqualTo("regx " + System.getProperty("regx.version") + "\n");

        Run help = regx("help", "layers");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).startsWith("Usage: regx layers ");
    }

    @Test
    void listsTheLayersOfAnImageAsATableAndAsJson() throws Exception {
        PushedImage composer = shared.fixtures().composer();

        Run table = regx("layers", composer.reference());
        Run json = regx("layers", "--json", composer.reference());

        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(json.exitCode()).as(json.err()).isZero();
        for (var layer : composer.image().layers()) {
            assertThat(table.out()).contains(layer.digest());
            assertThat(json.out()).contains("\"" + layer.digest() + "\"");
        }
    }

    @Test
    void listsGzipZstdAndUncompressedLayersAndTheMergedView() throws Exception {
        String formats = shared.fixtures().formats().reference();

        Run gzip = regx("ls", formats, "0");
        Run zstd = regx("ls", formats, "1");
        Run zstdInJava = regx(Map.of("REGX_JAVA_OPTS", "-Dregx.zstd.pure=true"), "ls", formats, "1");
        Run plain = regx("ls", formats, "2");
        Run merged = regx("ls", "--json", formats);

        assertThat(List.of(gzip, zstd, zstdInJava, plain, merged))
                .allSatisfy(r -> assertThat(r.exitCode()).as(r.err()).isZero());
        assertThat(gzip.out()).contains(Fixtures.Formats.REPLACED_FILE);
        assertThat(zstd.out()).contains(Fixtures.Formats.LONG_NAME_GNU);
        assertThat(zstd.err()).as("nothing from loading zstd-jni's library").isEmpty();
        assertThat(zstdInJava.out()).isEqualTo(zstd.out());
        assertThat(plain.out()).contains(Fixtures.Formats.ADDED_UNDER_OPAQUE);
        assertThat(merged.out())
                .contains("\"" + Fixtures.Formats.ADDED_UNDER_OPAQUE + "\"")
                .doesNotContain("\"" + Fixtures.Formats.WHITED_OUT_FILE + "\"");
    }

    /**
     * JDK 24+ prints four lines of WARNING when zstd-jni loads its library (JEP 472) unless the launcher enables
     * native access; an option about modules, which the AOT cache must be made with too, or it would not be used
     * (a mismatched module option disables the archived module graph, and with it the cache). Run on a JDK 24 or
     * later installed beside the one running the tests, if there is one: without the cache, then with the one the
     * first run built, then with the JVM's own log of that cache and of where each class came from (through
     * JDK_JAVA_OPTIONS, which the launcher does not see, so it picks the same cache).
     */
    @Test
    void onJdk24AndLaterAZstdLayerIsListedWithoutWarningsWithTheAotCacheAndItsModuleGraphInUse() throws Exception {
        Path jdk = jdk24OrLater();
        assumeTrue(jdk != null, "no JDK 24 or later beside " + System.getProperty("java.home"));
        String formats = shared.fixtures().formats().reference();
        Path cache = dir.resolve("cache");
        Map<String, String> env =
                Map.of("JAVA_HOME", jdk.toString(), "REGX_CDS", "1", "XDG_CACHE_HOME", cache.toString());

        Run first = regx(env, "ls", formats, "1");
        awaitCache(cache);
        Run second = regx(env, "ls", formats, "1");
        Path aotLog = dir.resolve("aot.log");
        Path classLog = dir.resolve("classes.log");
        String logOption = "-Xlog:aot=info:file=" + aotLog + " -Xlog:class+load=info:file=" + classLog;
        Run logged = regx(
                Map.of(
                        "JAVA_HOME",
                        jdk.toString(),
                        "REGX_CDS",
                        "1",
                        "XDG_CACHE_HOME",
                        cache.toString(),
                        "JDK_JAVA_OPTIONS",
                        logOption),
                "ls",
                formats,
                "1");

        assertThat(List.of(first, second, logged))
                .allSatisfy(r -> assertThat(r.exitCode()).as(r.err()).isZero());
        assertThat(first.out()).contains(Fixtures.Formats.LONG_NAME_GNU);
        assertThat(List.of(second.out(), logged.out())).containsOnly(first.out());
        assertThat(first.err()).as("without the cache").isEmpty();
        assertThat(second.err()).as("with the cache").isEmpty();
        assertThat(logged.err()).isEqualTo("NOTE: Picked up JDK_JAVA_OPTIONS: " + logOption + "\n");
        assertThat(Files.readString(aotLog))
                .contains("full module graph: enabled", "Using AOT-linked classes: true")
                .doesNotContain("Mismatched");
        assertThat(Files.readString(classLog))
                .as("the builder's tour (dev.regx.startup.archive.Training) covered ls")
                .contains(
                        "dev.regx.cli.LsCommand source: shared objects file",
                        "dev.regx.layer.LayerReader source: shared objects file");
    }

    /** A JDK of release 24 or later in the directory that holds the one running the tests (/usr/lib/jvm), or null. */
    private static Path jdk24OrLater() throws IOException {
        Path jdks = Path.of(System.getProperty("java.home")).toRealPath().getParent();
        try (var candidates = Files.list(jdks)) {
            for (Path jdk : candidates.sorted().toList()) {
                Path release = jdk.resolve("release");
                if (!Files.isExecutable(jdk.resolve("bin/java")) || !Files.isReadable(release)) {
                    continue;
                }
                for (String line : Files.readAllLines(release)) {
                    Matcher major = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(line);
                    if (major.lookingAt() && Integer.parseInt(major.group(1)) >= 24) {
                        return jdk;
                    }
                }
            }
        }
        return null;
    }

    /** Waits for the launcher's background builder to have written its AOT cache and let go of its lock. */
    private static void awaitCache(Path cache) throws IOException, InterruptedException {
        for (int i = 0; i < 1200; i++) {
            if (Files.isDirectory(cache)) {
                try (var files = Files.walk(cache)) {
                    List<String> names =
                            files.map(f -> f.getFileName().toString()).toList();
                    if (names.stream().anyMatch(n -> n.endsWith(".aot"))
                            && names.stream().noneMatch(n -> n.endsWith(".lock"))) {
                        return;
                    }
                } catch (java.io.UncheckedIOException e) {
                    // the builder renamed or removed a file while we looked: look again
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no AOT cache in " + cache + " after 120 s");
    }

    /**
     * A class-data archive damaged on disk (truncated, overwritten in place at its size, zero-filled) costs speed,
     * never correctness: the command succeeds, no JVM crash log lands in the current directory, and the archive is
     * built again. On the JDK running the tests (17) and on a JDK 24 or later beside it (its AOT cache), if any;
     * --version's archive for every kind of damage, help's for one. A copy of the regx file made an hour ago:
     * damage comes long after the file it was made for.
     */
    @Test
    void aDamagedArchiveIsNeitherUsedNorLeftAndTheCommandSucceeds() throws Exception {
        List<Path> jdks = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"))));
        Path newer = jdk24OrLater();
        if (newer != null) {
            jdks.add(newer);
        }
        Path copy = dir.resolve("bin/regx");
        Files.createDirectories(copy.getParent());
        Files.copy(REGX, copy);
        Files.setLastModifiedTime(copy, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        String version = regx("--version").out();
        for (Path jdk : jdks) {
            Path cache = dir.resolve("cache-" + jdk.getFileName());
            Map<String, String> env =
                    Map.of("JAVA_HOME", jdk.toString(), "REGX_CDS", "1", "XDG_CACHE_HOME", cache.toString());
            for (String damage : List.of("truncated", "overwritten", "zeroed")) {
                runsDespiteDamage(copy, env, cache, damage, version, "--version");
            }
            runsDespiteDamage(copy, env, cache, "overwritten", null, "--help");
        }
    }

    private void runsDespiteDamage(
            Path regx, Map<String, String> env, Path cache, String damage, String expected, String... args)
            throws Exception {
        String group = args[0].equals("--version") ? "version" : "help";
        Run first = regxFile(regx, env, args);
        Path archive = awaitArchive(cache, regx, group);
        long size = Files.size(archive);
        try (FileChannel file = FileChannel.open(archive, StandardOpenOption.WRITE)) {
            switch (damage) {
                case "truncated" -> file.truncate(size / 2);
                case "overwritten" ->
                    file.write(
                            ByteBuffer.wrap(new Random(7)
                                    .ints(4096, 0, 256)
                                    .collect(ByteArrayOutputStream::new, ByteArrayOutputStream::write, (a, b) -> {})
                                    .toByteArray()),
                            size / 2);
                case "zeroed" -> file.write(ByteBuffer.allocate((int) size), 0);
                default -> throw new IllegalArgumentException(damage);
            }
        }

        Run damaged = regxFile(regx, env, args);

        String what = String.join(" ", args) + " on " + env.get("JAVA_HOME") + " with an archive " + damage
                + " (regx's time " + Files.getLastModifiedTime(regx).toMillis() / 1000 + ")";
        assertThat(damaged.exitCode()).as(what + ": " + damaged.err()).isZero();
        assertThat(damaged.out()).as(what).isEqualTo(expected == null ? first.out() : expected);
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).as(what).noneMatch(n -> n.startsWith("hs_err"));
        }
        Path rebuilt = awaitArchive(cache, regx, group);
        // Rebuilt whole (an AOT cache's size varies a little from one build to the next).
        assertThat(Files.size(rebuilt)).as(what + ": rebuilt").isBetween(size * 9 / 10, size * 11 / 10);
    }

    /**
     * The archive of {@code group} the launcher's builder made for {@code regx}, whole and undamaged: its time is
     * {@code regx}'s (see the launcher).
     */
    private static Path awaitArchive(Path cache, Path regx, String group) throws Exception {
        long wanted = Files.getLastModifiedTime(regx).toMillis() / 1000;
        for (int i = 0; i < 1200; i++) {
            if (Files.isDirectory(cache)) {
                try (var files = Files.walk(cache)) {
                    List<Path> all = files.toList();
                    if (all.stream().noneMatch(f -> f.toString().endsWith(".lock"))) {
                        for (Path f : all) {
                            String n = f.getFileName().toString();
                            if ((n.endsWith(".jsa") || n.endsWith(".aot"))
                                    && n.contains("-" + group + "-")
                                    && Files.getLastModifiedTime(f).toMillis() / 1000 == wanted) {
                                return f;
                            }
                        }
                    }
                } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
                    // the builder renamed or removed a file while we looked: look again
                }
            }
            Thread.sleep(100);
        }
        try (var files = Files.walk(cache)) {
            throw new IllegalStateException("no archive for " + regx + " in " + cache + " after 120 s: "
                    + files.map(f -> f.getFileName() + " " + f.toFile().lastModified() / 1000)
                            .toList());
        }
    }

    @Test
    void savesALayerBlobWithAProgressBar() throws Exception {
        PushedImage composer = shared.fixtures().composer();

        Run save = regx("save", "--progress=always", composer.reference(), "0");

        assertThat(save.exitCode()).as(save.err()).isZero();
        Path saved = dir.resolve("smoshysmosh-composer-latest-0.tar.gzip");
        assertThat("sha256:" + sha256(Files.readAllBytes(saved)))
                .isEqualTo(composer.image().layer(0).digest());
        assertThat(save.err()).contains("100%");
    }

    /**
     * What falls back silently when missing, so the commands above would not show it: zstd-jni's classes
     * (without them regx quietly decodes zstd in Java, 2-3x slower) and jline's terminal provider, which is
     * named in a resource and loaded by name (without it the progress bar does not know the terminal's width).
     * Checked in the shipped jar itself, loaded apart from the test class path.
     */
    @Test
    void theShippedJarDecodesZstdNativelyAndFindsJlinesTerminalProvider() throws Exception {
        try (URLClassLoader shipped =
                new URLClassLoader(new URL[] {REGX.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Class<?> zstd = Class.forName("dev.regx.layer.ZstdDecoder", true, shipped);
            assertThat(zstd.getMethod("usesNative").invoke(null)).isEqualTo(true);

            // jline looks providers up through the context class loader.
            Thread thread = Thread.currentThread();
            ClassLoader context = thread.getContextClassLoader();
            thread.setContextClassLoader(shipped);
            try {
                Class<?> providers = Class.forName("org.jline.terminal.spi.TerminalProvider", true, shipped);
                Object exec = providers.getMethod("load", String.class).invoke(null, "exec");
                assertThat(exec.getClass().getName()).isEqualTo("org.jline.terminal.impl.exec.ExecTerminalProvider");
            } finally {
                thread.setContextClassLoader(context);
            }
        }
    }

    private Run regx(String... args) throws IOException, InterruptedException {
        return regx(Map.of(), args);
    }

    /** Runs the packaged regx on the JDK running the tests, without a class-data archive (no background builds). */
    private Run regx(Map<String, String> extraEnv, String... args) throws IOException, InterruptedException {
        return regxFile(REGX, extraEnv, args);
    }

    /** As {@link #regx(Map, String...)}, the launcher being {@code regx}. */
    private Run regxFile(Path regx, Map<String, String> extraEnv, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(regx.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("REGX_CDS", "0");
        env.put("HOME", dir.toString());
        env.put("DOCKER_CONFIG", dir.resolve("docker").toString());
        env.remove("REGX_JAVA_OPTS");
        env.putAll(extraEnv);
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("regx " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Run(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
