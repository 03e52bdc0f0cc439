package org.metaunsup.util;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a folder of the checkout ({@code data/}, {@code models/}) is looked for, so that the
 * program finds it whether it runs from the project root, from {@code target/metaunsup.jar}
 * started elsewhere, or from {@code target/classes}: a system property or environment variable
 * when set (then the only place), otherwise {@code ./NAME} under the working directory, then
 * {@code NAME/} beside the jar or classes folder and one level above it (the checkout's root for
 * {@code target/metaunsup.jar} and {@code target/classes}).
 */
public final class ProjectFolders {

    private ProjectFolders() {}

    /**
     * @param name folder name, e.g. {@code models}
     * @param property system property that names the folder instead
     * @param env environment variable that names the folder instead (after the property)
     * @return the folders to look in, in order, absolute and without repeats
     */
    public static List<Path> candidates(String name, String property, String env) {
        return candidates(name, System.getProperty(property), System.getenv(env), Paths.get("").toAbsolutePath(),
                codeLocation());
    }

    /**
     * The search order with everything it depends on given (for tests).
     *
     * @param name folder name
     * @param propertyValue the property's value, or null
     * @param envValue the environment variable's value, or null
     * @param workingDir the working directory
     * @param code the jar file or classes folder the program runs from, or null when unknown
     * @return the folders to look in, in order
     */
    static List<Path> candidates(String name, String propertyValue, String envValue, Path workingDir, Path code) {
        if (propertyValue != null && !propertyValue.isBlank()) {
            return List.of(workingDir.resolve(propertyValue).toAbsolutePath().normalize());
        }
        if (envValue != null && !envValue.isBlank()) {
            return List.of(workingDir.resolve(envValue).toAbsolutePath().normalize());
        }
        Set<Path> dirs = new LinkedHashSet<>();
        dirs.add(workingDir.resolve(name).toAbsolutePath().normalize());
        Path parent = code == null ? null : code.toAbsolutePath().getParent();
        if (parent != null) {
            dirs.add(parent.resolve(name).normalize());
            if (parent.getParent() != null) {
                dirs.add(parent.getParent().resolve(name).normalize());
            }
        }
        return List.copyOf(dirs);
    }

    /** @return the jar file or classes folder this class was loaded from, or null when unknown */
    public static Path codeLocation() {
        try {
            var src = ProjectFolders.class.getProtectionDomain().getCodeSource();
            return src == null ? null : Paths.get(src.getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }
}
