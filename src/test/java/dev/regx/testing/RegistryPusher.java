package dev.regx.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Pushes fixture blobs and manifests into a {@link LocalRegistry}, with or without token auth. Test set-up
 * code, deliberately independent of the product's registry client (a bug there must not hide itself by
 * pushing broken fixtures the same broken way): plain {@link HttpClient}, and it does the token dance
 * itself, as {@link TokenServer#ADMIN_USER}, asking for {@code repository:NAME:pull,push}.
 *
 * <p>Blobs go up monolithically ({@code POST /v2/NAME/blobs/uploads/}, then {@code PUT <Location>&digest=…})
 * after a {@code HEAD} says they are not already there. Every method throws {@link UncheckedIOException} on
 * an unexpected answer, with the registry's body in the message.
 */
public final class RegistryPusher {
    private final URI base;
    private final RawRegistryClient http;

    public RegistryPusher(LocalRegistry registry) {
        this.base = registry.baseUri();
        this.http = new RawRegistryClient(
                base,
                TokenServer.ADMIN_USER,
                TokenServer.ADMIN_PASSWORD,
                "pull,push",
                registry.tls().map(TlsCertificate::clientContext).orElse(null));
    }

    /** For a registry at {@code base} whose token realm knows {@code username}. */
    public RegistryPusher(URI base, String username, String password) {
        this.base = base;
        this.http = new RawRegistryClient(base, username, password, "pull,push");
    }

    /** Uploads {@code content} unless the registry has it already; returns its digest. */
    public String pushBlob(String repository, byte[] content) {
        String digest = Digests.sha256(content);
        pushBlob(repository, digest, () -> HttpRequest.BodyPublishers.ofByteArray(content));
        return digest;
    }

    /** Uploads a layer (in memory or in a file); returns its digest. */
    public String pushLayer(String repository, Layer layer) {
        if (layer.bytes() != null) {
            return pushBlob(repository, layer.bytes());
        }
        pushBlob(repository, layer.digest(), () -> {
            try {
                return HttpRequest.BodyPublishers.ofFile(layer.file());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return layer.digest();
    }

    public boolean blobExists(String repository, String digest) {
        HttpResponse<String> r = send(
                repository,
                () -> HttpRequest.newBuilder(url(repository, "blobs/" + digest))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        // With the redirect middleware even HEAD answers 307 to the blob server: the blob is there.
        return r.statusCode() == 200 || r.statusCode() == 307;
    }

    private void pushBlob(String repository, String digest, Supplier<HttpRequest.BodyPublisher> body) {
        if (blobExists(repository, digest)) {
            return;
        }
        HttpResponse<String> started = send(
                repository,
                () -> HttpRequest.newBuilder(url(repository, "blobs/uploads/"))
                        .POST(HttpRequest.BodyPublishers.noBody()));
        expect(started, 202, "start upload of " + digest + " to " + repository);
        String location = started.headers()
                .firstValue("Location")
                .orElseThrow(() -> new UncheckedIOException(new IOException("upload answer has no Location")));
        // Location may be relative or absolute, and already carries ?_state=…: add the digest with & then.
        URI upload = base.resolve(location);
        String put = upload + (upload.getRawQuery() == null ? "?" : "&") + "digest="
                + URLEncoder.encode(digest, StandardCharsets.UTF_8);
        HttpResponse<String> done = send(
                repository,
                () -> HttpRequest.newBuilder(URI.create(put))
                        .header("Content-Type", "application/octet-stream")
                        .PUT(body.get()));
        expect(done, 201, "finish upload of " + digest + " to " + repository);
    }

    /** {@code PUT /v2/NAME/manifests/REFERENCE}; returns the digest the registry computed. */
    public String pushManifest(String repository, String reference, String mediaType, byte[] manifest) {
        HttpResponse<String> r = send(
                repository,
                () -> HttpRequest.newBuilder(url(repository, "manifests/" + reference))
                        .header("Content-Type", mediaType)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
        expect(r, 201, "put manifest " + repository + ":" + reference);
        String expected = Digests.sha256(manifest);
        String got = r.headers().firstValue("Docker-Content-Digest").orElse(expected);
        if (!got.equals(expected)) {
            throw new IllegalStateException("registry says manifest digest " + got + ", we computed " + expected);
        }
        return got;
    }

    /** Layers, config, then the manifest under {@code tag} (or only by digest when {@code tag} is null). */
    public PushedImage push(String repository, String tag, TestImage image) {
        for (TestImage.ImageLayer l : image.layers()) {
            pushLayer(repository, l.layer());
        }
        pushBlob(repository, image.config());
        pushManifest(
                repository, tag != null ? tag : image.manifestDigest(), image.manifestMediaType(), image.manifest());
        return new PushedImage(hostOf(), repository, tag, image);
    }

    /** Every entry's image (by digest), then the index under {@code tag}. */
    public PushedIndex push(String repository, String tag, TestIndex index) {
        List<PushedImage> children = new ArrayList<>();
        for (TestIndex.Entry e : index.entries()) {
            children.add(push(repository, null, e.image()));
        }
        pushManifest(repository, tag, index.mediaType(), index.manifest());
        return new PushedIndex(hostOf(), repository, tag, index, children);
    }

    private String hostOf() {
        return base.getAuthority();
    }

    private URI url(String repository, String rest) {
        return http.url(repository, rest);
    }

    private HttpResponse<String> send(String repository, Supplier<HttpRequest.Builder> request) {
        return http.send(repository, request, HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(HttpResponse<String> r, int status, String what) {
        if (r.statusCode() != status) {
            throw new UncheckedIOException(new IOException(what + ": HTTP " + r.statusCode() + " " + r.body()));
        }
    }
}
