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
import org.metaunsup.BadInputException;
import org.metaunsup.data.alphabet.AlphabetConfig;
import org.metaunsup.data.alphabet.AlphabetGenerator;
import org.metaunsup.io.AtomicFolder;
import org.metaunsup.io.IoMessages;
import org.metaunsup.io.OutputPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code data render-alphabet}: regenerates the rendered A-Z set from installed fonts. */
@Command(name = "render-alphabet", mixinStandardHelpOptions = true,
        description = "Render A-Z from installed Debian fonts and Hershey fonts into IDX files "
                + "(see scripts/regenerate-alphabet.sh).")
final class RenderAlphabetCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "Output folder, e.g. data/alphabet.")
    Path out;

    @Option(names = "--packages", description = "File listing the Debian font packages to use, one per "
            + "line (# comments); a second word 'script' marks a handwriting/script package "
            + "(lower Latin-check bound); default: every installed font.")
    Path packages;

    @Option(names = "--font-dir", description = "Font folder to search (repeatable); default: "
            + "/usr/share/fonts, /usr/share/texmf/fonts, /usr/share/texlive/texmf-dist/fonts.")
    List<Path> fontDirs;

    @Option(names = "--hershey-dir", description = "Folder of Hershey .jhf files (default: ${DEFAULT-VALUE}).",
            defaultValue = "/usr/share/hershey-fonts")
    Path hersheyDir;

    @Option(names = "--hershey-variants", defaultValue = "12",
            description = "Jittered renderings per Hershey face (default: ${DEFAULT-VALUE}).")
    int variants;

    @Option(names = "--min-latin-score", defaultValue = "13",
            description = "Letters of 26 a face must get right against the reference templates (default: ${DEFAULT-VALUE}).")
    int minLatin;

    @Option(names = "--min-script-score", defaultValue = "4",
            description = "The same bound for script packages and Hershey fonts (default: ${DEFAULT-VALUE}).")
    int minScript;

    @Option(names = "--test-percent", defaultValue = "20",
            description = "Share of font families put in the test split (default: ${DEFAULT-VALUE}).")
    int testPercent;

    @Override
    public Integer call() throws IOException {
        Set<String> pkgs = new LinkedHashSet<>();
        Set<String> scripts = new LinkedHashSet<>();
        if (packages != null) {
            if (!Files.isRegularFile(packages)) {
                throw new BadInputException(packages + ": packages file not found");
            }
            List<String> lines;
            try {
                lines = Files.readAllLines(packages);
            } catch (IOException e) {
                throw new BadInputException("cannot read packages file " + packages + ": " + IoMessages.reason(e));
            }
            for (String line : lines) {
                String[] t = line.replaceFirst("#.*", "").trim().split("\\s+");
                if (!t[0].isEmpty()) {
                    pkgs.add(t[0]);
                    if (t.length > 1 && t[1].equals("script")) {
                        scripts.add(t[0]);
                    }
                }
            }
        }
        if (variants < 1 || minLatin < 0 || minScript < 0 || testPercent < 0 || testPercent > 100) {
            throw new BadInputException("--hershey-variants must be >= 1, the scores >= 0 and --test-percent in 0..100");
        }
        // A dataset folder is replaced as a whole once complete (it holds MD5SUMS); its
        // hand-written README is carried over.
        OutputPaths.folder(out, "--out", "MD5SUMS");
        List<Path> dirs = fontDirs == null ? AlphabetConfig.DEFAULT_FONT_DIRS : new ArrayList<>(fontDirs);
        AlphabetConfig cfg = new AlphabetConfig(dirs, Files.isDirectory(hersheyDir) ? hersheyDir : null,
                pkgs, scripts, variants, minLatin, minScript, testPercent);
        PrintWriter w = spec.commandLine().getOut();
        AlphabetGenerator.Result r;
        try (AtomicFolder folder = AtomicFolder.begin(out, "--out", "MD5SUMS").keeping("README.md")) {
            r = new AlphabetGenerator(cfg, line -> {
                w.println(line);
                w.flush();
            }).generate(folder.dir());
            folder.commit();
        }
        w.println("faces per package:");
        r.facesPerPackage().forEach((k, v) -> w.println("  " + k + " " + v));
        w.println("wrote " + out);
        w.flush();
        return 0;
    }
}
