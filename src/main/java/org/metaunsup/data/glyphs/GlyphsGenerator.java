package org.metaunsup.data.glyphs;

import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.io.IOException;
import java.lang.Character.UnicodeScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.metaunsup.BadInputException;
import org.metaunsup.data.Checksums;
import org.metaunsup.data.Glyphs;
import org.metaunsup.data.IdxWriter;
import org.metaunsup.data.alphabet.AlphabetGenerator;
import org.metaunsup.data.alphabet.DebianPackages;
import org.metaunsup.data.alphabet.GlyphRaster;
import org.metaunsup.data.alphabet.RenderTools;

/**
 * Renders the glyph corpus: letters of many writing systems, one class per character of a
 * script, one image per font face that really has the character, at 28x28 white on black
 * (larger side 20 px, centred by mass), split into train and validation <em>by script</em>.
 * Writes gzip IDX files, {@code MD5SUMS}, {@code classes.csv} (one row per class with the face of
 * every image), {@code faces.csv} (one row per face: package, licence, font file, SHA-256) and
 * {@code rejected.csv} (classes and scripts left out and why).
 *
 * <p>Which characters: Unicode letters (categories Lu, Ll, Lt, Lo) of a script other than Common,
 * Inherited, Latin (the alphabet is the Latin script of the corpus) and the large ideographic and
 * syllabic sets (Han, Hangul, kana, Yi); base letters only (unchanged by NFD and NFKC, so no
 * precomposed letter with diacritics, presentation form or compatibility letter). No number of
 * any category (Nd, Nl, No) is ever a candidate.
 *
 * <p>A glyph of a face is kept when the face maps the character to a glyph of its own: the glyph
 * code is not the face's missing-glyph code, the shaper gives one glyph, it draws at least 6
 * inked pixels, and its raster differs from the face's own {@code .notdef} raster (mean absolute
 * difference at least {@value #NOTDEF_MAD}). {@link Font#canDisplay} alone is not trusted.
 *
 * <p>A class is kept when: it is not digit-like (the median, over its faces, of the distance to
 * the nearest digit of that face or of the reference faces is at least {@value #DIGIT_MAD}); it
 * is not a homoglyph of a Latin capital (the same rule against A-Z with {@value #LATIN_MAD}, so the
 * alphabet's domain is not repeated under another script's name); and it has at least {@code minFaces} faces after the
 * alphabet's duplicate rule (a face whose 14x14 rendering is within
 * {@link AlphabetGenerator#DUPLICATE_MAD} of a face already taken for that class is dropped).
 * Faces are tried in the order of a hash of (character, face), so a capped class gets a spread of
 * weights and widths rather than the first names in alphabetical order.
 *
 * <p>Deterministic: files visited in sorted order, every choice a hash of names; the same fonts
 * give the same bytes.
 */
public final class GlyphsGenerator {

    /** Distance (mean absolute difference, 0..1, at 28x28) under which a glyph draws .notdef. */
    static final double NOTDEF_MAD = 0.01;

    /** Median distance (at 14x14) to the nearest digit under which a class is digit-like. */
    static final double DIGIT_MAD = 0.06;

    /**
     * Median distance (at 14x14) to the nearest Latin capital under which a class is a homoglyph
     * of one (Cyrillic A, Greek Alpha, ...): tighter than the digit rule, which leaves out anything
     * a pen digit could be mistaken for, while this one only removes repeats of the alphabet.
     */
    static final double LATIN_MAD = 0.015;

    /** Scripts never rendered: no letters, the alphabet's own, or too large to sample fairly. */
    static final Set<UnicodeScript> EXCLUDED = EnumSet.of(UnicodeScript.COMMON, UnicodeScript.INHERITED,
            UnicodeScript.UNKNOWN, UnicodeScript.LATIN, UnicodeScript.HAN, UnicodeScript.HANGUL,
            UnicodeScript.HIRAGANA, UnicodeScript.KATAKANA, UnicodeScript.YI, UnicodeScript.BRAILLE);

