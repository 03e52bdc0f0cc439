package org.metaunsup.data.alphabet;

import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.metaunsup.BadInputException;
import org.metaunsup.data.Alphabet;
import org.metaunsup.data.Checksums;
import org.metaunsup.data.IdxWriter;

/**
 * Renders the alphabet dataset: capitals A-Z from every usable installed font face and
 * from the Latin Hershey stroke fonts (several jittered variants each), at 28x28 white on
 * black, split into train and test by font family, written as gzip IDX files with
 * {@code MD5SUMS}, {@code faces.csv} (one row per face: package, licence, split, item
 * range, checksums) and {@code rejected.csv} (faces left out and why).
 *
 * <p>Deterministic: files are visited in sorted order, faces sorted by name, the Hershey
 * jitter seeded from the face name and variant, and the split a hash of the family name;
 * the same fonts give the same bytes. Faces are rejected when they lack an A-Z glyph,
 * draw an empty glyph, do not look Latin ({@link LatinCheck}), or render (nearly) the same
 * as a face already taken (e.g. the Latin part of script-specific Noto faces).
 */
public final class AlphabetGenerator {

    /** Latin Hershey fonts and their family (the futura/rowman/times fonts share glyphs, so one family). */
    static final Map<String, String> HERSHEY = new TreeMap<>(Map.ofEntries(
            Map.entry("cursive", "Hershey Script"), Map.entry("scripts", "Hershey Script"),
            Map.entry("scriptc", "Hershey Script"), Map.entry("futural", "Hershey Roman"),
            Map.entry("futuram", "Hershey Roman"), Map.entry("rowmans", "Hershey Roman"),
            Map.entry("rowmand", "Hershey Roman"), Map.entry("rowmant", "Hershey Roman"),
            Map.entry("timesr", "Hershey Roman"), Map.entry("timesrb", "Hershey Roman"),
            Map.entry("timesi", "Hershey Italic"), Map.entry("timesib", "Hershey Italic"),
            Map.entry("gothgbt", "Hershey Gothic English"), Map.entry("gothiceng", "Hershey Gothic English"),
            Map.entry("gothgrt", "Hershey Gothic German"), Map.entry("gothicger", "Hershey Gothic German"),
            Map.entry("gothitt", "Hershey Gothic Italian"), Map.entry("gothicita", "Hershey Gothic Italian")));

    /** Faces whose mean the Latin check compares against (from fonts-dejavu-core). */
    static final List<String> REFERENCE_FACES = List.of("DejaVu Sans", "DejaVu Serif",
            "DejaVu Sans Mono", "DejaVu Sans Bold", "DejaVu Serif Bold");

    /** Score against the DejaVu templates above which a face helps build the final templates. */
    static final int CLEARLY_LATIN = 20;

    /** Mean absolute pixel difference (0..1) under which two faces count as duplicates. */
    public static final double DUPLICATE_MAD = 0.012;

    private static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final int PIX = GlyphRaster.SIZE * GlyphRaster.SIZE;

    /**
     * What was written.
     *
     * @param trainFaces faces in the train split
     * @param testFaces faces in the test split
     * @param trainImages images in the train split
     * @param testImages images in the test split
     * @param rejected faces left out
     * @param facesPerPackage accepted faces per Debian package
     */
    public record Result(int trainFaces, int testFaces, int trainImages, int testImages,
            int rejected, Map<String, Integer> facesPerPackage) {}

    private final AlphabetConfig config;
    private final Consumer<String> log;
    private final List<String[]> rejected = new ArrayList<>();

    /**
     * @param config generator settings
     * @param log receives progress lines
     */
    public AlphabetGenerator(AlphabetConfig config, Consumer<String> log) {
        this.config = config;
        this.log = log;
    }

