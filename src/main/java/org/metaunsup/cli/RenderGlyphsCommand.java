package org.metaunsup.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.metaunsup.BadInputException;
import org.metaunsup.OutputException;
import org.metaunsup.data.glyphs.GlyphsConfig;
import org.metaunsup.data.glyphs.GlyphsGenerator;
import org.metaunsup.io.AtomicFolder;
import org.metaunsup.io.IoMessages;
import org.metaunsup.io.OutputPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code data render-glyphs}: renders the multi-script glyph corpus from installed fonts. */
@Command(name = "render-glyphs", mixinStandardHelpOptions = true,
        description = "Render letters of many scripts from installed Debian fonts into IDX files, split by "
                + "script (see scripts/regenerate-glyphs.sh). The output folder must not exist yet.")
final class RenderGlyphsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "Output folder (must be new), e.g. data/glyphs.")
    Path out;

    @Option(names = "--packages", description = "File listing the Debian font packages to use, one per line "
            + "(# comments); every one must be installed. Default: every installed font.")
    Path packages;

    @Option(names = "--font-dir", description = "Font folder to search (repeatable); default: /usr/share/fonts.")
    List<Path> fontDirs;

    @Option(names = "--min-faces", defaultValue = "27",
            description = "Fewest distinct faces per class (default: ${DEFAULT-VALUE}: 10 support + 10 query "
                    + "+ enough unlabelled images for a 10-way task of the small config).")
    int minFaces;

    @Option(names = "--max-faces", defaultValue = "28", description = "Most faces kept per class (default: ${DEFAULT-VALUE}).")
    int maxFaces;

    @Option(names = "--max-classes-per-script", defaultValue = "60",
            description = "Most classes kept per script (default: ${DEFAULT-VALUE}).")
    int maxClasses;

    @Option(names = "--min-classes-per-script", defaultValue = "10",
            description = "Scripts with fewer usable classes are left out (default: ${DEFAULT-VALUE}).")
    int minClasses;

    @Option(names = "--validation-scripts", defaultValue = "4",
            description = "Whole scripts put in the validation split, chosen by a hash of the name (default: ${DEFAULT-VALUE}).")
    int validationScripts;

    @Override
    public Integer call() throws IOException {
        Set<String> pkgs = new LinkedHashSet<>();
        if (packages != null) {
            if (!Files.isRegularFile(packages)) {
                throw new BadInputException(packages + ": packages file not found");
            }
            try {
                for (String line : Files.readAllLines(packages)) {
                    String t = line.replaceFirst("#.*", "").trim().split("\\s+")[0];
                    if (!t.isEmpty()) {
                        pkgs.add(t);
                    }
                }
            } catch (IOException e) {
                throw new BadInputException("cannot read packages file " + packages + ": " + IoMessages.reason(e));
            }
        }
        if (minFaces < 2 || maxFaces < minFaces || maxFaces > 255 || maxClasses < 1 || minClasses < 1
                || validationScripts < 1) {
            throw new BadInputException("need 2 <= --min-faces <= --max-faces <= 255, and the class counts and "
                    + "--validation-scripts >= 1");
        }
        // A corpus is never merged with or written over an older one: a new folder every time.
        if (Files.exists(out) && !(Files.isDirectory(out) && isEmpty(out))) {
            throw new OutputException("--out " + out + ": exists; render into a new folder");
        }
        OutputPaths.folder(out, "--out", "MD5SUMS");
        List<Path> dirs = fontDirs == null ? GlyphsConfig.DEFAULT_FONT_DIRS : new ArrayList<>(fontDirs);
        GlyphsConfig cfg = new GlyphsConfig(dirs, pkgs, minFaces, maxFaces, maxClasses, minClasses, validationScripts);
        PrintWriter w = spec.commandLine().getOut();
        GlyphsGenerator.Result r;
        try (AtomicFolder folder = AtomicFolder.begin(out, "--out", "MD5SUMS")) {
            r = new GlyphsGenerator(cfg, line -> {
                w.println(line);
                w.flush();
            }).generate(folder.dir());
            folder.commit();
        }
        w.println("train scripts (" + r.trainScripts().size() + "): " + String.join(", ", r.trainScripts()));
        w.println("validation scripts (" + r.validationScripts().size() + "): " + String.join(", ", r.validationScripts()));
        w.println("wrote " + out);
        w.flush();
        return 0;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
