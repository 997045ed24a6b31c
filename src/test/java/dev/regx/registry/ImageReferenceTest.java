package dev.regx.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {
    private static final String DIGEST = "sha256:0b342bf7e74f3b5e1e6e0c1c1b0d6f1a2e3c4d5e6f708192a3b4c5d6e7f80910";

    @ParameterizedTest(name = "{0} -> {1} {2} {3}")
    @CsvSource({
        "alpine,                     docker.io,     library/alpine,       latest",
        "alpine:3.19,                docker.io,     library/alpine,       3.19",
        "smoshysmosh/composer:latest, docker.io,    smoshysmosh/composer, latest",
        "docker.io/alpine,           docker.io,     library/alpine,       latest",
        "index.docker.io/library/alpine:edge, docker.io, library/alpine,  edge",
        "ghcr.io/org/team/img:1,     ghcr.io,       org/team/img,         1",
        "localhost:5000/foo,         localhost:5000, foo,                 latest",
        "localhost/foo,              localhost,     foo,                  latest",
        "127.0.0.1:5000/a/b:v1.2-rc_3, 127.0.0.1:5000, a/b,               v1.2-rc_3",
        "[::1]:5000/foo:bar,         [::1]:5000,    foo,                  bar",
        "my.registry/a.b/c__d/e---f, my.registry,   a.b/c__d/e---f,       latest",
    })
    void appliesDockersDefaults(String input, String registry, String repository, String tag) {
        ImageReference ref = ImageReference.parse(input);
        assertThat(ref.registry()).isEqualTo(registry);
        assertThat(ref.repository()).isEqualTo(repository);
        assertThat(ref.effectiveTag()).contains(tag);
        assertThat(ref.manifestReference()).isEqualTo(tag);
    }

    @Test
    void dockerHubIsServedByRegistryOne() {
        assertThat(ImageReference.parse("alpine").apiHost()).isEqualTo("registry-1.docker.io");
        assertThat(ImageReference.parse("ghcr.io/a/b").apiHost()).isEqualTo("ghcr.io");
        assertThat(ImageReference.parse("alpine")).hasToString("docker.io/library/alpine:latest");
    }

    @Test
    void digestReferenceHasNoTagAndFetchesByDigest() {
        ImageReference ref = ImageReference.parse("host:5000/foo@" + DIGEST);
        assertThat(ref.registry()).isEqualTo("host:5000");
        assertThat(ref.tag()).isEmpty();
        assertThat(ref.effectiveTag()).isEmpty();
        assertThat(ref.digest()).contains(DIGEST);
        assertThat(ref.manifestReference()).isEqualTo(DIGEST);
        assertThat(ref).hasToString("host:5000/foo@" + DIGEST);
    }

    @Test
    void tagAndDigestTogetherKeepTheTagForNamesAndFetchByDigest() {
        ImageReference ref = ImageReference.parse("name:tag@" + DIGEST);
        assertThat(ref.repository()).isEqualTo("library/name");
        assertThat(ref.tag()).contains("tag");
        assertThat(ref.manifestReference()).isEqualTo(DIGEST);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Foo/Bar                 | must be lower case",
                "docker.io/Library/alpine | must be lower case",
                "''                      | is empty",
                "alpine:                 | tag \"\"",
                "alpine:-bad             | tag \"-bad\"",
                "a//b                    | empty path component",
                "/alpine                 | empty path component",
                "alpine@sha256:abc       | exactly 64",
                "alpine@md5:0123456789abcdef0123456789abcdef | not supported",
                "alpine@nodigest         | not of the form",
                "host:99999/foo          | port",
                "host:0/foo              | from 1 to 65535",
                "127.0.0.1:5000          | names a registry but no repository; write 127.0.0.1:5000/REPOSITORY[:TAG]",
                "localhost:5000          | names a registry but no repository",
                "10.1.2.3                | names a registry but no repository",
                "127.0.0.1:5000@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef | write 127.0.0.1:5000/REPOSITORY[:TAG]",
                "-bad.io/foo             | not a valid host",
                "foo/bar_-baz            | may only hold",
                "' alpine'               | white space",
                ":tag                    | repository name is empty",
            })
    void rejectsMalformedReferencesQuotingTheInput(String input, String why) {
        assertThatThrownBy(() -> ImageReference.parse(input))
                .isInstanceOfSatisfying(
                        RegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.INVALID_REFERENCE))
                .hasMessageContaining("\"" + input + "\"")
                .hasMessageContaining(why);
    }

    @Test
    void upperCaseFirstComponentIsARegistryHostAsInDocker() {
        // Docker treats "Registry.Example/foo" as a registry because of the dot; upper case there is legal.
        assertThat(ImageReference.parse("Registry.Example/foo").registry()).isEqualTo("Registry.Example");
    }

    @Test
    void aBlobIsNamedInMessagesWithTheRegistryAsWrittenAndTheRepositoryPath() {
        assertThat(ImageReference.parse("alpine:3.19").blobName("sha256:00"))
                .isEqualTo("blob sha256:00 of docker.io/library/alpine");
        assertThat(ImageReference.parse("localhost:5000/team/app@sha256:" + "a".repeat(64))
                        .blobName("sha256:11"))
                .isEqualTo("blob sha256:11 of localhost:5000/team/app");
    }

    @Test
    void onlyAnIpv6AddressMayStandInBrackets() {
        // Found by ImageReferenceFuzzTest: anything but ']' was taken as the host between the brackets.
        assertThat(ImageReference.parse("[::1]:5000/a/b").registry()).isEqualTo("[::1]:5000");
        assertThat(ImageReference.parse("[::ffff:10.0.0.1]/a").registry()).isEqualTo("[::ffff:10.0.0.1]");
        for (String bad : new String[] {"[:: 1]:5000/a", "[::1\u001b]/a", "[]/a", "[a@b]:1/a", "[::1%eth0]/a"}) {
            assertThatThrownBy(() -> ImageReference.parse(bad))
                    .isInstanceOfSatisfying(
                            RegistryException.class,
                            e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.INVALID_REFERENCE));
        }
    }

    @Test
    void aDockerHubNameTooLongOnceLibraryIsAddedIsRefusedSinceItCouldNotBeReadBack() {
        // Found by ImageReferenceFuzzTest: 250 characters passed, "library/" + them (258) did not.
        String name = "a".repeat(250);
        assertThatThrownBy(() -> ImageReference.parse(name))
                .isInstanceOfSatisfying(
                        RegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.INVALID_REFERENCE));
        assertThat(ImageReference.parse("a".repeat(247)).repository()).hasSize(255);
        assertThat(ImageReference.parse("ns/" + name).repository()).hasSize(253);
    }
}