    /** Faces whose digits and capitals every class is also compared against. */
    static final List<String> REFERENCE_FACES = List.of("Noto Sans Regular", "Noto Sans Bold",
            "Noto Serif Regular", "Noto Serif Bold", "Noto Sans Mono Regular", "Noto Sans Light");

    private static final int PIX = GlyphRaster.SIZE * GlyphRaster.SIZE;
    private static final int SMALL = 14 * 14;
    private static final String LATIN_CAPITALS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /**
     * What was written.
     *
     * @param trainClasses classes of the train scripts
     * @param validationClasses classes of the validation scripts
     * @param trainImages images of the train split
     * @param validationImages images of the validation split
     * @param trainScripts the train scripts (rendered ones; Latin joins at load time)
     * @param validationScripts the validation scripts
     * @param faces faces used by at least one class
     * @param rejectedClasses classes left out
     */
    public record Result(int trainClasses, int validationClasses, int trainImages, int validationImages,
            List<String> trainScripts, List<String> validationScripts, int faces, int rejectedClasses) {}

    /** One loaded face. */
    private record FaceInfo(String name, String family, String file, String pkg, String licence,
            String sha256) {}

    /** One rendering of a character by a face. */
    private record Glyph(int face, byte[] raster, float[] small) {}

    private final GlyphsConfig config;
    private final Consumer<String> log;
    private final List<String[]> rejected = new ArrayList<>();

    /**
     * @param config generator settings
     * @param log receives progress lines
     */
    public GlyphsGenerator(GlyphsConfig config, Consumer<String> log) {
        this.config = config;
        this.log = log;
    }

