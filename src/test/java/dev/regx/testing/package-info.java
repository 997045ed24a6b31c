/**
 * Integration-test infrastructure: a real registry (Debian's {@code docker-registry}, distribution 2.8) on
 * 127.0.0.1 with a real token server, and deterministic fixture images. Test scope only; the product knows
 * nothing of it.
 *
 * <ul>
 *   <li>{@link dev.regx.testing.SharedRegistry#get()}: one token-auth registry per JVM with the
 *       {@link dev.regx.testing.Fixtures} pushed. Use it in read-only tests.</li>
 *   <li>{@link dev.regx.testing.LocalRegistry} + {@link dev.regx.testing.TokenServer} (+
 *       {@link dev.regx.testing.BlobRedirectServer}): your own, when a test changes behaviour or inspects
 *       request logs. Starting a registry takes tens of milliseconds.</li>
 *   <li>{@link dev.regx.testing.RequiresRegistry}: put it on integration test classes; without
 *       {@code docker-registry} they are skipped, or fail when {@code CI} is set.</li>
 *   <li>{@link dev.regx.testing.LayerBuilder}, {@link dev.regx.testing.TestImage},
 *       {@link dev.regx.testing.TestIndex}, {@link dev.regx.testing.RegistryPusher}: make and push images of
 *       your own; {@link dev.regx.testing.RawRegistryClient} reads them back independently of the product.</li>
 *   <li>{@link dev.regx.testing.LocalRegistryMain} behind {@code src/scripts/local-registry}: the same, by hand.</li>
 * </ul>
 *
 * Facts about distribution 2.8 these classes rely on are in the tests beside them: it verifies the JWT's
 * x5c chain, {@code aud} and scope, allows 60 s past {@code exp}, answers 404 for an OCI manifest whose
 * media type is not in {@code Accept}, and with the {@code redirect} middleware answers 307 to blob GET and
 * HEAD alike.
 */
package dev.regx.testing;
