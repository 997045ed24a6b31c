package dev.regx.layer;

/**
 * The one spelling of a path inside an image: relative, no {@code ./} or {@code /} in front, no {@code /} at the
 * end, no empty or {@code .} components. The root is the empty string. Tars spell the same path as {@code ./usr/},
 * {@code usr/} or {@code /usr}; comparing them, merging layers and filtering all need one spelling.
 * {@code ..} is kept as written: a listing should show what the layer says, not resolve it.
 */
public final class LayerPath {
    private LayerPath() {}

    public static String normalize(String path) {
        if (path == null || path.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(path.length());
        int start = 0;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            String component = path.substring(start, end);
            if (!component.isEmpty() && !component.equals(".")) {
                if (out.length() > 0) {
                    out.append('/');
                }
                out.append(component);
            }
            start = end + 1;
        }
        return out.toString();
    }

    /** The directory holding {@code path} ("" for a top-level entry). {@code path} must be normalised. */
    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** The last component of {@code path}. {@code path} must be normalised. */
    public static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** True if {@code path} is {@code ancestor} itself or lies below it; the root "" is everyone's ancestor. */
    public static boolean isSelfOrBelow(String path, String ancestor) {
        return ancestor.isEmpty()
                || path.equals(ancestor)
                || (path.startsWith(ancestor) && path.charAt(ancestor.length()) == '/');
    }

    /** {@code child} within {@code dir}; both normalised. */
    static String join(String dir, String child) {
        return dir.isEmpty() ? child : dir + "/" + child;
    }
}
