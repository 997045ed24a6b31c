package dev.regx.cli;

import dev.regx.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** A Docker config that logs {@link Fixtures#ALICE} in to one registry: what opens the private fixture. */
final class AliceConfig {
    private AliceConfig() {}

    static void write(Path dockerConfigDir, String registry) throws IOException {
        String auth = Base64.getEncoder()
                .encodeToString((Fixtures.ALICE + ":" + Fixtures.ALICE_PASSWORD).getBytes(StandardCharsets.UTF_8));
        Files.writeString(
                dockerConfigDir.resolve("config.json"),
                "{\"auths\":{\"" + registry + "\":{\"auth\":\"" + auth + "\"}}}");
    }
}