    /**
     * Renders and writes the corpus.
     *
     * @param out output folder (created if missing; the caller makes it atomic)
     * @return counts of what was written
     * @throws IOException on read or write failure
     * @throws BadInputException for a listed package that is not installed or a font that will not load
     */
    public Result generate(Path out) throws IOException {
        System.setProperty("java.awt.headless", "true");
        DebianPackages dpkg = new DebianPackages();
        for (String p : new TreeSet<>(config.packages())) {
            if (!dpkg.isInstalled(p)) {
                throw new BadInputException("font package " + p + " is not installed "
                        + "(scripts/regenerate-glyphs.sh installs the listed packages)");
            }
        }
        int[] candidates = candidates();
        int[] digits = digitCodePoints();
        log.accept("candidate letters: " + candidates.length);
        List<FaceInfo> faces = new ArrayList<>();
        Map<Integer, List<Glyph>> byChar = new TreeMap<>();
        List<List<float[]>> faceDigits = new ArrayList<>();
        List<List<float[]>> faceCapitals = new ArrayList<>();
        List<float[]> refDigits = new ArrayList<>();
        List<float[]> refCapitals = new ArrayList<>();
        Set<String> names = new HashSet<>();
        FontRenderContext frc = new FontRenderContext(null, true, true);
        for (Path p : fontFiles(dpkg)) {
            String pkg = dpkg.owner(p);
            Font[] fonts;
            try {
                fonts = RenderTools.extension(p).equals("ttc") ? Font.createFonts(p.toFile())
                        : new Font[] {Font.createFont(Font.TRUETYPE_FONT, p.toFile())};
            } catch (FontFormatException | IOException | RuntimeException e) {
                throw new BadInputException(p + ": font will not load (" + e.getMessage() + ")");
            }
            String sha = Checksums.digest("SHA-256", Files.readAllBytes(p));
            for (Font font : fonts) {
                String name = font.getFontName(Locale.ROOT);
                if (!names.add(name.toLowerCase(Locale.ROOT))) {
                    continue; // the same face from another file; keep the first
                }
                int id = faces.size();
                Font big = font.deriveFont(100f);
                byte[] notdef = render(big, frc, big.getMissingGlyphCode());
                int kept = 0;
                for (int cp : candidates) {
                    if (!font.canDisplay(cp)) {
                        continue;
                    }
                    byte[] r = renderChar(big, frc, cp, notdef);
                    if (r != null) {
                        byChar.computeIfAbsent(cp, k -> new ArrayList<>()).add(new Glyph(id, r, small(r)));
                        kept++;
                    }
                }
                if (kept == 0) {
                    continue;
                }
                List<float[]> dg = new ArrayList<>();
                for (int cp : digits) {
                    byte[] r = font.canDisplay(cp) ? renderChar(big, frc, cp, notdef) : null;
                    if (r != null) {
                        dg.add(small(r));
                    }
                }
                List<float[]> caps = new ArrayList<>();
                for (char c : LATIN_CAPITALS.toCharArray()) {
                    byte[] r = font.canDisplay(c) ? renderChar(big, frc, c, notdef) : null;
                    if (r != null) {
                        caps.add(small(r));
                    }
                }
                if (REFERENCE_FACES.contains(name)) {
                    refDigits.addAll(dg);
                    refCapitals.addAll(caps);
                }
                faceDigits.add(dg);
                faceCapitals.add(caps);
                faces.add(new FaceInfo(name, font.getFamily(Locale.ROOT), p.toString(), pkg,
                        dpkg.licence(pkg), sha));
            }
        }
        log.accept("faces with at least one candidate letter: " + faces.size() + "; characters drawn: " + byChar.size());
        if (refDigits.isEmpty()) {
            throw new BadInputException("no reference face (" + REFERENCE_FACES.get(0)
                    + ") found: install fonts-noto-core and list it in the packages");
        }
        // Classes that pass, by script.
        Map<String, List<Integer>> perScript = new TreeMap<>();
        Map<Integer, List<Glyph>> chosen = new TreeMap<>();
        for (Map.Entry<Integer, List<Glyph>> e : byChar.entrySet()) {
            int cp = e.getKey();
            String script = scriptName(cp);
            List<Glyph> gs = e.getValue();
            if (gs.size() < config.minFaces()) {
                reject(cp, script, "drawn by only " + gs.size() + " faces");
                continue;
            }
            double dDigit = medianNearest(gs, faceDigits, refDigits);
            if (dDigit < DIGIT_MAD) {
                reject(cp, script, String.format(Locale.ROOT, "digit-like (median distance %.4f)", dDigit));
                continue;
            }
            double dLatin = medianNearest(gs, faceCapitals, refCapitals);
            if (dLatin < LATIN_MAD) {
                reject(cp, script, String.format(Locale.ROOT, "looks like a Latin capital (median distance %.4f)", dLatin));
                continue;
            }
            List<Glyph> order = new ArrayList<>(gs);
            order.sort(Comparator.comparingLong((Glyph g) -> RenderTools.seedOf("face:" + cp + ":" + faces.get(g.face()).name())));
            List<Glyph> kept = new ArrayList<>();
            for (Glyph g : order) {
                if (kept.size() == config.maxFaces()) {
                    break;
                }
                boolean dup = false;
                for (Glyph k : kept) {
                    if (RenderTools.meanAbsDiff(g.small(), k.small()) < AlphabetGenerator.DUPLICATE_MAD) {
                        dup = true;
                        break;
                    }
                }
                if (!dup) {
                    kept.add(g);
                }
            }
            if (kept.size() < config.minFaces()) {
                reject(cp, script, "only " + kept.size() + " distinct faces of " + gs.size());
                continue;
            }
            // Images of a class in face-name order, so the files read like the manifest.
            kept.sort(Comparator.comparing((Glyph g) -> faces.get(g.face()).name()));
            chosen.put(cp, kept);
            perScript.computeIfAbsent(script, k -> new ArrayList<>()).add(cp);
        }
        // Cap classes per script (by hash, not by code point, so a capped script keeps a spread).
        Map<String, List<Integer>> scripts = new TreeMap<>();
        for (Map.Entry<String, List<Integer>> e : perScript.entrySet()) {
            List<Integer> cps = new ArrayList<>(e.getValue());
            if (cps.size() < config.minClassesPerScript()) {
                for (int cp : cps) {
                    reject(cp, e.getKey(), "script has only " + cps.size() + " usable classes");
                }
                continue;
            }
            cps.sort(Comparator.comparingLong((Integer cp) -> RenderTools.seedOf("class:" + cp)));
            for (int cp : cps.subList(Math.min(cps.size(), config.maxClassesPerScript()), cps.size())) {
                reject(cp, e.getKey(), "over the cap of " + config.maxClassesPerScript() + " classes per script");
            }
            List<Integer> keep = new ArrayList<>(cps.subList(0, Math.min(cps.size(), config.maxClassesPerScript())));
            keep.sort(null);
            scripts.put(e.getKey(), keep);
        }
        if (scripts.size() <= config.validationScripts()) {
            throw new BadInputException("only " + scripts.size() + " scripts have " + config.minClassesPerScript()
                    + " usable classes; need more than the " + config.validationScripts()
                    + " validation scripts (install more font packages)");
        }
        List<String> order = new ArrayList<>(scripts.keySet());
        order.sort(Comparator.comparingLong(GlyphsGenerator::splitHash));
        List<String> validation = new ArrayList<>(order.subList(0, config.validationScripts()));
        List<String> train = new ArrayList<>(order.subList(config.validationScripts(), order.size()));
        validation.sort(null);
        train.sort(null);
        return write(out, faces, scripts, chosen, train, validation);
    }