    /**
     * Renders and writes the dataset.
     *
     * @param out output folder (created if missing); files are replaced atomically
     * @return counts of what was written
     * @throws IOException on read or write failure
     */
    public Result generate(Path out) throws IOException {
        System.setProperty("java.awt.headless", "true");
        DebianPackages dpkg = new DebianPackages();
        List<Face> faces = new ArrayList<>(outlineFaces(dpkg));
        Map<String, byte[]> byName = new HashMap<>();
        for (Face f : faces) {
            byName.put(f.name(), f.glyphs());
        }
        List<byte[]> refs = new ArrayList<>();
        for (String r : REFERENCE_FACES) {
            if (byName.containsKey(r)) {
                refs.add(byName.get(r));
            }
        }
        if (refs.isEmpty()) {
            throw new BadInputException("no reference face (" + REFERENCE_FACES.get(0)
                    + ") found: install fonts-dejavu-core and list it in the packages");
        }
        // Two stages: DejaVu templates pick the clearly Latin faces; their mean (many
        // styles: italics, scripts, slabs) makes the final, more tolerant templates.
        LatinCheck strict = new LatinCheck(refs);
        if (config.hersheyDir() != null) {
            faces.addAll(hersheyFaces(dpkg));
        }
        List<byte[]> clear = new ArrayList<>();
        for (Face f : faces) {
            if (strict.score(f.glyphs()) >= CLEARLY_LATIN) {
                clear.add(f.glyphs());
            }
        }
        LatinCheck latin = new LatinCheck(clear);
        log.accept("clearly Latin faces (templates of the final check): " + clear.size());
        faces.sort(Comparator.comparing(Face::kind).thenComparing(Face::name));
        List<Face> kept = new ArrayList<>();
        List<float[]> keptSmall = new ArrayList<>();
        for (Face f : faces) {
            int score = latin.score(f.glyphs());
            // Known Latin scripts (listed handwriting packages, the chosen Hershey fonts)
            // are allowed a lower score: cursive capitals are far from print templates.
            boolean script = f.kind().equals("hershey") || config.scriptPackages().contains(f.pkg());
            if (score < (script ? config.minScriptScore() : config.minLatinScore())) {
                reject(f.name(), f.file(), f.pkg(), "not Latin capitals: " + score + "/26 letters recognised");
                continue;
            }
            float[] small = firstVariantSmall(f.glyphs());
            String dup = null;
            for (int i = 0; i < kept.size() && dup == null; i++) {
                if (RenderTools.meanAbsDiff(small, keptSmall.get(i)) < DUPLICATE_MAD) {
                    dup = kept.get(i).name();
                }
            }
            if (dup != null) {
                reject(f.name(), f.file(), f.pkg(), "renders the same as " + dup);
                continue;
            }
            kept.add(new Face(f.name(), f.family(), f.kind(), f.file(), f.pkg(), f.licence(),
                    f.fileSha256(), score, f.glyphs(), f.variants()));
            keptSmall.add(small);
        }
        return write(out, kept);
    }

