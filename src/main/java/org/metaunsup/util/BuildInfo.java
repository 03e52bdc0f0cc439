package org.metaunsup.util;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What the build stamped into the classes: the project version (jar manifest) and the git
 * commit (written by git-commit-id-maven-plugin into {@code org/metaunsup/git.properties}).
 * Nothing here runs git: a program's provenance is the code it runs, not the user's working
 * directory.
 */
public final class BuildInfo {

    private static final Properties GIT = load();

    private BuildInfo() {}

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/org/metaunsup/git.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable stamp is the same as none: "unknown"
        }
        return p;
    }

    /** @return the project version from the jar manifest, or "dev" when run from classes */
    public static String version() {
        String v = BuildInfo.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** @return the abbreviated commit the classes were built from, or "unknown" */
    public static String commit() {
        return GIT.getProperty("git.commit.id.abbrev", "unknown");
    }

    /** @return the full commit id the classes were built from, or "unknown" */
    public static String commitFull() {
        return GIT.getProperty("git.commit.id.full", "unknown");
    }
}
