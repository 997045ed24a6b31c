package dev.regx.build;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Build step (run by maven-antrun-plugin on the shaded jar, before the launcher is prepended):
 * rewrites class files older than Java 6 (major version &lt; 50) to version 50 <em>with computed
 * StackMapTable frames</em>, so that class-data sharing can archive them.
 *
 * <p>Why: picocli 4.7 is compiled for Java 5 (major 49). HotSpot's CDS/AppCDS and the JDK 24+ AOT cache
 * never archive such classes ("Pre JDK 6 class not supported by CDS", picocli issue 1623), so ~180 picocli
 * classes are parsed and verified from the jar on every run. Merely bumping the version byte to 50 is not
 * enough: without a StackMapTable the split verifier fails over to the old type-inferencing verifier, and CDS
 * skips classes verified that way too ("Failed over class verification" / "Verified with old verifier").
 * So ASM recomputes the frames; version 50 (not 51+) keeps the old verifier as a safety net should a
 * frame ever be wrong, which would only cost archiving that class, never a VerifyError.
 *
 * <p>Only the version and the frames change; the bytecode itself is untouched. Entries keep their order,
 * timestamps and compression method. A class ASM cannot process is left as it was (with a note), since
 * the jar still works; only start-up is slower for it.
 *
 * <p>Usage: {@code UpgradeOldClasses JAR} (rewritten in place).
 */
public final class UpgradeOldClasses {
    private static final int JAVA_6 = 50;

    private UpgradeOldClasses() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: UpgradeOldClasses JAR");
        }
        Path jar = Path.of(args[0]);
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        int upgraded = 0;
        int failed = 0;
        // Loads (never initialises) classes of the jar, to find common super classes for the frames.
        try (URLClassLoader loader =
                        new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
                ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] b = in.readAllBytes();
                if (e.getName().endsWith(".class") && b.length > 8 && majorVersion(b) < JAVA_6) {
                    try {
                        b = upgrade(b, loader);
                        upgraded++;
                    } catch (RuntimeException ex) {
                        System.err.println("UpgradeOldClasses: left " + e.getName() + " as is: " + ex);
                        failed++;
                    }
                }
                ZipEntry o = new ZipEntry(e.getName());
                o.setTime(e.getTime());
                if (e.getMethod() == ZipEntry.STORED) {
                    CRC32 crc = new CRC32();
                    crc.update(b);
                    o.setMethod(ZipEntry.STORED);
                    o.setSize(b.length);
                    o.setCompressedSize(b.length);
                    o.setCrc(crc.getValue());
                }
                out.putNextEntry(o);
                out.write(b);
                out.closeEntry();
            }
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("UpgradeOldClasses: " + upgraded + " class(es) upgraded to version 50 with frames"
                + (failed > 0 ? ", " + failed + " left as they were" : "") + " in " + jar);
    }

    private static int majorVersion(byte[] classFile) {
        return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
    }

    static byte[] upgrade(byte[] classFile, ClassLoader loader) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected ClassLoader getClassLoader() {
                return loader;
            }
        };
        reader.accept(
                new ClassVisitor(Opcodes.ASM9, writer) {
                    @Override
                    public void visit(
                            int version,
                            int access,
                            String name,
                            String signature,
                            String superName,
                            String[] interfaces) {
                        super.visit(JAVA_6, access, name, signature, superName, interfaces);
                    }
                },
                0);
        return writer.toByteArray();
    }
}