    /** Loads every outline face, deduplicated by name, rendered once. */
    private List<Face> outlineFaces(DebianPackages dpkg) throws IOException {
        List<Path> files = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (Path dir : config.fontDirs()) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                    String ext = RenderTools.extension(p);
                    if (!Set.of("ttf", "otf", "ttc", "pfb", "pfa", "t1").contains(ext)) {
                        continue;
                    }
                    if (seen.add(p.toRealPath())) {
                        files.add(p);
                    }
                }
            }
        }
        // Outline formats before Type 1 so that a face shipped both ways is taken as OTF/TTF.
        files.sort(Comparator.comparing((Path p) -> isType1(p) ? 1 : 0).thenComparing(Path::toString));
        log.accept("font files found: " + files.size());
        Set<String> names = new HashSet<>();
        List<Face> faces = new ArrayList<>();
        int skipped = 0;
        for (Path p : files) {
            String pkg = dpkg.owner(p);
            if (pkg == null) {
                pkg = "(none)";
            }
            if (!config.packages().isEmpty() && !config.packages().contains(pkg)) {
                skipped++;
                continue;
            }
            Font[] fonts;
            try {
                fonts = RenderTools.extension(p).equals("ttc") ? Font.createFonts(p.toFile())
                        : new Font[] {Font.createFont(isType1(p) ? Font.TYPE1_FONT : Font.TRUETYPE_FONT, p.toFile())};
            } catch (FontFormatException | IOException | RuntimeException e) {
                reject(p.getFileName().toString(), p.toString(), pkg, "cannot load: " + e.getMessage());
                continue;
            }
            String sha = Checksums.digest("SHA-256", Files.readAllBytes(p));
            for (Font font : fonts) {
                String name = font.getFontName(Locale.ROOT);
                if (!names.add(name.toLowerCase(Locale.ROOT))) {
                    continue; // the same face from another file (e.g. Type 1 twin); keep the first
                }
                int missing = font.canDisplayUpTo(LETTERS);
                if (missing != -1) {
                    reject(name, p.toString(), pkg, "no glyph for " + LETTERS.charAt(missing));
                    continue;
                }
                byte[] glyphs = renderOutline(font);
                if (glyphs == null) {
                    reject(name, p.toString(), pkg, "a glyph of A-Z renders empty");
                    continue;
                }
                faces.add(new Face(name, font.getFamily(Locale.ROOT), "font", p.toString(), pkg,
                        dpkg.licence(pkg), sha, 0, glyphs, 1));
            }
        }
        log.accept("outline faces rendered: " + faces.size() + " (files of unlisted packages skipped: " + skipped + ")");
        return faces;
    }

    private static byte[] renderOutline(Font font) {
        Font big = font.deriveFont(100f);
        FontRenderContext frc = new FontRenderContext(null, true, true);
        byte[] all = new byte[26 * PIX];
        for (int l = 0; l < 26; l++) {
            GlyphVector gv = big.createGlyphVector(frc, LETTERS.substring(l, l + 1));
            byte[] g = GlyphRaster.fill(gv.getOutline());
            if (g == null || RenderTools.inkPixels(g) < 6) {
                return null;
            }
            System.arraycopy(g, 0, all, l * PIX, PIX);
        }
        return all;
    }

    /** Hershey faces: variant 0 unjittered at a medium width, the rest jittered. */
    private List<Face> hersheyFaces(DebianPackages dpkg) throws IOException {
        List<Face> faces = new ArrayList<>();
        for (Map.Entry<String, String> e : HERSHEY.entrySet()) {
            Path p = config.hersheyDir().resolve(e.getKey() + ".jhf");
            if (!Files.isRegularFile(p)) {
                reject("Hershey " + e.getKey(), p.toString(), "hershey-fonts-data", "file missing");
                continue;
            }
            String pkg = dpkg.owner(p);
            if (pkg == null) {
                pkg = "(none)";
            }
            if (!config.packages().isEmpty() && !config.packages().contains(pkg)) {
                continue;
            }
            HersheyFont font = HersheyFont.read(p);
            String name = "Hershey " + e.getKey();
            boolean complete = true;
            for (char c : LETTERS.toCharArray()) {
                complete &= font.has(c);
            }
            if (!complete) {
                reject(name, p.toString(), pkg, "lacks some of A-Z");
                continue;
            }
            int v = config.hersheyVariants();
            byte[] all = new byte[v * 26 * PIX];
            for (int k = 0; k < v; k++) {
                SplittableRandom rng = new SplittableRandom(RenderTools.seedOf(name + "#" + k));
                // Stroke width 1.3..2.8 px: MNIST pen strokes are about 2-3 px wide.
                double width = k == 0 ? 2.0 : 1.3 + 1.5 * rng.nextDouble();
                double sigma = k == 0 ? 0 : 0.25 + 0.35 * rng.nextDouble();
                for (int l = 0; l < 26; l++) {
                    byte[] g = GlyphRaster.stroke(font.path(LETTERS.charAt(l), sigma, k == 0 ? null : rng), width);
                    System.arraycopy(g, 0, all, (k * 26 + l) * PIX, PIX);
                }
            }
            faces.add(new Face(name, e.getValue(), "hershey", p.toString(), pkg, dpkg.licence(pkg),
                    Checksums.digest("SHA-256", Files.readAllBytes(p)), 0, all, v));
        }
        log.accept("Hershey faces rendered: " + faces.size() + " x " + config.hersheyVariants() + " variants");
        return faces;
    }

    private Result write(Path out, List<Face> faces) throws IOException {
        Files.createDirectories(out);
        StringBuilder csv = new StringBuilder(
                "face,family,kind,split,first,count,package,licence,file,file_sha256,images_md5,latin_score\n");
        Map<String, Integer> perPackage = new TreeMap<>();
        int[] facesIn = new int[2];
        String[] splits = {"train", "test"};
        StringBuilder sums = new StringBuilder();
        int[] images = new int[2];
        for (int s = 0; s < 2; s++) {
            int total = 0;
            for (Face f : faces) {
                if (splitOf(f.family()) == s) {
                    total += f.variants() * 26;
                }
            }
            byte[] pix = new byte[total * PIX];
            byte[] lab = new byte[total];
            int at = 0;
            for (Face f : faces) {
                if (splitOf(f.family()) != s) {
                    continue;
                }
                int n = f.variants() * 26;
                System.arraycopy(f.glyphs(), 0, pix, at * PIX, n * PIX);
                for (int i = 0; i < n; i++) {
                    lab[at + i] = (byte) (i % 26);
                }
                csv.append(String.join(",", RenderTools.csv(f.name()), RenderTools.csv(f.family()), f.kind(), splits[s],
                        Integer.toString(at), Integer.toString(n), f.pkg(), RenderTools.csv(f.licence()), RenderTools.csv(f.file()),
                        f.fileSha256(), Checksums.digest("MD5", f.glyphs()), Integer.toString(f.latinScore())))
                        .append('\n');
                perPackage.merge(f.pkg(), 1, Integer::sum);
                facesIn[s]++;
                at += n;
            }
            byte[] imgIdx = IdxWriter.encode(new int[] {total, 28, 28}, pix);
            byte[] labIdx = IdxWriter.encode(new int[] {total}, lab);
            IdxWriter.writeGzip(out.resolve(Alphabet.imagesFile(splits[s]) + ".gz"), imgIdx);
            IdxWriter.writeGzip(out.resolve(Alphabet.labelsFile(splits[s]) + ".gz"), labIdx);
            sums.append(Checksums.digest("MD5", imgIdx)).append("  ").append(Alphabet.imagesFile(splits[s])).append('\n');
            sums.append(Checksums.digest("MD5", labIdx)).append("  ").append(Alphabet.labelsFile(splits[s])).append('\n');
            images[s] = total;
        }
        IdxWriter.writeText(out.resolve("faces.csv"), csv.toString());
        IdxWriter.writeText(out.resolve("MD5SUMS"), sums.toString());
        StringBuilder rej = new StringBuilder("face,package,reason,file\n");
        rejected.sort(Comparator.comparing((String[] r) -> r[0]).thenComparing(r -> r[1]));
        for (String[] r : rejected) {
            rej.append(String.join(",", RenderTools.csv(r[0]), r[2], RenderTools.csv(r[3]), RenderTools.csv(r[1]))).append('\n');
        }
        IdxWriter.writeText(out.resolve("rejected.csv"), rej.toString());
        log.accept("train: " + facesIn[0] + " faces, " + images[0] + " images; test: " + facesIn[1]
                + " faces, " + images[1] + " images; rejected: " + rejected.size());
        return new Result(facesIn[0], facesIn[1], images[0], images[1], rejected.size(), perPackage);
    }

    /** 0 = train, 1 = test, from a hash of the family so a family never straddles splits. */
    int splitOf(String family) {
        long h = RenderTools.seedOf("split:" + family.toLowerCase(Locale.ROOT));
        return Math.floorMod(h, 100) < config.testPercent() ? 1 : 0;
    }
    private void reject(String face, String file, String pkg, String reason) {
        rejected.add(new String[] {face, file, pkg, reason});
    }

    private static float[] firstVariantSmall(byte[] glyphs) {
        float[] v = new float[26 * 14 * 14];
        for (int l = 0; l < 26; l++) {
            double[] f = LatinCheck.features(glyphs, l);
            for (int k = 0; k < f.length; k++) {
                v[l * 196 + k] = (float) f[k];
            }
        }
        return v;
    }

    private static boolean isType1(Path p) {
        String e = RenderTools.extension(p);
        return e.equals("pfb") || e.equals("pfa") || e.equals("t1");
    }
}
