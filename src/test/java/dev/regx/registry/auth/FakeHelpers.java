package dev.regx.registry.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes fake {@code docker-credential-*} shell scripts into a directory used as the search path. */
final class FakeHelpers {
    private final Path dir;

    FakeHelpers(Path dir) {
        this.dir = dir;
    }

    String searchPath() {
        return dir.toString();
    }

    /** Writes {@code docker-credential-NAME} with {@code body} after a shebang, executable. */
    Path write(String name, String body) throws IOException {
        Path script = dir.resolve("docker-credential-" + name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    /**
     * A helper that insists on the argument {@code get}, records what it read on stdin in
     * {@code NAME.stdin} (and appends a line to {@code NAME.calls} per run) and answers with the given
     * username and secret.
     */
    Path answering(String name, String username, String secret) throws IOException {
        return write(
                name,
                ""
                        + "[ \"$1\" = get ] || { echo \"unexpected argument $1\" >&2; exit 3; }\n"
                        + "url=$(cat)\n"
                        + "printf '%s' \"$url\" > '" + dir.resolve(name + ".stdin") + "'\n"
                        + "echo run >> '" + dir.resolve(name + ".calls") + "'\n"
                        + "printf '{\"ServerURL\":\"%s\",\"Username\":\"" + username + "\",\"Secret\":\"" + secret
                        + "\"}\\n' \"$url\"");
    }

    /** What the helper {@code name} made by {@link #answering} last read on stdin. */
    String stdinSeen(String name) throws IOException {
        return Files.readString(dir.resolve(name + ".stdin"));
    }

    /** How many times the helper {@code name} made by {@link #answering} ran. */
    long calls(String name) throws IOException {
        Path calls = dir.resolve(name + ".calls");
        return Files.exists(calls) ? Files.readAllLines(calls).size() : 0;
    }
}
