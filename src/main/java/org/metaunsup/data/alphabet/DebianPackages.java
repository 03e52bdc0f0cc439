package org.metaunsup.data.alphabet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Debian package owns a file (from dpkg's {@code /var/lib/dpkg/info/*.list}) and
 * which licence it declares (from {@code /usr/share/doc/PKG/copyright}).
 */
public final class DebianPackages {

    private final Map<String, String> owner = new HashMap<>();
    private final Map<String, String> licences = new HashMap<>();
    private final Set<String> installed = new HashSet<>();

    /** Reads every dpkg file list (a few hundred small text files). */
    public DebianPackages() throws IOException {
        Path info = Paths.get("/var/lib/dpkg/info");
        if (!Files.isDirectory(info)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(info, "*.list")) {
            for (Path list : ds) {
                String pkg = list.getFileName().toString().replaceFirst("\\.list$", "").replaceFirst(":.*$", "");
                installed.add(pkg);
                for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
                    owner.putIfAbsent(line, pkg);
                }
            }
        }
    }

    /**
     * @param pkg a package name
     * @return whether dpkg lists files of it (it is installed)
     */
    public boolean isInstalled(String pkg) {
        return installed.contains(pkg);
    }

    /**
     * @param file a file path (absolute)
     * @return the package that installed it, or {@code null}
     */
    public String owner(Path file) {
        String p = owner.get(file.toString());
        if (p == null) {
            try {
                p = owner.get(file.toRealPath().toString());
            } catch (IOException e) {
                p = null;
            }
        }
        return p;
    }

    /**
     * @param pkg a package name
     * @return a short licence name, e.g. {@code OFL-1.1}
     */
    public String licence(String pkg) {
        return licences.computeIfAbsent(pkg, DebianPackages::readLicence);
    }

    private static final List<String[]> KEYWORDS = List.of(
            new String[] {"GUST Font License", "GFL"},
            new String[] {"SIL Open Font License", "OFL-1.1"},
            new String[] {"Open Font License", "OFL"},
            new String[] {"LaTeX Project Public License", "LPPL"},
            new String[] {"GNU General Public License", "GPL"},
            new String[] {"Apache License", "Apache-2.0"},
            new String[] {"public domain", "public-domain"});

    /** DEP-5: the License of the first Files stanza that is not debian/*; else a keyword. */
    static String readLicence(String pkg) {
        Path c = Paths.get("/usr/share/doc", pkg, "copyright");
        String text;
        try {
            text = Files.readString(c, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "unknown (no " + c + ")";
        }
        Matcher files = Pattern.compile("(?m)^Files:(.*)$").matcher(text);
        while (files.find()) {
            String globs = files.group(1).trim();
            if (globs.startsWith("debian/")) {
                continue;
            }
            Matcher lic = Pattern.compile("(?m)^License:[ \\t]*(\\S.*)$").matcher(text);
            if (lic.find(files.end())) {
                return lic.group(1).trim();
            }
        }
        int best = Integer.MAX_VALUE;
        String name = "see " + c;
        String lower = text.toLowerCase();
        for (String[] k : KEYWORDS) {
            int at = lower.indexOf(k[0].toLowerCase());
            if (at >= 0 && at < best) {
                best = at;
                name = k[1];
            }
        }
        return name;
    }
}
