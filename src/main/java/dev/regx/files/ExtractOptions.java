package dev.regx.files;

/**
 * What {@code regx extract} may do beyond writing plain files, directories and links, each off by default as
 * GNU tar has them off for a user who is not root.
 *
 * @param devices create device nodes and fifos (only as root; else they are skipped with a warning)
 * @param sameOwner give entries the tar's owner and group (only as root)
 * @param preservePermissions keep setuid and setgid bits (dropped otherwise)
 * @param keepWhiteouts in one layer, write whiteout markers as the empty {@code .wh.} files they are in the tar
 * @param root whether regx runs as root: {@code devices} and {@code sameOwner} need it
 */
public record ExtractOptions(
        boolean devices, boolean sameOwner, boolean preservePermissions, boolean keepWhiteouts, boolean root) {}
