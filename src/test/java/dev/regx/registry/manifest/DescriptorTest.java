package dev.regx.registry.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regx.registry.RegistryException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DescriptorTest {
    private static JsonNode descriptor(String digest) throws Exception {
        return new ObjectMapper()
                .readTree("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + digest
                        + "\",\"size\":3}");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "sha384:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "md5:0123456789abcdef0123456789abcdef",
                "sha256:0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF",
                "sha256:0123",
                "sha256:../x"
            })
    void aDigestRegxCannotVerifyIsAMalformedAnswer(String digest) {
        assertThatThrownBy(() -> Descriptor.read(descriptor(digest), "layer 0"))
                .isInstanceOfSatisfying(
                        RegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.MALFORMED_RESPONSE))
                .hasMessageStartingWith("layer 0 ");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "sha512:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                        + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
            })
    void sha256AndSha512InLowerCaseHexAreRead(String digest) throws Exception {
        assertThat(Descriptor.read(descriptor(digest), "layer 0").digest()).isEqualTo(digest);
    }
}