    /**
     * The hash that orders scripts for the split: the first {@code validationScripts} go to validation.
     *
     * @param script script name
     * @return first 8 bytes of SHA-256("split:script:" + lower-case name)
     */
    public static long splitHash(String script) {
        return RenderTools.seedOf("split:script:" + script.toLowerCase(Locale.ROOT));
    }

    private Result write(Path out, List<FaceInfo> faces, Map<String, List<Integer>> scripts,
            Map<Integer, List<Glyph>> chosen, List<String> train, List<String> validation) throws IOException {
        Files.createDirectories(out);
        StringBuilder classes = new StringBuilder("split,label,script,codepoint,char,name,first,count,faces\n");
        StringBuilder sums = new StringBuilder();
        int[] used = new int[faces.size()];
        int[] nClasses = new int[2];
        int[] nImages = new int[2];
        List<List<String>> splits = List.of(train, validation);
        for (int s = 0; s < 2; s++) {
            String split = Glyphs.SPLITS.get(s);
            int total = 0;
            for (String script : splits.get(s)) {
                for (int cp : scripts.get(script)) {
                    total += chosen.get(cp).size();
                }
            }
            byte[] pix = new byte[total * PIX];
            byte[] lab = new byte[total * 2];
            int at = 0;
            int label = 0;
            for (String script : splits.get(s)) {
                for (int cp : scripts.get(script)) {
                    List<Glyph> gs = chosen.get(cp);
                    StringBuilder ids = new StringBuilder();
                    for (int i = 0; i < gs.size(); i++) {
                        Glyph g = gs.get(i);
                        System.arraycopy(g.raster(), 0, pix, (at + i) * PIX, PIX);
                        // Labels are 16-bit big-endian (two unsigned bytes per item): IDX
                        // ubyte labels stop at 255 and the corpus has more classes.
                        lab[2 * (at + i)] = (byte) (label >>> 8);
                        lab[2 * (at + i) + 1] = (byte) label;
                        ids.append(i == 0 ? "" : " ").append(g.face());
                        used[g.face()]++;
                    }
                    classes.append(String.join(",", split, Integer.toString(label), script,
                            String.format(Locale.ROOT, "U+%04X", cp), RenderTools.csv(new String(Character.toChars(cp))),
                            RenderTools.csv(Character.getName(cp)), Integer.toString(at), Integer.toString(gs.size()),
                            ids.toString())).append('\n');
                    at += gs.size();
                    label++;
                }
            }
            byte[] imgIdx = IdxWriter.encode(new int[] {total, 28, 28}, pix);
            byte[] labIdx = IdxWriter.encode(new int[] {total, 2}, lab);
            IdxWriter.writeGzip(out.resolve(Glyphs.imagesFile(split) + ".gz"), imgIdx);
            IdxWriter.writeGzip(out.resolve(Glyphs.labelsFile(split) + ".gz"), labIdx);
            sums.append(Checksums.digest("MD5", imgIdx)).append("  ").append(Glyphs.imagesFile(split)).append('\n');
            sums.append(Checksums.digest("MD5", labIdx)).append("  ").append(Glyphs.labelsFile(split)).append('\n');
            nClasses[s] = label;
            nImages[s] = total;
        }
        StringBuilder fcsv = new StringBuilder("id,face,family,package,licence,file,file_sha256,images\n");
        int nFaces = 0;
        for (int i = 0; i < faces.size(); i++) {
            FaceInfo f = faces.get(i);
            nFaces += used[i] > 0 ? 1 : 0;
            fcsv.append(String.join(",", Integer.toString(i), RenderTools.csv(f.name()), RenderTools.csv(f.family()), f.pkg(), RenderTools.csv(f.licence()),
                    RenderTools.csv(f.file()), f.sha256(), Integer.toString(used[i]))).append('\n');
        }
        StringBuilder rej = new StringBuilder("codepoint,script,reason\n");
        for (String[] r : rejected) {
            rej.append(String.join(",", r[0], r[1], RenderTools.csv(r[2]))).append('\n');
        }
        IdxWriter.writeText(out.resolve("classes.csv"), classes.toString());
        IdxWriter.writeText(out.resolve("faces.csv"), fcsv.toString());
        IdxWriter.writeText(out.resolve("rejected.csv"), rej.toString());
        IdxWriter.writeText(out.resolve("MD5SUMS"), sums.toString());
        log.accept("train: " + train.size() + " scripts, " + nClasses[0] + " classes, " + nImages[0]
                + " images; validation: " + validation + ", " + nClasses[1] + " classes, " + nImages[1]
                + " images; faces used: " + nFaces + "; classes rejected: " + rejected.size());
        return new Result(nClasses[0], nClasses[1], nImages[0], nImages[1], List.copyOf(train),
                List.copyOf(validation), nFaces, rejected.size());
    }

