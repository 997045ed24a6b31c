/**
 * The registry client the commands use: {@link dev.regx.registry.client.RegistryClient} resolves references to
 * manifests and configs and opens blobs, over {@link dev.regx.registry.client.RegistryTransport}'s authenticated
 * requests (the token flow, redirects, retries). It sits above the other registry packages, so they can be used
 * and tested without it: the blob readers take a {@link dev.regx.registry.blob.BlobSource}, the manifest resolver
 * a manifest source.
 */
package dev.regx.registry.client;