    /** Font files of the listed packages, sorted, each real file once. */
    private List<Path> fontFiles(DebianPackages dpkg) throws IOException {
        List<Path> files = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (Path dir : config.fontDirs()) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                    if (!Set.of("ttf", "otf", "ttc").contains(RenderTools.extension(p))) {
                        continue;
                    }
                    String pkg = dpkg.owner(p);
                    if (!config.packages().isEmpty() && (pkg == null || !config.packages().contains(pkg))) {
                        continue;
                    }
                    if (seen.add(p.toRealPath())) {
                        files.add(p);
                    }
                }
            }
        }
        files.sort(null);
        log.accept("font files of the listed packages: " + files.size());
        return files;
    }

    /** Candidate letters: see the class comment. */
    static int[] candidates() {
        List<Integer> out = new ArrayList<>();
        for (int cp = 0; cp < 0x30000; cp++) {
            if (isCandidate(cp)) {
                out.add(cp);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * @param cp a code point
     * @return whether it may become a class: a base letter of a rendered script, never a number
     */
    public static boolean isCandidate(int cp) {
        int type = Character.getType(cp);
        if (type != Character.UPPERCASE_LETTER && type != Character.LOWERCASE_LETTER
                && type != Character.TITLECASE_LETTER && type != Character.OTHER_LETTER) {
            return false;
        }
        if (EXCLUDED.contains(UnicodeScript.of(cp))) {
            return false;
        }
        String s = new String(Character.toChars(cp));
        return Normalizer.normalize(s, Normalizer.Form.NFD).equals(s)
                && Normalizer.normalize(s, Normalizer.Form.NFKC).equals(s);
    }

    /** Every decimal digit (Nd) and other number (No, NFKC-stable) in the first three planes. */
    private static int[] digitCodePoints() {
        List<Integer> out = new ArrayList<>();
        for (int cp = 0; cp < 0x30000; cp++) {
            int t = Character.getType(cp);
            if (t == Character.DECIMAL_DIGIT_NUMBER || t == Character.OTHER_NUMBER || t == Character.LETTER_NUMBER) {
                String s = new String(Character.toChars(cp));
                if (Normalizer.normalize(s, Normalizer.Form.NFKC).equals(s)) {
                    out.add(cp);
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * @param cp a code point
     * @return its script's display name, e.g. "Devanagari", "Canadian Aboriginal"
     */
    public static String scriptName(int cp) {
        String[] w = UnicodeScript.of(cp).name().toLowerCase(Locale.ROOT).split("_");
        StringBuilder b = new StringBuilder();
        for (String x : w) {
            b.append(b.length() == 0 ? "" : " ").append(Character.toUpperCase(x.charAt(0))).append(x.substring(1));
        }
        return b.toString();
    }

    /** Renders one character, or null when the face does not really have it. */
    private static byte[] renderChar(Font big, FontRenderContext frc, int cp, byte[] notdef) {
        GlyphVector gv = big.createGlyphVector(frc, new String(Character.toChars(cp)));
        if (gv.getNumGlyphs() != 1 || gv.getGlyphCode(0) == big.getMissingGlyphCode()) {
            return null;
        }
        byte[] r = GlyphRaster.fillCentredByMass(gv.getOutline());
        if (r == null || RenderTools.inkPixels(r) < 6) {
            return null;
        }
        if (notdef != null && mad(r, notdef) < NOTDEF_MAD) {
            return null;
        }
        return r;
    }

    private static byte[] render(Font big, FontRenderContext frc, int glyphCode) {
        GlyphVector gv = big.createGlyphVector(frc, new int[] {glyphCode});
        return GlyphRaster.fillCentredByMass(gv.getOutline());
    }

    /** Median over a class's faces of the distance to the nearest of that face's or the reference shapes. */
    private static double medianNearest(List<Glyph> gs, List<List<float[]>> perFace, List<float[]> ref) {
        double[] d = new double[gs.size()];
        for (int i = 0; i < gs.size(); i++) {
            Glyph g = gs.get(i);
            double best = Double.POSITIVE_INFINITY;
            for (float[] t : perFace.get(g.face())) {
                best = Math.min(best, RenderTools.meanAbsDiff(g.small(), t));
            }
            for (float[] t : ref) {
                best = Math.min(best, RenderTools.meanAbsDiff(g.small(), t));
            }
            d[i] = best;
        }
        Arrays.sort(d);
        return d[d.length / 2];
    }

    /** The 14x14 area average, values 0..1 (the scale the alphabet's duplicate rule works at). */
    static float[] small(byte[] r) {
        float[] v = new float[SMALL];
        for (int y = 0; y < 14; y++) {
            for (int x = 0; x < 14; x++) {
                int s = (r[(2 * y) * 28 + 2 * x] & 0xff) + (r[(2 * y) * 28 + 2 * x + 1] & 0xff)
                        + (r[(2 * y + 1) * 28 + 2 * x] & 0xff) + (r[(2 * y + 1) * 28 + 2 * x + 1] & 0xff);
                v[y * 14 + x] = s / (4f * 255f);
            }
        }
        return v;
    }

    static double mad(byte[] a, byte[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return s / (255.0 * a.length);
    }
    private void reject(int cp, String script, String reason) {
        rejected.add(new String[] {String.format(Locale.ROOT, "U+%04X", cp), script, reason});
    }
}
